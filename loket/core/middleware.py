"""Headers the NL GOV API Design Rules ask for, and the security baseline for every page."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
# Pages behind a resident's tracking link show personal data: never stored by any cache.
PRIVATE_PAGE_PREFIXES = ("/volgen/",)


class ApiMiddleware:
    """`API-Version` on every API response; `Cache-Control: no-store` on API data; a body
    announced larger than DATA_UPLOAD_MAX_MEMORY_SIZE is refused with 413 before it is read
    (DRF's parsers do not apply that limit; chunked bodies are caught by LimitedJSONParser)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX) and self.too_large(request):
            from loket.core.api.problems import json_problem

            response: HttpResponse = json_problem(
                request, 413, _("De aanvraag mag hoogstens 1 MB groot zijn."))
        else:
            response = self.get_response(request)
        if request.path.startswith(API_PREFIX):
            response["API-Version"] = settings.API_VERSION
            response.setdefault("Cache-Control", "no-store")
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        """A database that is down is a 503 problem with Retry-After (clients retry), not a
        500: the request was fine, the service is briefly unavailable."""
        from django.db import InterfaceError, OperationalError

        if not request.path.startswith(API_PREFIX):
            return None
        if isinstance(exception, OperationalError | InterfaceError):
            from loket.core.api.problems import json_problem

            logger.warning("database unavailable", extra={"path": request.path})
            response = json_problem(request, 503, _("De database is tijdelijk niet bereikbaar. "
                                                    "Probeer het zo opnieuw."))
            response["Retry-After"] = "5"
            return response
        return None

    @staticmethod
    def too_large(request: HttpRequest) -> bool:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return False
        return limit is not None and length > limit


class SecurityHeadersMiddleware:
    """Content-Security-Policy with frame-ancestors 'none' on everything we serve."""

    CSP = (
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
    )

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.CSP)
        response.setdefault("X-Content-Type-Options", "nosniff")
        response.setdefault("X-Frame-Options", "DENY")
        if request.path.startswith(PRIVATE_PAGE_PREFIXES):
            response["Cache-Control"] = "no-store"
        return response
