"""RFC 9457 problem details for every API error, in the caller's language (nl by default).

All invalid fields are reported at once in `invalid_params` (NL API Design Rules use the
RFC's `invalidParams` example; we keep the API's snake_case spelling).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from loket.core.errors import DomainError, InvalidInput

PROBLEM_JSON = "application/problem+json"

TITLES = {
    400: lambda: _("De aanvraag bevat fouten."),
    401: lambda: _("U bent niet ingelogd."),
    403: lambda: _("U heeft geen toestemming voor deze actie."),
    404: lambda: _("Niet gevonden."),
    405: lambda: _("Deze methode is hier niet toegestaan."),
    406: lambda: _("Dit antwoordformaat wordt niet ondersteund."),
    409: lambda: _("Conflict met de huidige toestand."),
    413: lambda: _("De aanvraag is te groot."),
    415: lambda: _("Dit inhoudstype wordt niet ondersteund."),
    429: lambda: _("Te veel aanvragen."),
    500: lambda: _("Er ging iets mis aan onze kant."),
    503: lambda: _("De dienst is tijdelijk niet beschikbaar."),
}


def problem(status_code: int, detail: Any = None, *, invalid_params: list[dict] | None = None,
            instance: str | None = None, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": str(TITLES.get(status_code, lambda: _("Fout"))()),
        "status": status_code,
    }
    if detail is not None:
        body["detail"] = str(detail)
    if instance:
        body["instance"] = instance
    if invalid_params:
        body["invalid_params"] = invalid_params
    body.update(extra)
    return body


def flatten_errors(errors: Any, prefix: str = "") -> list[dict[str, str]]:
    """DRF/Django error trees -> [{name, reason, code}], nested names dotted (a.0.b)."""
    out: list[dict[str, str]] = []
    if isinstance(errors, dict):
        for key, value in errors.items():
            name = prefix if key in {"non_field_errors", "__all__"} else (
                f"{prefix}.{key}" if prefix else str(key))
            out.extend(flatten_errors(value, name))
    elif isinstance(errors, list | tuple):
        if errors and all(not isinstance(e, dict | list | tuple) for e in errors):
            for e in errors:
                out.append({"name": prefix or "body", "reason": str(e),
                            "code": str(getattr(e, "code", "invalid"))})
        else:
            for index, value in enumerate(errors):
                if value:
                    out.extend(flatten_errors(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        out.append({"name": prefix or "body", "reason": str(errors),
                    "code": str(getattr(errors, "code", "invalid"))})
    return out


def problem_response(status_code: int, detail: Any = None, *, headers: dict | None = None,
                     **kwargs: Any) -> Response:
    response = Response(problem(status_code, detail, **kwargs), status=status_code,
                        headers=headers, content_type=PROBLEM_JSON)
    return response


def exception_handler(exc: Exception, context: dict) -> Response | None:
    request = context.get("request")
    instance = request.path if request is not None else None
    if isinstance(exc, InvalidInput):
        return problem_response(400, exc.detail, invalid_params=flatten_errors(exc.errors),
                                instance=instance)
    if isinstance(exc, DomainError):
        return problem_response(exc.status, exc.detail, instance=instance, **exc.extra)
    if isinstance(exc, DjangoValidationError):
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"body": exc.messages}
        return problem_response(400, _("De invoer is niet geldig."),
                                invalid_params=flatten_errors(errors), instance=instance)
    if isinstance(exc, RequestDataTooBig):
        return problem_response(413, _("De aanvraag mag hoogstens 1 MB groot zijn."),
                                instance=instance)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    code = response.status_code
    if isinstance(exc, exceptions.ValidationError):
        body = problem(400, _("De invoer is niet geldig."),
                       invalid_params=flatten_errors(exc.detail), instance=instance)
    elif isinstance(exc, exceptions.ParseError):
        body = problem(400, _("De inhoud is geen geldige JSON."), instance=instance)
    elif isinstance(exc, exceptions.UnsupportedMediaType):
        body = problem(415, _("Stuur de gegevens als application/json."), instance=instance)
    elif isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 0)
        body = problem(429, _("Probeer het over %(seconds)s seconden opnieuw.") % {
            "seconds": wait}, instance=instance)
    elif isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        body = problem(401, _("Log in of stuur een geldig token mee."), instance=instance)
    elif isinstance(exc, exceptions.PermissionDenied):
        body = problem(403, _("U heeft geen toestemming voor deze actie."), instance=instance)
    elif isinstance(exc, exceptions.NotFound):
        body = problem(404, _("Dit bestaat niet of u heeft er geen toegang toe."),
                       instance=instance)
    elif isinstance(exc, exceptions.MethodNotAllowed):
        body = problem(405, _("De methode %(method)s is hier niet toegestaan.") % {
            "method": request.method if request else ""}, instance=instance)
    else:
        body = problem(code, getattr(exc, "detail", None), instance=instance)
    response.data = body
    response.content_type = PROBLEM_JSON
    return response


def json_problem(request: HttpRequest, status_code: int, detail: Any = None) -> JsonResponse:
    """Problem response outside DRF (404/500 handlers, middleware)."""
    return JsonResponse(problem(status_code, detail, instance=request.path), status=status_code,
                        content_type=PROBLEM_JSON, json_dumps_params={"ensure_ascii": False})


__all__ = ["PROBLEM_JSON", "exception_handler", "json_problem", "problem", "problem_response",
           "status"]
