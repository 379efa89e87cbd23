"""Domain errors raised by services; the API turns them into problem+json (api/problems.py).

Services stay free of HTTP: they say *what* went wrong, the edge decides how to show it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from django.utils.functional import Promise


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, detail: str | Promise, **extra: object) -> None:
        super().__init__(str(detail))
        self.detail = detail
        self.extra = extra


class InvalidInput(DomainError):
    """Input that breaks a business rule; `errors` maps field name -> list of Dutch messages."""

    status = 400
    code = "invalid"

    def __init__(self, errors: Mapping[str, Sequence[str | Promise]],
                 detail: str | Promise | None = None) -> None:
        from django.utils.translation import gettext_lazy as _

        super().__init__(detail or _("De invoer is niet geldig."))
        self.errors = {field: list(messages) for field, messages in errors.items()}


class NotPermitted(DomainError):
    status = 403
    code = "permission_denied"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    """The resource changed or is in a state that does not allow this (HTTP 409)."""

    status = 409
    code = "conflict"
