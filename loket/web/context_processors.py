"""What every page needs: the municipality's name and the navigation of the visitor's role."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from loket.core.actors import Role

from .access import actor_of

# (url name, label, roles that see it); ANONYMOUS covers residents and logged-out visitors.
NAV: list[tuple[str, Any, frozenset[Role]]] = [
    ("web:intake", _("Initiatief indienen"), frozenset({Role.ANONYMOUS})),
    ("web:board", _("Mijn initiatieven"), frozenset({Role.BROKER})),
    ("web:board", _("Initiatieven"), frozenset({Role.MANAGER})),
    ("web:inbox", _("Vragen aan mijn afdeling"), frozenset({Role.OFFICIAL})),
    ("web:stalled", _("Vastgelopen"), frozenset({Role.MANAGER})),
    ("web:summary", _("Overzicht"), frozenset({Role.MANAGER})),
    ("web:map", _("Initiatievenkaart"), frozenset({Role.MANAGER})),
]


def loket(request: HttpRequest) -> dict[str, Any]:
    role = actor_of(request).role if hasattr(request, "user") else Role.ANONYMOUS
    match = getattr(request, "resolver_match", None)
    current = f"{match.namespace}:{match.url_name}" if match and match.namespace else ""
    nav = []
    for name, label, roles in NAV:
        if role not in roles:
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # a page not (yet) deployed
            continue
        nav.append({"url": url, "label": label, "current": name == current})
    return {
        "municipality_name": settings.LOKET_MUNICIPALITY_NAME,
        "nav_items": nav,
        "staff_role": role if role != Role.ANONYMOUS else "",
        "oidc_enabled": getattr(settings, "OIDC_ENABLED", False),
    }
