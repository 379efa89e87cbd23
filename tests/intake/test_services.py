"""The write path of intake: submission, references, duplicates, e-mail, residents' additions."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from loket.core.actors import Actor
from loket.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from loket.core.models import OutboxMail
from loket.core.tasks import send_outbox_mail
from loket.intake import services
from loket.intake.models import Initiative, Initiator, Question, TrackingLink
from loket.intake.selectors import initiative_for_token
from loket.intake.tokens import hash_tracking_token
from loket.workflow.models import TransitionLog
from loket.workflow.states import State
from tests.factories import (
    AreaFactory,
    BrokerFactory,
    DepartmentFactory,
    InitiativeFactory,
    OfficialFactory,
    QuestionFactory,
    submission_payload,
)

pytestmark = pytest.mark.django_db


def submit(**overrides: object) -> services.Submission:
    return services.submit_initiative(submission_payload(**overrides))


def test_submission_stores_initiative_initiators_and_starts_workflow(
        django_capture_on_commit_callbacks) -> None:
    area = AreaFactory(code="centrum")
    with django_capture_on_commit_callbacks(execute=True):
        result = submit(area="centrum", support=["money", "space", "money"])
    initiative = Initiative.objects.get(pk=result.initiative.pk)
    assert initiative.area == area
    assert initiative.support == ["money", "space"]
    assert initiative.requested_budget == 750
    assert initiative.state == State.SUBMITTED
    assert initiative.ball_holder == "broker"
    assert initiative.state_entered_at is not None
    assert [(i.name, i.is_contact) for i in initiative.initiators.all()] == [
        ("Anna de Boer", True), ("Kees Jansen", False)]
    assert TransitionLog.objects.filter(initiative=initiative, transition="submit").count() == 1


def test_token_is_random_and_stored_only_as_hash() -> None:
    first, second = submit(), submit(title="Iets anders")
    assert first.token != second.token
    assert len(first.token) >= 43  # 32 random bytes
    initiative = Initiative.objects.get(pk=first.initiative.pk)
    assert initiative.tracking_token_hash == hash_tracking_token(first.token)
    assert first.token not in initiative.tracking_token_hash
    assert initiative_for_token(first.token) == initiative


def test_references_count_up_per_year(fresh_references: None) -> None:
    with time_machine.travel("2026-03-01 12:00 +01:00"):
        a = submit(title="Een").initiative
        b = submit(title="Twee").initiative
    with time_machine.travel("2027-01-02 12:00 +01:00"):
        c = submit(title="Drie").initiative
    assert (a.reference, b.reference, c.reference) == (
        "INI-2026-00001", "INI-2026-00002", "INI-2027-00001")


def test_new_year_in_amsterdam_counts_for_the_new_year(fresh_references: None) -> None:
    with time_machine.travel("2026-12-31 23:30 +00:00"):  # already 2027 in Amsterdam
        assert submit().initiative.reference == "INI-2027-00001"


def test_single_initiator_becomes_the_contact_person() -> None:
    result = submit(initiators=[{"name": "Piet", "email": "piet@example.org"}])
    assert Initiator.objects.get(initiative=result.initiative).is_contact is True


def test_all_errors_are_reported_at_once_and_nothing_is_stored() -> None:
    with pytest.raises(InvalidInput) as caught:
        services.submit_initiative({
            "title": "  ", "description": "x" * 10_001, "requested_budget": -1,
            "area": "bestaat-niet", "support": ["geld"],
            "initiators": [{"name": "", "email": "geen-mail"}],
        })
    assert set(caught.value.errors) == {
        "title", "description", "requested_budget", "area", "support.0",
        "initiators.0.name", "initiators.0.email"}
    assert Initiative.objects.count() == 0
    assert Initiator.objects.count() == 0


@pytest.mark.parametrize(("initiators", "field"), [
    ([], "initiators"),
    (None, "initiators"),
    ([{"name": "A", "email": "a@example.org", "is_contact": True},
      {"name": "B", "email": "b@example.org", "is_contact": True}], "initiators"),
    ([{"name": "A", "email": "a@example.org"}, {"name": "B", "email": "b@example.org"}],
     "initiators"),
    (["Anna"], "initiators.0"),
    ([{"name": "A", "email": "a@example.org", "phone": "bel me"}], "initiators.0.phone"),
    ([{"name": "A", "email": "a@example.org", "is_contact": "ja"}], "initiators.0.is_contact"),
])
def test_initiator_rules(initiators: object, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        submit(initiators=initiators)
    assert field in caught.value.errors


@pytest.mark.parametrize(("overrides", "field"), [
    ({"title": None}, "title"),
    ({"title": 42}, "title"),
    ({"title": "x" * 201}, "title"),
    ({"description": ""}, "description"),
    ({"description": "tekst met \x00 nul"}, "description"),
    ({"requested_budget": 1_000_001}, "requested_budget"),
    ({"requested_budget": "100"}, "requested_budget"),
    ({"requested_budget": 10.5}, "requested_budget"),
    ({"requested_budget": True}, "requested_budget"),
    ({"area": 3}, "area"),
    ({"support": "money"}, "support"),
    ({"location": {"lat": 91, "lon": 4}}, "location.lat"),
    ({"location": {"lat": 51.8}}, "location"),
    ({"location": "Dordrecht"}, "location"),
])
def test_field_rules(overrides: dict, field: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        submit(**overrides)
    assert field in caught.value.errors


def test_budget_bounds_are_inclusive() -> None:
    assert submit(title="nul", requested_budget=0).initiative.requested_budget == 0
    assert submit(title="max", requested_budget=1_000_000).initiative.requested_budget == 1_000_000
    assert submit(title="leeg", requested_budget=None).initiative.requested_budget == 0


def test_markup_is_stored_as_text() -> None:
    result = submit(title="<script>alert(1)</script>", description="<b>vet</b> & zo")
    initiative = Initiative.objects.get(pk=result.initiative.pk)
    assert initiative.title == "<script>alert(1)</script>"
    assert initiative.description == "<b>vet</b> & zo"


def test_confirmation_email_goes_to_contact_after_commit_only(
        django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        result = submit()
        assert mail.outbox == []
    assert len(callbacks) == 1  # one task publish: routing, coupling, then the e-mail
    for callback in callbacks:
        callback()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["anna@example.org"]
    assert result.initiative.reference in message.subject
    assert f"/volgen/{result.token}" in message.body
    assert "Beste Anna de Boer" in message.body


def test_the_link_is_queued_with_the_submission_and_kept_only_until_sent(
        django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=False):
        result = submit()
    queued = OutboxMail.objects.get()
    assert queued.key == f"tracking-link:{hash_tracking_token(result.token)}"
    assert result.token not in queued.key and f"/volgen/{result.token}" in queued.body
    assert (queued.initiative_id, queued.to) == (result.initiative.pk, ["anna@example.org"])
    assert queued.to_initiators and queued.confidential
    send_outbox_mail.apply(args=[queued.pk])
    send_outbox_mail.apply(args=[queued.pk])  # a redelivered task
    assert len(mail.outbox) == 1 and f"/volgen/{result.token}" in mail.outbox[0].body
    queued.refresh_from_db()
    assert queued.sent_at is not None and queued.body == ""  # no working link at rest


def test_smtp_failure_does_not_break_the_submission(django_capture_on_commit_callbacks) -> None:
    broken = mock.patch("loket.core.services.EmailMessage.send",
                        side_effect=smtplib.SMTPServerDisconnected("weg"))
    with broken, django_capture_on_commit_callbacks(execute=True):
        result = submit()
    assert Initiative.objects.filter(pk=result.initiative.pk).exists()
    assert OutboxMail.objects.filter(sent_at__isnull=True).count() == 1  # for the sweep


def test_routing_and_coupling_are_enqueued_after_commit(
        django_capture_on_commit_callbacks) -> None:
    with mock.patch("loket.routing.services.propose_routing") as routing, \
            mock.patch("loket.coupling.services.suggest_couplings") as coupling, \
            django_capture_on_commit_callbacks(execute=True):
        result = submit()
    routing.assert_called_once_with(str(result.initiative.pk))
    coupling.assert_called_once_with(str(result.initiative.pk))


def test_a_failing_analysis_step_does_not_stop_the_others(
        django_capture_on_commit_callbacks) -> None:
    with mock.patch("loket.routing.services.propose_routing",
                    side_effect=RuntimeError("stuk")), \
            mock.patch("loket.coupling.services.suggest_couplings") as coupling:
        with django_capture_on_commit_callbacks(execute=False):
            result = submit()
        key = OutboxMail.objects.get().key
        with pytest.raises(RuntimeError, match="stuk"):  # raised after the other steps
            services.analyse_initiative(str(result.initiative.pk), key)
    coupling.assert_called_once_with(str(result.initiative.pk))
    assert len(mail.outbox) == 1  # the resident still gets the link
    assert OutboxMail.objects.get().sent_at is not None


def test_analysis_is_idempotent_and_sends_the_link_once(
        django_capture_on_commit_callbacks) -> None:
    from loket.intake.tasks import analyse_initiative

    with django_capture_on_commit_callbacks(execute=True):
        result = submit()
    key = OutboxMail.objects.get().key
    analyse_initiative.apply(args=[str(result.initiative.pk), key])  # a redelivered task
    assert len(mail.outbox) == 1
    assert result.initiative.routing.computed_at is not None


def test_duplicate_within_window_returns_existing_without_its_token(
        django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = submit()
    with django_capture_on_commit_callbacks(execute=True):
        again = submit(title="  moestuin op het  BRAAKLIGGENDE veld ",
                       initiators=[{"name": "Anna", "email": "ANNA@example.org"}])
    assert again.duplicate is True
    assert again.token is None
    assert again.initiative.pk == first.initiative.pk
    assert Initiative.objects.count() == 1
    # a fresh link went to the contact person only, and both links work
    assert len(mail.outbox) == 2
    assert mail.outbox[1].to == ["anna@example.org"]
    link = TrackingLink.objects.get()
    new_token = mail.outbox[1].body.split("/volgen/")[1].split()[0]
    assert link.token_hash == hash_tracking_token(new_token)
    assert initiative_for_token(new_token).pk == first.initiative.pk
    assert initiative_for_token(first.token).pk == first.initiative.pk


def test_duplicate_guard_ends_after_the_window(settings) -> None:
    settings.LOKET_DUPLICATE_WINDOW_MINUTES = 10
    first = submit()
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        again = submit()
    assert again.duplicate is False
    assert again.initiative.pk != first.initiative.pk


def test_other_contact_or_title_is_not_a_duplicate() -> None:
    submit()
    assert submit(title="Een ander plan").duplicate is False
    other = [{"name": "Bert", "email": "bert@example.org"}]
    assert submit(initiators=other).duplicate is False


def test_unknown_or_malformed_token_is_not_found() -> None:
    submit()
    for token in ["", "kort", "x" * 43, "../../etc/passwd", "a" * 500]:
        with pytest.raises(NotFound):
            initiative_for_token(token)


# -- additions through the link ------------------------------------------------------------

def test_initiators_edit_plan_while_editable_and_coupling_is_recomputed(
        django_capture_on_commit_callbacks) -> None:
    initiative = InitiativeFactory()
    actor = Actor.initiators(initiative.pk)
    with mock.patch("loket.coupling.services.suggest_couplings") as coupling:
        with django_capture_on_commit_callbacks(execute=True):
            services.update_plan(initiative, actor, {"description": "Nieuwe tekst"})
        with django_capture_on_commit_callbacks(execute=True):
            services.update_plan(initiative, actor, {"description": "Nieuwe tekst"})
    initiative.refresh_from_db()
    assert initiative.description == "Nieuwe tekst"
    coupling.assert_called_once_with(str(initiative.pk))  # unchanged text: no recompute


def test_plan_cannot_be_edited_once_submitted() -> None:
    initiative = InitiativeFactory(state=State.PLAN_SUBMITTED)
    with pytest.raises(Conflict):
        services.update_plan(initiative, Actor.initiators(initiative.pk), {"title": "Nieuw"})


def test_plan_edit_validates_fields() -> None:
    initiative = InitiativeFactory()
    with pytest.raises(InvalidInput) as caught:
        services.update_plan(initiative, Actor.initiators(initiative.pk),
                             {"title": "", "description": "x" * 10_001})
    assert set(caught.value.errors) == {"title", "description"}
    with pytest.raises(InvalidInput):
        services.update_plan(initiative, Actor.initiators(initiative.pk), {})


def test_other_initiatives_actor_cannot_act() -> None:
    mine, other = InitiativeFactory(), InitiativeFactory()
    intruder = Actor.initiators(other.pk)
    with pytest.raises(NotPermitted):
        services.update_plan(mine, intruder, {"title": "Gekaapt"})
    with pytest.raises(NotPermitted):
        services.add_note(mine, intruder, "hallo")
    question = QuestionFactory(initiative=mine)
    with pytest.raises(NotPermitted):
        services.answer_question(mine, intruder, question.pk, "antwoord")


def test_question_and_answer_flow() -> None:
    initiative = InitiativeFactory()
    broker = BrokerFactory()
    question = services.ask_question(initiative, Actor.for_user(broker), "Wie doen er mee?")
    assert question.is_open
    actor = Actor.initiators(initiative.pk)
    services.answer_question(initiative, actor, question.pk, "Tien buren.")
    question.refresh_from_db()
    assert question.answer == "Tien buren." and not question.is_open
    with pytest.raises(Conflict):
        services.answer_question(initiative, actor, question.pk, "Nog eens")
    with pytest.raises(NotFound):
        services.answer_question(initiative, actor, question.pk + 100, "x")


def test_answering_a_question_of_another_initiative_is_not_found() -> None:
    mine, other = InitiativeFactory(), InitiativeFactory()
    foreign = QuestionFactory(initiative=other)
    with pytest.raises(NotFound):
        services.answer_question(mine, Actor.initiators(mine.pk), foreign.pk, "x")
    assert Question.objects.get(pk=foreign.pk).is_open


def test_official_asks_only_for_a_consulted_department() -> None:
    from loket.routing.models import RoutedRequest

    initiative = InitiativeFactory()
    department = DepartmentFactory()
    official = OfficialFactory(department=department)
    actor = Actor.for_user(official)
    with pytest.raises(NotPermitted):
        services.ask_question(initiative, actor, "Waar precies?")
    RoutedRequest.objects.create(initiative=initiative, department=department,
                                 question="Advies?", due_date=timezone.localdate())
    question = services.ask_question(initiative, actor, "Waar precies?")
    assert question.department == department


def test_note_is_added() -> None:
    initiative = InitiativeFactory()
    note = services.add_note(initiative, Actor.initiators(initiative.pk), " Foto's volgen. ")
    assert note.text == "Foto's volgen."
    with pytest.raises(InvalidInput):
        services.add_note(initiative, Actor.initiators(initiative.pk), "")
