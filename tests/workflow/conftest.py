"""Fixtures of the workflow tests: the cast (one actor per role) and initiatives in a state."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from loket.core.actors import Actor, Role
from loket.workflow.states import BALL_HOLDER, State
from tests.factories import (
    BrokerFactory,
    InitiativeFactory,
    InitiatorFactory,
    ManagerFactory,
    OfficialFactory,
)


def initiative_in(state: str, *, broker: Any = None, **kwargs: Any) -> Any:
    """A consistent initiative in `state` (broker from intake on, paused from consultation)."""
    now = timezone.now()
    values: dict[str, Any] = {
        "state": state, "ball_holder": BALL_HOLDER[state], "state_entered_at": now,
        "ball_moved_at": now,
        "broker": None if state == State.SUBMITTED else broker,
        "paused_from": State.CONSULTATION if state == State.PAUSED else "",
    }
    if state == State.NOT_FEASIBLE:
        values |= {"not_feasible_motivation": "Te duur.", "not_feasible_alternative": "Kleiner."}
    values |= kwargs
    initiative = InitiativeFactory(**values)
    InitiatorFactory(initiative=initiative)
    return initiative


@dataclass
class Cast:
    broker: Any
    other_broker: Any
    manager: Any
    official: Any

    def actor(self, role: str, initiative: Any, other: Any = None) -> Actor:
        return {
            "anonymous": lambda: Actor(Role.ANONYMOUS),
            "initiators": lambda: Actor.initiators(initiative.pk),
            "other_initiators": lambda: Actor.initiators(other.pk),
            "broker": lambda: Actor.for_user(self.broker),
            "other_broker": lambda: Actor.for_user(self.other_broker),
            "manager": lambda: Actor.for_user(self.manager),
            "official": lambda: Actor.for_user(self.official),
            "system": lambda: Actor.system(),
        }[role]()


ROLES = ("anonymous", "initiators", "other_initiators", "broker", "other_broker", "manager",
         "official", "system")


@pytest.fixture
def cast(db: None) -> Cast:
    return Cast(broker=BrokerFactory(first_name="Fatima"), other_broker=BrokerFactory(),
                manager=ManagerFactory(), official=OfficialFactory())
