"""Routed requests, answers with reasons, and the workflow moving on them."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from loket.core.errors import Conflict, InvalidInput, NotPermitted
from loket.core.models import OutboxMail
from loket.routing import services
from loket.routing.models import Answer, RoutedRequest
from loket.workflow.models import TransitionLog
from loket.workflow.states import State

from .conftest import Town, initiative_in

AMS = ZoneInfo("Europe/Amsterdam")


def consultation(town: Town, **kwargs: Any) -> Any:
    values = {"title": "Bloembakken tegen hardrijders",
              "description": "Auto's rijden te hard; wij willen bloembakken op de rijbaan.",
              "requested_budget": 350, "support": ["money"]} | kwargs
    return initiative_in(State.CONSULTATION, broker=town.broker, **values)


def answer(town: Town, request: RoutedRequest, decision: str = "approved", **kwargs: Any) -> Any:
    user = {town.verkeer.pk: town.official, town.groen.pk: town.groen_official}.get(
        request.department_id, town.manager)
    return services.answer_request(town.actor(user), request.pk, decision=decision, **kwargs)


@time_machine.travel(datetime(2026, 12, 21, 9, 0, tzinfo=AMS), tick=False)
def test_one_request_per_department_with_question_reasons_and_working_day_due_date(
        town: Town, django_capture_on_commit_callbacks: Any) -> None:
    initiative = consultation(town)
    with django_capture_on_commit_callbacks(execute=True):
        services.route_to_departments(str(initiative.pk))
    requests = {r.department.code: r for r in RoutedRequest.objects.filter(
        initiative=initiative).select_related("department")}
    assert set(requests) == {"verkeer", "openbare-ruimte", "subsidies"}
    verkeer = requests["verkeer"]
    # Monday 21 Dec 2026 + 10 working days: Christmas (25, 26) and New Year (1 Jan) skipped.
    assert verkeer.due_date == date(2027, 1, 6)
    assert requests["openbare-ruimte"].due_date == date(2026, 12, 29)  # 5 working days
    assert "Bloembakken tegen hardrijders" in verkeer.question
    assert "geld" in verkeer.question and "€ 350" in verkeer.question
    assert "06-01-2027" in verkeer.question
    assert verkeer.reasons[0]["rule"] == "Tekst verkeer"
    # One e-mail per request, to the mailbox and the officials, in Dutch.
    subjects = sorted(m.subject for m in mail.outbox)
    assert len(subjects) == 3 and all(s.startswith("Nieuwe vraag voor") for s in subjects)
    to_verkeer = next(m for m in mail.outbox if "verkeer@gemeente.example" in m.to)
    assert town.official.email in to_verkeer.to
    assert "uiterste antwoorddatum" in to_verkeer.body.lower()


def test_routing_twice_creates_no_duplicates_and_no_second_mail(
        town: Town, django_capture_on_commit_callbacks: Any) -> None:
    initiative = consultation(town)
    with django_capture_on_commit_callbacks(execute=True):
        services.route_to_departments(str(initiative.pk))
        services.route_to_departments(str(initiative.pk))
    from loket.routing.models import RoutingProposal

    RoutingProposal.objects.filter(initiative=initiative).update(routed_for=None)  # as if lost
    with django_capture_on_commit_callbacks(execute=True):
        services.route_to_departments(str(initiative.pk))
    assert RoutedRequest.objects.filter(initiative=initiative).count() == 3
    assert OutboxMail.objects.count() == 3 and len(mail.outbox) == 3


def test_broker_added_department_says_so_and_removed_one_gets_nothing(town: Town) -> None:
    initiative = initiative_in(State.PLAN_SUBMITTED, broker=town.broker,
                               title="Bloembakken", description="Bloembakken tegen hardrijders.")
    services.update_routing(town.actor(town.broker), initiative.pk,
                            add=["vergunningen"], remove=["openbare-ruimte"])
    type(initiative).objects.filter(pk=initiative.pk).update(state=State.CONSULTATION)
    services.route_to_departments(str(initiative.pk))
    requests = {r.department.code: r for r in initiative.requests.select_related("department")}
    assert set(requests) == {"verkeer", "vergunningen"}
    assert requests["vergunningen"].reasons[0]["rule"] == "toegevoegd door de makelaar"


def test_not_in_consultation_nothing_is_routed(town: Town) -> None:
    initiative = initiative_in(State.INTAKE, title="Zebrapad", description="Een zebrapad.")
    services.route_to_departments(str(initiative.pk))
    assert not RoutedRequest.objects.exists()


def test_answer_validation_lists_every_invalid_field(town: Town) -> None:
    initiative = consultation(town)
    services.route_to_departments(str(initiative.pk))
    request = initiative.requests.get(department=town.verkeer)
    with pytest.raises(InvalidInput) as exc:
        answer(town, request, "declined")
    assert set(exc.value.errors) == {"motivation", "alternative"}
    with pytest.raises(InvalidInput) as exc:
        answer(town, request, "conversation_needed", motivation="Eerst praten.")
    assert set(exc.value.errors) == {"meeting_proposal", "meeting_planned_at"}
    with pytest.raises(InvalidInput) as exc:
        answer(town, request, "maybe")
    assert set(exc.value.errors) == {"decision", "motivation"}
    assert not Answer.objects.exists()


def test_only_officials_of_the_department_or_a_manager_answer(town: Town) -> None:
    initiative = consultation(town)
    services.route_to_departments(str(initiative.pk))
    request = initiative.requests.get(department=town.verkeer)
    for user in (town.groen_official, town.broker):
        with pytest.raises(NotPermitted):
            services.answer_request(town.actor(user), request.pk, decision="approved")
    services.answer_request(town.actor(town.manager), request.pk, decision="approved")


def test_an_answer_is_final_a_correction_supersedes_it(
        town: Town, django_capture_on_commit_callbacks: Any) -> None:
    initiative = consultation(town, requested_budget=0, support=[],
                              description="Auto's rijden te hard. Bloembakken op de rijbaan.")
    services.route_to_departments(str(initiative.pk))
    request = initiative.requests.get(department=town.verkeer)
    first = answer(town, request, "approved_with_conditions", motivation="Maximaal 60 cm hoog.")
    with pytest.raises(Conflict):
        answer(town, request, "approved")
    with django_capture_on_commit_callbacks(execute=True):
        second = answer(town, request, "approved", supersedes=first.pk)
    assert second.supersedes_id == first.pk and Answer.objects.filter(request=request).count() == 2
    with pytest.raises(Conflict):  # only the latest can be corrected
        answer(town, request, "declined", motivation="x", alternative="y", supersedes=first.pk)
    # The correction was mailed to the broker and to the initiators' contact person.
    recipients = sorted(tuple(m.to) for m in mail.outbox)
    assert recipients == [("contact@example.org",), ("makelaar@gemeente.example",)]
    assert "vervangt het vorige antwoord" in mail.outbox[0].body


def test_all_approved_makes_the_initiative_ready(town: Town) -> None:
    initiative = consultation(town)
    services.route_to_departments(str(initiative.pk))
    requests = list(initiative.requests.all())
    for request in requests[:-1]:
        answer(town, request)
        initiative.refresh_from_db()
        assert initiative.state == State.CONSULTATION
    answer(town, requests[-1])
    initiative.refresh_from_db()
    assert initiative.state == State.READY
    log = TransitionLog.objects.filter(initiative=initiative).last()
    assert log.transition == "complete_consultation" and log.actor_role == "system"


def test_a_decline_returns_to_elaboration_with_the_answers_shown(town: Town) -> None:
    initiative = consultation(town)
    services.route_to_departments(str(initiative.pk))
    for request in initiative.requests.select_related("department"):
        if request.department == town.verkeer:
            answer(town, request, "declined", motivation="Bloembakken op de rijbaan mogen niet.",
                   alternative="Een drempel en een 30-bord.")
        else:
            answer(town, request)
    initiative.refresh_from_db()
    assert initiative.state == State.ELABORATION
    note = TransitionLog.objects.filter(initiative=initiative).last().public_note
    assert "Bloembakken op de rijbaan mogen niet." in note and "Een drempel" in note


def test_conversation_needed_waits_for_the_meeting_then_the_final_answer_counts(
        town: Town) -> None:
    initiative = consultation(town)
    services.route_to_departments(str(initiative.pk))
    meeting = timezone.now() + timedelta(days=3)
    talk = None
    for request in initiative.requests.select_related("department"):
        if request.department == town.verkeer:
            talk = answer(town, request, "conversation_needed", motivation="Samen kijken.",
                          meeting_proposal="Aan de keukentafel bij de bewoners.",
                          meeting_planned_at=meeting)
        else:
            answer(town, request)
    initiative.refresh_from_db()
    assert initiative.state == State.CONSULTATION
    assert talk is not None and talk.meeting_planned_at == meeting
    answer(town, talk.request, "approved", supersedes=talk.pk)
    initiative.refresh_from_db()
    assert initiative.state == State.READY


def test_stop_the_clock_moves_open_due_dates_by_working_days_paused(town: Town) -> None:
    initiative = consultation(town)
    services.route_to_departments(str(initiative.pk))
    open_request = initiative.requests.get(department=town.verkeer)
    answered = initiative.requests.get(department=town.groen)
    answer(town, answered)
    RoutedRequest.objects.filter(pk=open_request.pk).update(due_date=date(2026, 12, 23))
    # Paused Friday 18 Dec, resumed Monday 4 Jan: 21-24, 28-31 Dec and 4 Jan = 9 working days.
    services.on_initiative_resumed(initiative.pk,
                                   datetime(2026, 12, 18, 15, 0, tzinfo=AMS),
                                   datetime(2027, 1, 4, 10, 0, tzinfo=AMS))
    open_request.refresh_from_db()
    assert open_request.due_date == date(2027, 1, 7)
    before = answered.due_date
    answered.refresh_from_db()
    assert answered.due_date == before


def test_answers_while_paused_settle_after_resuming(
        town: Town, django_capture_on_commit_callbacks: Any) -> None:
    initiative = consultation(town)
    services.route_to_departments(str(initiative.pk))
    type(initiative).objects.filter(pk=initiative.pk).update(
        state=State.PAUSED, paused_from=State.CONSULTATION)
    for request in initiative.requests.all():
        answer(town, request)
    initiative.refresh_from_db()
    assert initiative.state == State.PAUSED
    type(initiative).objects.filter(pk=initiative.pk).update(state=State.CONSULTATION,
                                                              paused_from="")
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        services.on_initiative_resumed(initiative.pk, now - timedelta(days=1), now)
    initiative.refresh_from_db()
    assert initiative.state == State.READY


def test_second_round_reopens_what_was_not_approved(town: Town) -> None:
    initiative = consultation(town)
    services.route_to_departments(str(initiative.pk))
    verkeer = initiative.requests.get(department=town.verkeer)
    first = answer(town, verkeer, "declined", motivation="Niet op de rijbaan.",
                   alternative="Op de stoep.")
    for request in initiative.requests.exclude(pk=verkeer.pk):
        answer(town, request)
    initiative.refresh_from_db()
    assert initiative.state == State.ELABORATION
    type(initiative).objects.filter(pk=initiative.pk).update(
        state=State.CONSULTATION, state_entered_at=timezone.now())
    services.route_to_departments(str(initiative.pk))
    statuses = dict(initiative.requests.values_list("department__code", "status"))
    assert statuses == {"verkeer": "open", "openbare-ruimte": "answered",
                        "subsidies": "answered"}
    second = answer(town, initiative.requests.get(department=town.verkeer))
    assert second.supersedes_id == first.pk
    initiative.refresh_from_db()
    assert initiative.state == State.READY


@time_machine.travel(datetime(2026, 12, 21, 9, 0, tzinfo=AMS), tick=False)
def test_reminder_two_working_days_before_the_due_date_once(
        town: Town, django_capture_on_commit_callbacks: Any) -> None:
    initiative = consultation(town)
    services.route_to_departments(str(initiative.pk))
    request = initiative.requests.get(department=town.verkeer)
    RoutedRequest.objects.filter(initiative=initiative).exclude(pk=request.pk).update(
        status=RoutedRequest.Status.ANSWERED)
    RoutedRequest.objects.filter(pk=request.pk).update(due_date=date(2026, 12, 29))
    mail.outbox.clear()
    # Monday 21 Dec: 29 Dec is 4 working days away (Christmas) -> no reminder yet.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(date(2026, 12, 21)) == 0
    # Wednesday 23 Dec: two working days on is 28 Dec -> not yet.
    # Thursday 24 Dec: two working days on (28, 29) is the due date -> remind, once.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(date(2026, 12, 23)) == 0
        assert services.send_reminders(date(2026, 12, 24)) == 1
        assert services.send_reminders(date(2026, 12, 24)) == 0
        assert services.send_reminders(date(2026, 12, 28)) == 0
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith("Herinnering")



def test_no_departments_needed_the_initiative_is_ready_at_once(town: Town) -> None:
    initiative = initiative_in(State.PLAN_SUBMITTED, broker=town.broker, title="Iets",
                               description="Een zebrapad.")
    services.update_routing(town.actor(town.broker), initiative.pk, departments=[])
    type(initiative).objects.filter(pk=initiative.pk).update(state=State.CONSULTATION)
    services.route_to_departments(str(initiative.pk))
    initiative.refresh_from_db()
    assert initiative.state == State.READY and not initiative.requests.exists()
    note = TransitionLog.objects.filter(initiative=initiative).last().public_note
    assert "geen afdelingen nodig" in note


def test_a_withdrawn_department_no_longer_holds_up_the_next_round(town: Town) -> None:
    initiative = consultation(town)
    services.route_to_departments(str(initiative.pk))
    verkeer = initiative.requests.get(department=town.verkeer)
    answer(town, verkeer, "declined", motivation="Niet zo.", alternative="Anders.")
    for request in initiative.requests.exclude(pk=verkeer.pk).exclude(department=town.groen):
        answer(town, request)
    groen = initiative.requests.get(department=town.groen)
    answer(town, groen, "declined", motivation="Geen plek.", alternative="Elders.")
    initiative.refresh_from_db()
    assert initiative.state == State.ELABORATION
    services.update_routing(town.actor(town.broker), initiative.pk, remove=["openbare-ruimte"])
    type(initiative).objects.filter(pk=initiative.pk).update(
        state=State.CONSULTATION, state_entered_at=timezone.now())
    services.route_to_departments(str(initiative.pk))
    groen.refresh_from_db()
    assert groen.status == RoutedRequest.Status.WITHDRAWN
    answer(town, initiative.requests.get(department=town.verkeer))
    initiative.refresh_from_db()
    assert initiative.state == State.READY
    with pytest.raises(Conflict):
        answer(town, groen, "approved", supersedes=groen.answers.last().pk)
