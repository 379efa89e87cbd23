"""Throttling of the public forms with the API's rates (`login`, `intake`) and cache."""

from __future__ import annotations

from django.http import HttpRequest
from rest_framework.settings import api_settings

from loket.core.throttling import SlidingWindowThrottle


class ScopedRateThrottle(SlidingWindowThrottle):
    """Counts a page's POSTs per client address with the API's rate of the same scope
    (`login`, `intake`), so a form is no way around the API's limits."""

    def __init__(self, scope: str) -> None:
        self.scope = scope
        super().__init__()

    def get_rate(self) -> str | None:
        """Read at call time, so a changed setting (and a test) takes effect at once."""
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request: HttpRequest, view: object) -> str:  # type: ignore[override]
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def rate_allowed(request: HttpRequest, scope: str) -> tuple[bool, int]:
    """Record one attempt; return whether it is allowed and, if not, the seconds to wait."""
    throttle = ScopedRateThrottle(scope)
    if throttle.allow_request(request, None):  # type: ignore[arg-type]
        return True, 0
    return False, int(throttle.wait() or 60)
