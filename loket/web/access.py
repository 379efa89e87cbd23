"""Who may see which page: the role is resolved once per request, from the same `Actor`
the services use, so the pages and the API agree on who is who."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from loket.core.actors import Actor, Role

BROKER_ROLES = frozenset({Role.BROKER, Role.MANAGER})
OFFICIAL_ROLES = frozenset({Role.OFFICIAL})
MANAGER_ROLES = frozenset({Role.MANAGER})


def actor_of(request: HttpRequest) -> Actor:
    """The request's staff actor, computed once (it costs two queries)."""
    actor = getattr(request, "_loket_actor", None)
    if actor is None:
        actor = Actor.for_user(request.user)
        request._loket_actor = actor  # type: ignore[attr-defined]
    return actor


def role_required(roles: frozenset[Role]) -> Callable:
    """Anonymous visitors go to the log-in page; logged-in users without the role get 403."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            actor = actor_of(request)
            if actor.role not in roles:
                raise PermissionDenied
            request.actor = actor  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


broker_required = role_required(BROKER_ROLES)
official_required = role_required(OFFICIAL_ROLES)
manager_required = role_required(MANAGER_ROLES)
