"""Who counts as municipal staff on the API: one rule for every app's staff endpoints."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.views import APIView

from loket.core.actors import Actor
from loket.core.errors import NotPermitted


def staff_actor(request: Request) -> Actor:
    """The caller as a staff member (broker, manager or official); 403 for anyone else."""
    actor = Actor.for_user(request.user)
    if not actor.is_staff_member:
        raise NotPermitted(_("Alleen medewerkers van de gemeente hebben hier toegang."))
    return actor


class IsStaffMember(BasePermission):
    """Authenticated with a staff role: broker, manager or official."""

    def has_permission(self, request: Request, view: APIView) -> bool:
        return Actor.for_user(request.user).is_staff_member
