"""Read queries of the workflow: the audit trail for staff and its public part for residents."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from loket.core.actors import ROLE_LABELS, Actor, Role
from loket.core.errors import NotFound, NotPermitted

from .models import TransitionLog

STAFF_READERS = {Role.BROKER, Role.MANAGER, Role.OFFICIAL}


def initiative_for_staff(initiative_id: Any, actor: Actor) -> Any:
    """The initiative for a staff member; others learn nothing about whether it exists.

    An official sees only initiatives routed to their department (intake's `visible_to`,
    the one rule for every staff endpoint)."""
    from loket.intake.selectors import visible_to

    if actor.role not in STAFF_READERS:
        raise NotPermitted(_("Alleen medewerkers van de gemeente kunnen dit zien."))
    initiative = visible_to(actor).select_related("broker").filter(pk=initiative_id).first()
    if initiative is None:
        raise NotFound(_("Dit initiatief bestaat niet."))
    return initiative


def history(initiative: Any) -> QuerySet[TransitionLog]:
    """Every step, oldest first (ordered by time, then id: the order they were written)."""
    return (TransitionLog.objects.filter(initiative=initiative)
            .select_related("actor_user").order_by("at", "id"))


def actor_label(log: TransitionLog, *, public: bool) -> str:
    """Who did it. Residents see roles (and the broker's first name), never staff details."""
    role = Role(log.actor_role) if log.actor_role in Role._value2member_map_ else None
    label = str(ROLE_LABELS[role]) if role else log.actor_role
    user = log.actor_user
    if user is None:
        return label
    if public:
        return f"{label} {user.first_name}".strip() if role == Role.BROKER else label
    return f"{user.get_full_name() or user.get_username()} ({label})"


def public_history(initiative: Any) -> list[dict[str, Any]]:
    """The part of the audit trail the initiators read in their tracking view."""
    from .services import transition_label

    return [
        {"transition": log.transition, "label": transition_label(log.transition),
         "source": log.source, "target": log.target, "at": log.at,
         "actor": actor_label(log, public=True), "public_note": log.public_note,
         "details": log.public_details}
        for log in history(initiative)
    ]
