"""Fixtures of the routing tests: a small municipality with departments, rules and staff."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from loket.core.actors import Actor
from loket.routing.models import Department, RoutingRule
from loket.workflow.states import BALL_HOLDER, State
from tests.factories import (
    BrokerFactory,
    DepartmentFactory,
    InitiativeFactory,
    InitiatorFactory,
    ManagerFactory,
    OfficialFactory,
)


def initiative_in(state: str, **kwargs: Any) -> Any:
    now = timezone.now()
    values: dict[str, Any] = {"state": state, "ball_holder": BALL_HOLDER[state],
                              "state_entered_at": now, "ball_moved_at": now}
    values |= kwargs
    initiative = InitiativeFactory(**values)
    InitiatorFactory(initiative=initiative, email="contact@example.org")
    return initiative


@dataclass
class Town:
    verkeer: Department
    groen: Department
    subsidies: Department
    vergunningen: Department
    broker: Any
    manager: Any
    official: Any  # of verkeer
    groen_official: Any

    def actor(self, user: Any) -> Actor:
        return Actor.for_user(user)


@pytest.fixture
def town(db: None) -> Town:
    verkeer = DepartmentFactory(code="verkeer", name="Verkeer en Mobiliteit",
                                mailbox="verkeer@gemeente.example", answer_term_days=10)
    groen = DepartmentFactory(code="openbare-ruimte", name="Beheer Openbare Ruimte",
                              mailbox="bor@gemeente.example", answer_term_days=5)
    subsidies = DepartmentFactory(code="subsidies", name="Subsidies en Buurtbudget",
                                  mailbox="subsidies@gemeente.example")
    vergunningen = DepartmentFactory(code="vergunningen", name="Vergunningen en Evenementen")
    RoutingRule.objects.create(order=10, department=subsidies, name="Gevraagd budget",
                               min_requested_budget=1)
    RoutingRule.objects.create(order=20, department=vergunningen, name="Vergunning gevraagd",
                               support_kinds=["permission"])
    RoutingRule.objects.create(order=100, department=verkeer, name="Tekst verkeer", terms={
        "verkeer": 2.0, "zebrapad": 3.0, "drempel": 2.0, "te hard rijden": 2.5,
        "hardrijders": 2.5, "oversteken": 1.5})
    RoutingRule.objects.create(order=110, department=groen, name="Tekst openbare ruimte",
                               terms={"bloembak": 2.0, "speeltuin": 2.5, "bankje": 1.5,
                                      "geveltuin": 2.5, "boom": 1.5, "tegels": 1.0})
    return Town(verkeer=verkeer, groen=groen, subsidies=subsidies, vergunningen=vergunningen,
                broker=BrokerFactory(email="makelaar@gemeente.example"),
                manager=ManagerFactory(), official=OfficialFactory(department=verkeer),
                groen_official=OfficialFactory(department=groen))


@pytest.fixture
def flower_boxes(town: Town) -> Any:
    """The initiative of seed 003: flower boxes against speeding, asking for money."""
    return initiative_in(
        State.INTAKE, broker=town.broker, title="Bloembakken tegen hardrijders",
        description="Auto's rijden veel te hard door onze straat; wij willen grote "
                    "bloembakken op de rijbaan zetten.", requested_budget=350,
        support=["money", "materials"])
