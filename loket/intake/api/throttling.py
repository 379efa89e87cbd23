"""Rate limits of the public intake and the API's token log-in (see core.throttling)."""

from __future__ import annotations

from rest_framework.request import Request
from rest_framework.views import APIView

from loket.core.throttling import SlidingWindowThrottle


class FailOpenThrottle(SlidingWindowThrottle):
    """Per client (IP address; behind a proxy set REST_FRAMEWORK['NUM_PROXIES'])."""

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


class IntakeThrottle(FailOpenThrottle):
    scope = "intake"


class LoginThrottle(FailOpenThrottle):
    scope = "login"
