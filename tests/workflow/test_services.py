"""fire_transition: clock, ball, audit trail, validation, and side effects after commit."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from loket.core.actors import Actor
from loket.core.errors import Conflict, InvalidInput, NotFound
from loket.core.models import OutboxMail
from loket.workflow.services import available_transitions, fire_transition
from loket.workflow.states import State
from tests.factories import BrokerFactory, UserFactory

from .conftest import Cast, initiative_in

pytestmark = pytest.mark.django_db


def test_clock_and_ball_move_only_when_they_change(cast: Cast) -> None:
    start = timezone.now() - timedelta(days=3)
    initiative = initiative_in(State.INTAKE, broker=cast.broker, state_entered_at=start,
                               ball_moved_at=start)
    broker = Actor.for_user(cast.broker)
    with time_machine.travel(start + timedelta(days=1), tick=False):
        fire_transition(initiative.pk, "agree_expectations", broker,
                        expectations_initiators="Wij planten.",
                        expectations_municipality="Gemeente levert grond.")
    initiative.refresh_from_db()
    day1 = start + timedelta(days=1)
    assert (initiative.state, initiative.ball_holder) == ("elaboration", "initiators")
    assert initiative.state_entered_at == day1 and initiative.ball_moved_at == day1
    assert initiative.expectations_municipality == "Gemeente levert grond."

    with time_machine.travel(start + timedelta(days=2), tick=False):  # initiators pause:
        fire_transition(initiative.pk, "pause", Actor.initiators(initiative.pk))
    initiative.refresh_from_db()  # new state, but the ball stays with the initiators
    assert initiative.state_entered_at == start + timedelta(days=2)
    assert initiative.ball_moved_at == day1
    assert initiative.paused_from == "elaboration"

    with time_machine.travel(start + timedelta(days=3), tick=False):  # same state, new broker
        fire_transition(initiative.pk, "reassign_broker", Actor.for_user(cast.manager),
                        broker=cast.other_broker.pk, internal_note="Fatima met verlof")
    initiative.refresh_from_db()
    assert initiative.state == "paused" and initiative.broker == cast.other_broker
    assert initiative.state_entered_at == start + timedelta(days=2)
    log = initiative.history.last()
    assert (log.source, log.target, log.actor_role) == ("paused", "paused", "manager")
    assert log.actor_user == cast.manager and log.internal_note == "Fatima met verlof"
    assert log.details == {"broker_id": cast.other_broker.pk}


def test_not_feasible_needs_motivation_and_alternative_all_at_once(cast: Cast) -> None:
    initiative = initiative_in(State.ELABORATION, broker=cast.broker)
    with pytest.raises(InvalidInput) as exc:
        fire_transition(initiative.pk, "mark_not_feasible", Actor.for_user(cast.broker),
                        motivation="")
    assert set(exc.value.errors) == {"motivation", "alternative"}
    fire_transition(initiative.pk, "mark_not_feasible", Actor.for_user(cast.broker),
                    motivation=" Gasleiding. ", alternative="Plantenbakken.")
    initiative.refresh_from_db()
    assert initiative.not_feasible_motivation == "Gasleiding."
    log = initiative.history.get()
    assert log.public_details == {"motivation": "Gasleiding.", "alternative": "Plantenbakken."}


@pytest.mark.parametrize("broker", ["nobody", 999999, "official", "inactive"])
def test_reassign_needs_an_active_broker(cast: Cast, broker: object) -> None:
    initiative = initiative_in(State.INTAKE, broker=cast.broker)
    if broker == "official":
        broker = cast.official.pk
    elif broker == "inactive":
        broker = BrokerFactory(is_active=False).pk
    with pytest.raises(InvalidInput) as exc:
        fire_transition(initiative.pk, "reassign_broker", Actor.for_user(cast.manager),
                        broker=broker)
    assert set(exc.value.errors) == {"broker"}


def test_reassign_accepts_a_username(cast: Cast) -> None:
    initiative = initiative_in(State.INTAKE, broker=cast.broker)
    fire_transition(initiative.pk, "reassign_broker", Actor.for_user(cast.manager),
                    broker=cast.other_broker.username)
    initiative.refresh_from_db()
    assert initiative.broker == cast.other_broker


def test_take_on_by_a_manager_may_name_the_broker_a_broker_only_himself(cast: Cast) -> None:
    first = initiative_in(State.SUBMITTED)
    fire_transition(first.pk, "take_on", Actor.for_user(cast.manager), broker=cast.broker.pk)
    first.refresh_from_db()
    assert first.broker == cast.broker
    second = initiative_in(State.SUBMITTED)
    with pytest.raises(InvalidInput) as exc:
        fire_transition(second.pk, "take_on", Actor.for_user(cast.broker),
                        broker=cast.other_broker.pk)
    assert set(exc.value.errors) == {"broker"}


def test_fields_that_do_not_belong_to_the_step_and_internal_notes_of_initiators(
        cast: Cast) -> None:
    initiative = initiative_in(State.ELABORATION, broker=cast.broker)
    with pytest.raises(InvalidInput) as exc:
        fire_transition(initiative.pk, "submit_plan", Actor.initiators(initiative.pk),
                        motivation="x", internal_note="geheim", public_note="a" * 5001)
    assert set(exc.value.errors) == {"motivation", "internal_note", "public_note"}


def test_unknown_transition_and_unknown_initiative_are_not_found(cast: Cast) -> None:
    initiative = initiative_in(State.ELABORATION, broker=cast.broker)
    with pytest.raises(NotFound):
        fire_transition(initiative.pk, "delete", Actor.for_user(cast.manager))
    with pytest.raises(NotFound):
        fire_transition("not-a-uuid", "pause", Actor.for_user(cast.manager))


def test_conflict_names_state_and_what_the_caller_may_do(cast: Cast) -> None:
    initiative = initiative_in(State.ELABORATION, broker=cast.broker)
    with pytest.raises(Conflict) as exc:
        fire_transition(initiative.pk, "start", Actor.initiators(initiative.pk))
    assert exc.value.extra == {"current_state": "elaboration",
                               "allowed_transitions": ["pause", "submit_plan", "withdraw"]}


def test_available_transitions_for_each_kind_of_caller(cast: Cast) -> None:
    initiative = initiative_in(State.PLAN_SUBMITTED, broker=cast.broker)
    names = {t.name: t for t in available_transitions(initiative, Actor.for_user(cast.broker))}
    assert set(names) == {"mark_not_feasible", "request_plan_changes", "send_to_consultation"}
    assert names["request_plan_changes"].required_fields == ["public_note"]
    assert names["send_to_consultation"].target == "consultation"
    assert available_transitions(initiative, Actor.for_user(cast.other_broker)) == []
    assert available_transitions(initiative, Actor.for_user(cast.official)) == []
    assert available_transitions(initiative, Actor.for_user(UserFactory())) == []
    paused = initiative_in(State.PAUSED, broker=cast.broker, paused_from="ready")
    [resume, withdraw] = available_transitions(paused, Actor.initiators(paused.pk))
    assert (resume.name, resume.target, withdraw.name) == ("resume", "ready", "withdraw")


def test_send_to_consultation_routes_after_commit_only(
        cast: Cast, django_capture_on_commit_callbacks: object) -> None:
    initiative = initiative_in(State.PLAN_SUBMITTED, broker=cast.broker)
    with mock.patch("loket.routing.services.route_to_departments") as route, \
            django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[operator]
        fire_transition(initiative.pk, "send_to_consultation", Actor.for_user(cast.broker))
        assert not route.called
    assert not route.called
    with mock.patch("loket.routing.services.route_to_departments") as route:
        for callback in callbacks:
            callback()
    route.assert_called_once_with(str(initiative.pk))


def test_nothing_is_enqueued_when_the_transaction_fails(
        cast: Cast, django_capture_on_commit_callbacks: object) -> None:
    initiative = initiative_in(State.PLAN_SUBMITTED, broker=cast.broker)
    with mock.patch("loket.workflow.services.log_transition", side_effect=RuntimeError), \
            django_capture_on_commit_callbacks() as callbacks, \
            pytest.raises(RuntimeError):  # type: ignore[operator]
        fire_transition(initiative.pk, "send_to_consultation", Actor.for_user(cast.broker))
    assert callbacks == []
    initiative.refresh_from_db()
    assert initiative.state == "plan_submitted"


def test_resume_tells_routing_how_long_it_was_paused(cast: Cast) -> None:
    paused_at = timezone.now() - timedelta(days=4)
    initiative = initiative_in(State.PAUSED, broker=cast.broker, state_entered_at=paused_at)
    with mock.patch("loket.routing.services.on_initiative_resumed") as resumed:
        fire_transition(initiative.pk, "resume", Actor.initiators(initiative.pk))
    initiative.refresh_from_db()
    assert initiative.state == "consultation" and initiative.paused_from == ""
    resumed.assert_called_once_with(initiative.pk, paused_at, initiative.state_entered_at)


def test_emails_in_dutch_to_the_initiators_and_to_the_broker(
        cast: Cast, django_capture_on_commit_callbacks: object) -> None:
    initiative = initiative_in(State.ELABORATION, broker=cast.broker)
    contact = initiative.initiators.get()
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        fire_transition(initiative.pk, "mark_not_feasible", Actor.for_user(cast.broker),
                        motivation="Er ligt een gasleiding.", alternative="Plantenbakken.",
                        public_note="Bel ons gerust.", internal_note="GEHEIM")
    [to_initiators] = mail.outbox
    assert to_initiators.to == [contact.email]
    assert "niet haalbaar" in to_initiators.subject
    assert "Er ligt een gasleiding." in to_initiators.body
    assert "Plantenbakken." in to_initiators.body and "Bel ons gerust." in to_initiators.body
    assert "persoonlijke link" in to_initiators.body and "GEHEIM" not in to_initiators.body

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        fire_transition(initiative.pk, "reopen", Actor.initiators(initiative.pk))
    to_broker = mail.outbox[1]
    assert to_broker.to == [cast.broker.email] and "Beste Fatima" in to_broker.body
    assert len(mail.outbox) == 2  # the initiators are not mailed about their own step


def test_transition_queues_its_mails_in_the_same_transaction(cast: Cast) -> None:
    initiative = initiative_in(State.INTAKE, broker=cast.broker)
    contact = initiative.initiators.get()
    fire_transition(initiative.pk, "agree_expectations", Actor.for_user(cast.broker),
                    expectations_initiators="a", expectations_municipality="b")
    queued = OutboxMail.objects.get()  # on_commit never ran inside the test
    log = initiative.history.get(transition="agree_expectations")
    assert queued.key == f"transition:{log.pk}:initiators"
    assert (queued.initiative_id, queued.to) == (initiative.pk, [contact.email])
    assert queued.to_initiators and queued.sent_at is None
    assert initiative.reference in queued.subject and "Beste initiatiefnemer," in queued.body
    assert mail.outbox == []


def test_a_step_by_the_initiators_queues_a_mail_to_the_broker_only(cast: Cast) -> None:
    initiative = initiative_in(State.ELABORATION, broker=cast.broker)
    fire_transition(initiative.pk, "submit_plan", Actor.initiators(initiative.pk))
    queued = OutboxMail.objects.get()
    assert queued.to == [cast.broker.email] and not queued.to_initiators
    assert queued.key.endswith(":broker")


def test_no_address_no_email_but_marked_done(cast: Cast) -> None:
    initiative = initiative_in(State.INTAKE, broker=cast.broker)
    initiative.initiators.update(email="")
    fire_transition(initiative.pk, "agree_expectations", Actor.for_user(cast.broker),
                    expectations_initiators="a", expectations_municipality="b")
    queued = OutboxMail.objects.get()
    assert queued.skipped and queued.sent_at and queued.to == [] and mail.outbox == []
