"""Builders for monitoring tests: initiatives in a given state since a given moment.

(The intake services are not on main yet; these write the workflow fields directly, as the
workflow does, so the scan sees exactly what a real initiative would look like.)
"""

from __future__ import annotations

import itertools
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from loket.core.actors import BROKER_GROUP, MANAGER_GROUP
from loket.intake.models import Area, Initiative
from loket.routing.models import Answer, Department, RoutedRequest
from loket.workflow.models import TransitionLog
from loket.workflow.states import BALL_HOLDER, State

AMS = ZoneInfo("Europe/Amsterdam")
_seq = itertools.count(1)


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=AMS)


def make_user(username: str, group: str | None = None) -> User:
    user = User.objects.create_user(username, f"{username}@gemeente.example", username)
    if group:
        user.groups.add(Group.objects.get_or_create(name=group)[0])
    return user


def make_initiative(*, state: str = State.SUBMITTED, entered: datetime | None = None,
                    created: datetime | None = None, broker: User | None = None,
                    area: Area | None = None, title: str = "Buurtmoestuin") -> Initiative:
    n = next(_seq)
    entered = entered or timezone.now()
    return Initiative.objects.create(
        reference=f"INI-T-{n:05d}", title=f"{title} {n}", description="Een idee.",
        tracking_token_hash=f"{n:064d}", created_at=created or entered, state=state,
        state_entered_at=entered, ball_holder=BALL_HOLDER[state], ball_moved_at=entered,
        broker=broker, area=area)


def make_request(initiative: Initiative, department: Department, due: date,
                 status: str = RoutedRequest.Status.OPEN) -> RoutedRequest:
    return RoutedRequest.objects.create(initiative=initiative, department=department,
                                        question="Kan dit?", due_date=due, status=status)


def answer(request: RoutedRequest, decision: str, when: datetime) -> Answer:
    created = Answer.objects.create(request=request, decision=decision, motivation="Omdat.")
    Answer.objects.filter(pk=created.pk).update(created_at=when)
    RoutedRequest.objects.filter(pk=request.pk).update(status=RoutedRequest.Status.ANSWERED,
                                                       answered_at=when)
    created.refresh_from_db()
    return created


def log(initiative: Initiative, when: datetime, *, role: str = "initiators",
        source: str = State.ELABORATION, target: str = State.PLAN_SUBMITTED) -> None:
    TransitionLog.objects.create(initiative=initiative, transition="t", source=source,
                                 target=target, actor_role=role, at=when)


@pytest.fixture
def broker(db: None) -> User:
    return make_user("makelaar", BROKER_GROUP)


@pytest.fixture
def manager(db: None) -> User:
    return make_user("manager", MANAGER_GROUP)


@pytest.fixture
def official(db: None, department: Department) -> User:
    user = make_user("verkeer-ambtenaar")
    department.officials.add(user)
    return user


@pytest.fixture
def department(db: None) -> Department:
    return Department.objects.create(code="verkeer", name="Verkeer en Mobiliteit",
                                     mailbox="verkeer@gemeente.example")


@pytest.fixture
def area(db: None) -> Area:
    return Area.objects.create(code="centrum", name="Centrum")
