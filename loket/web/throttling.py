"""Log-in throttling with the same `login` rate and cache as the API's token endpoint."""

from __future__ import annotations

from django.http import HttpRequest
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle


class LoginRateThrottle(SimpleRateThrottle):
    """Counts log-in attempts per client address (DRF's parser for `10/minute` and the cache)."""

    scope = "login"

    def get_rate(self) -> str | None:
        """Read at call time, so a changed setting (and a test) takes effect at once."""
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request: HttpRequest, view: object) -> str:  # type: ignore[override]
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def login_allowed(request: HttpRequest) -> tuple[bool, int]:
    """Record one attempt; return whether it is allowed and, if not, the seconds to wait."""
    throttle = LoginRateThrottle()
    if throttle.allow_request(request, None):  # type: ignore[arg-type]
        return True, 0
    return False, int(throttle.wait() or 60)
