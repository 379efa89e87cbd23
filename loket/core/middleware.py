"""Headers the NL GOV API Design Rules ask for, and the security baseline for every page."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

API_PREFIX = "/api/"
# Pages behind a resident's tracking link show personal data: never stored by any cache.
PRIVATE_PAGE_PREFIXES = ("/volgen/",)


class ApiMiddleware:
    """`API-Version` on every API response; `Cache-Control: no-store` on API data."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX):
            response["API-Version"] = settings.API_VERSION
            response.setdefault("Cache-Control", "no-store")
        return response


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
