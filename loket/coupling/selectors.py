"""Read queries of coupling, for the API, the residents' tracking view and managers' reports.

Other apps read accepted couplings only through `accepted_couplings`,
`public_couplings` and `accepted_per_carrier`.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _g

from .models import CouplingSuggestion, PolicyCarrier

Status = CouplingSuggestion.Status


def carriers() -> QuerySet[PolicyCarrier]:
    return PolicyCarrier.objects.select_related("owner").order_by("name", "code")


def carrier_by_code(code: str) -> PolicyCarrier | None:
    return carriers().filter(code=code).first()


def couplings_for(initiative: Any) -> QuerySet[CouplingSuggestion]:
    """Every suggestion and decision of an initiative: decided first, then by rank."""
    return (CouplingSuggestion.objects.filter(initiative=initiative)
            .select_related("carrier", "carrier__owner", "decided_by")
            .order_by("rank", "id"))


def accepted_couplings(initiative: Any) -> QuerySet[CouplingSuggestion]:
    """The carriers the broker coupled this initiative with (carrier loaded), best first."""
    return (CouplingSuggestion.objects.filter(initiative=initiative, status=Status.ACCEPTED)
            .select_related("carrier", "carrier__owner").order_by("rank", "id"))


def public_couplings(initiative: Any) -> list[dict[str, str]]:
    """Accepted couplings in plain words for the residents' tracking view."""
    return [
        {"code": c.carrier.code, "name": c.carrier.name,
         "text": _g("Uw initiatief is gekoppeld aan de gemeentelijke opgave ‘%(name)s’: zo "
                    "krijgt het binnen de gemeente extra steun.") % {"name": c.carrier.name}}
        for c in accepted_couplings(initiative)
    ]


def accepted_per_carrier() -> list[dict[str, Any]]:
    """For managers' reports: per carrier, how many initiatives are coupled, in one query."""
    rows = (PolicyCarrier.objects
            .annotate(accepted=Count("suggestions", filter=Q(suggestions__status=Status.ACCEPTED)),
                      rejected=Count("suggestions",
                                     filter=Q(suggestions__status=Status.REJECTED)),
                      open=Count("suggestions", filter=Q(suggestions__status=Status.SUGGESTED)))
            .order_by("-accepted", "name"))
    return [{"code": c.code, "name": c.name, "accepted": c.accepted, "rejected": c.rejected,
             "open": c.open} for c in rows]
