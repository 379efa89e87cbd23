"""Anonymisation of initiators after the retention period (AVG)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from loket.core.models import OutboxMail
from loket.intake.models import Initiative, Initiator
from loket.privacy import services, tasks
from loket.privacy.services import ANONYMISED_NAME
from loket.workflow.models import TransitionLog
from loket.workflow.states import ACTIVE_STATES, CLOSED_STATES, State
from tests.factories import InitiativeFactory, InitiatorFactory

pytestmark = pytest.mark.django_db

CLOSED_AT = timezone.datetime(2025, 3, 1, 12, 0, tzinfo=timezone.get_current_timezone())


def closed_initiative(state: str = State.WITHDRAWN, at=CLOSED_AT, people: int = 2) -> Initiative:
    initiative = InitiativeFactory(state=state, state_entered_at=at, ball_holder="nobody")
    InitiatorFactory(initiative=initiative, name="Anna de Boer", email="anna@example.org",
                     phone="06 12345678", is_contact=True)
    for n in range(people - 1):
        InitiatorFactory(initiative=initiative, name=f"Buur {n}", email=f"buur{n}@example.org",
                         phone="", is_contact=False)
    return initiative


def is_anonymised(initiative: Initiative) -> bool:
    people = list(Initiator.objects.filter(initiative=initiative))
    return all(p.name == ANONYMISED_NAME and p.email == "" and p.phone == ""
               and p.anonymised_at is not None for p in people)


@pytest.mark.parametrize("state", CLOSED_STATES)
def test_closed_initiative_is_anonymised_after_a_year(state: str) -> None:
    initiative = closed_initiative(state)
    with time_machine.travel(CLOSED_AT + timedelta(days=364), tick=False):
        assert services.anonymise_closed_initiatives().initiatives == 0
    assert not is_anonymised(initiative)
    assert Initiator.objects.get(initiative=initiative, is_contact=True).email == (
        "anna@example.org")

    with time_machine.travel(CLOSED_AT + timedelta(days=365, minutes=1), tick=False):
        result = services.anonymise_closed_initiatives()
    assert (result.initiatives, result.initiators) == (1, 2)
    assert is_anonymised(initiative)


@pytest.mark.parametrize("state", [*ACTIVE_STATES, State.PAUSED])
def test_open_initiatives_are_never_anonymised(state: str) -> None:
    initiative = closed_initiative(state, at=CLOSED_AT - timedelta(days=3000))
    services.anonymise_closed_initiatives()
    assert not is_anonymised(initiative)


def test_the_initiative_and_its_statistics_stay() -> None:
    initiative = closed_initiative(State.REALIZED)
    TransitionLog.objects.create(initiative=initiative, transition="report_realized",
                                 source=State.IN_PROGRESS, target=State.REALIZED,
                                 actor_role="initiators", at=CLOSED_AT)
    OutboxMail.objects.create(key="k1", initiative=initiative, to=["anna@example.org"],
                              subject="Uw volglink", body="Beste Anna,")
    before = Initiative.objects.values().get(pk=initiative.pk)
    with time_machine.travel(CLOSED_AT + timedelta(days=400), tick=False):
        services.anonymise_closed_initiatives()
    after = Initiative.objects.values().get(pk=initiative.pk)
    assert {k: v for k, v in after.items() if k != "updated_at"} == {
        k: v for k, v in before.items() if k != "updated_at"}
    assert Initiator.objects.filter(initiative=initiative).count() == 2
    assert TransitionLog.objects.filter(initiative=initiative).count() == 1
    mail = OutboxMail.objects.get(key="k1")
    assert (mail.to, mail.body, mail.subject) == ([], "", "Uw volglink")
    assert Initiative.objects.filter(state=State.REALIZED).count() == 1


def test_a_second_sweep_does_nothing_and_keeps_the_first_timestamp() -> None:
    initiative = closed_initiative()
    first = CLOSED_AT + timedelta(days=400)
    with time_machine.travel(first, tick=False):
        services.anonymise_closed_initiatives()
    with time_machine.travel(first + timedelta(days=1), tick=False):
        result = services.anonymise_closed_initiatives()
    assert (result.initiatives, result.initiators) == (0, 0)
    stamps = set(Initiator.objects.filter(initiative=initiative)
                 .values_list("anonymised_at", flat=True))
    assert stamps == {first}


def test_an_initiator_added_later_is_anonymised_alone() -> None:
    initiative = closed_initiative(people=1)
    with time_machine.travel(CLOSED_AT + timedelta(days=400), tick=False):
        services.anonymise_closed_initiatives()
    late = InitiatorFactory(initiative=initiative, name="Laat", email="laat@example.org")
    with time_machine.travel(CLOSED_AT + timedelta(days=401), tick=False):
        result = services.anonymise_closed_initiatives()
    assert (result.initiatives, result.initiators) == (1, 1)
    late.refresh_from_db()
    assert late.name == ANONYMISED_NAME


def test_reopened_initiative_is_left_alone() -> None:
    """Reopening (not_feasible -> elaboration) resets state_entered_at: the clock restarts."""
    initiative = closed_initiative(State.NOT_FEASIBLE)
    Initiative.objects.filter(pk=initiative.pk).update(
        state=State.ELABORATION, state_entered_at=CLOSED_AT + timedelta(days=300))
    with time_machine.travel(CLOSED_AT + timedelta(days=400), tick=False):
        assert services.anonymise_closed_initiatives().initiatives == 0
    assert not is_anonymised(initiative)


def test_retention_is_configurable(settings) -> None:
    settings.LOKET_ANONYMISE_AFTER_DAYS = 30
    initiative = closed_initiative()
    with time_machine.travel(CLOSED_AT + timedelta(days=31), tick=False):
        services.anonymise_closed_initiatives()
    assert is_anonymised(initiative)


def test_batches_cover_everything_due() -> None:
    initiatives = [closed_initiative(people=1) for _ in range(7)]
    fresh = closed_initiative(at=CLOSED_AT + timedelta(days=200))
    with time_machine.travel(CLOSED_AT + timedelta(days=400), tick=False):
        result = services.anonymise_closed_initiatives(batch_size=3)
    assert result.initiatives == 7
    assert all(is_anonymised(i) for i in initiatives)
    assert not is_anonymised(fresh)


def test_the_sweep_query_uses_a_bounded_number_of_queries(django_assert_max_num_queries) -> None:
    for _ in range(20):
        closed_initiative()
    with time_machine.travel(CLOSED_AT + timedelta(days=400), tick=False), \
            django_assert_max_num_queries(8):
        assert services.anonymise_closed_initiatives().initiatives == 20


def test_beat_task_runs_the_sweep(settings) -> None:
    initiative = closed_initiative()
    with time_machine.travel(CLOSED_AT + timedelta(days=400), tick=False):
        outcome = tasks.anonymise.delay().get()
    assert outcome == {"initiatives": 1, "initiators": 2}
    assert is_anonymised(initiative)
    entry = settings.CELERY_BEAT_SCHEDULE["anonymise-initiators"]
    assert entry["task"] == tasks.anonymise.name
