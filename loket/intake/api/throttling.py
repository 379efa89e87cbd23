"""Throttles that fail open: a cache (Redis) outage must not turn submissions into 500s.

Losing the rate limit for a few minutes is a smaller harm than refusing every resident.
"""

from __future__ import annotations

import logging

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle
from rest_framework.views import APIView

logger = logging.getLogger(__name__)


class FailOpenThrottle(SimpleRateThrottle):
    """Per client (IP address; behind a proxy set REST_FRAMEWORK['NUM_PROXIES'])."""

    def get_cache_key(self, request: Request, view: APIView) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}

    def allow_request(self, request: Request, view: APIView) -> bool:
        try:
            return super().allow_request(request, view)
        except Exception:  # redis down, timeout, full disk: all mean "cannot count now"
            logger.warning("throttle cache unavailable, request let through",
                           extra={"scope": self.scope}, exc_info=True)
            return True


class IntakeThrottle(FailOpenThrottle):
    scope = "intake"


class LoginThrottle(FailOpenThrottle):
    scope = "login"
