"""Who is acting: the roles of the workflow, resolved once at the edge and passed to services.

The initiators have no account: they act through their tracking link, so an `Actor` is not
always a Django user. django-fsm's transition permissions receive an `Actor`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.utils.translation import gettext_lazy as _

BROKER_GROUP = "makelaars"
MANAGER_GROUP = "managers"


class Role(StrEnum):
    ANONYMOUS = "anonymous"
    INITIATORS = "initiators"
    BROKER = "broker"
    MANAGER = "manager"
    OFFICIAL = "official"
    SYSTEM = "system"


ROLE_LABELS = {
    Role.ANONYMOUS: _("anoniem"),
    Role.INITIATORS: _("initiatiefnemers via link"),
    Role.BROKER: _("initiatiefmakelaar"),
    Role.MANAGER: _("manager"),
    Role.OFFICIAL: _("vakambtenaar"),
    Role.SYSTEM: _("Loket (automatisch)"),
}


@dataclass(frozen=True)
class Actor:
    role: Role
    user: Any = None
    initiative_id: uuid.UUID | None = None  # set for the initiators (their link's initiative)
    department_ids: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def for_user(cls, user: Any) -> Actor:
        """The strongest staff role of a user: manager > broker > official."""
        if user is None or not user.is_authenticated:
            return cls(Role.ANONYMOUS)
        groups = {g.name for g in user.groups.all()}
        departments = frozenset(user.departments.values_list("id", flat=True))
        if MANAGER_GROUP in groups or user.is_superuser:
            role = Role.MANAGER
        elif BROKER_GROUP in groups:
            role = Role.BROKER
        elif departments:
            role = Role.OFFICIAL
        else:
            role = Role.ANONYMOUS
        return cls(role, user=user, department_ids=departments)

    @classmethod
    def initiators(cls, initiative_id: uuid.UUID) -> Actor:
        return cls(Role.INITIATORS, initiative_id=initiative_id)

    @classmethod
    def system(cls) -> Actor:
        return cls(Role.SYSTEM)

    @property
    def is_staff_member(self) -> bool:
        return self.role in {Role.BROKER, Role.MANAGER, Role.OFFICIAL}

    @property
    def label(self) -> str:
        if self.user is not None:
            name = self.user.get_full_name() or self.user.get_username()
            return f"{name} ({ROLE_LABELS[self.role]})"
        return str(ROLE_LABELS[self.role])
