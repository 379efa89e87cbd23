"""404/500 pages: problem+json under /api/, plain pages elsewhere (never a stack trace)."""

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views import defaults

from loket.core.api.problems import json_problem


def not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if request.path.startswith("/api/"):
        return json_problem(request, 404, _("Dit adres bestaat niet."))
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if request.path.startswith("/api/"):
        return json_problem(request, 500, _("Probeer het later opnieuw."))
    return defaults.server_error(request)
