"""Time-travel tests of the stall scan: every stall and block rule, clearing, escalation."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from loket.intake.models import Initiative
from loket.monitoring import services
from loket.monitoring.models import (
    DEFAULT_BLOCK_RULES,
    DEFAULT_STALL_RULES,
    BlockRule,
    Flag,
    StallRule,
)
from loket.routing.models import Answer, RoutedRequest
from loket.routing.workdays import add_working_days
from loket.workflow.states import State

from .conftest import answer, at, log, make_initiative, make_request

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)  # no public holidays in the weeks after


def scan(day: date, hour: int = 12) -> services.ScanResult:
    with time_machine.travel(at(day, hour), tick=False):
        return services.scan_flags()


def open_flags(**filters: object) -> list[Flag]:
    return list(Flag.objects.filter(cleared_at__isnull=True, **filters))


def test_default_rules_are_installed_as_documented() -> None:
    assert {r.state: (r.working_days, r.escalation_working_days)
            for r in StallRule.objects.all()} == DEFAULT_STALL_RULES
    assert {r.kind: (r.working_days, r.escalation_working_days)
            for r in BlockRule.objects.all()} == DEFAULT_BLOCK_RULES
    assert not StallRule.objects.filter(state=State.CONSULTATION).exists()


@pytest.mark.parametrize(("state", "days"), sorted(DEFAULT_STALL_RULES.items()))
def test_each_state_rule_flags_after_its_working_days(state: str, days: tuple[int, int],
                                                      broker: object) -> None:
    working_days = days[0]
    initiative = make_initiative(state=state, entered=at(MONDAY, 9), broker=broker)
    scan(add_working_days(MONDAY, working_days - 1))
    assert open_flags() == []
    scan(add_working_days(MONDAY, working_days))
    [flag] = open_flags()
    assert flag.initiative_id == initiative.pk
    assert flag.kind == Flag.Kind.STALLED
    assert flag.since == initiative.state_entered_at
    assert str(working_days) in flag.reason
    expected = "initiators" if state in {State.ELABORATION, State.READY, State.IN_PROGRESS,
                                         State.PAUSED} else "broker"
    assert flag.ball_holder == expected


def test_weekends_do_not_count() -> None:
    friday = date(2026, 3, 6)
    make_initiative(state=State.SUBMITTED, entered=at(friday, 16))
    scan(friday + timedelta(days=3))  # Monday: one working day
    scan(friday + timedelta(days=4))  # Tuesday: two
    assert open_flags(kind=Flag.Kind.STALLED) == []
    scan(friday + timedelta(days=5))  # Wednesday: three
    assert len(open_flags(kind=Flag.Kind.STALLED)) == 1


def test_inactive_rule_raises_nothing_and_edited_term_applies(broker: object) -> None:
    make_initiative(state=State.INTAKE, entered=at(MONDAY), broker=broker)
    StallRule.objects.filter(state=State.INTAKE).update(active=False)
    scan(add_working_days(MONDAY, 20))
    assert open_flags() == []
    StallRule.objects.filter(state=State.INTAKE).update(active=True, working_days=25)
    scan(add_working_days(MONDAY, 20))
    assert open_flags() == []
    scan(add_working_days(MONDAY, 25))
    assert len(open_flags()) == 1


def test_flag_clears_itself_when_the_state_changes(broker: object) -> None:
    initiative = make_initiative(state=State.INTAKE, entered=at(MONDAY), broker=broker)
    day = add_working_days(MONDAY, 10)
    scan(day)
    [flag] = open_flags()
    Initiative.objects.filter(pk=initiative.pk).update(state=State.ELABORATION,
                                                        state_entered_at=at(day, 13))
    result = scan(day, hour=14)
    assert result.cleared == 1
    flag.refresh_from_db()
    assert flag.cleared_at is not None
    assert open_flags() == []
    # Stuck again in the next state: a new flag, the old one stays as history.
    scan(add_working_days(day, 30))
    [new] = open_flags()
    assert new.pk != flag.pk and new.cause.startswith("state:elaboration")
    assert Flag.objects.count() == 2


def test_request_past_due_date_is_overdue_with_the_department_holding_the_ball(
        department: object, broker: object) -> None:
    initiative = make_initiative(state=State.CONSULTATION, entered=at(MONDAY), broker=broker)
    due = add_working_days(MONDAY, 10)
    request = make_request(initiative, department, due)
    scan(due)
    assert open_flags(kind=Flag.Kind.OVERDUE) == []
    scan(due + timedelta(days=1))
    [flag] = open_flags(kind=Flag.Kind.OVERDUE)
    assert flag.ball_holder == Flag.BallHolder.DEPARTMENT
    assert flag.department_id == department.pk
    assert "Verkeer en Mobiliteit" in flag.reason
    # The department answers: the flag clears itself.
    RoutedRequest.objects.filter(pk=request.pk).update(status=RoutedRequest.Status.ANSWERED)
    scan(due + timedelta(days=2))
    assert open_flags(kind=Flag.Kind.OVERDUE) == []


def test_no_overdue_while_paused_the_clock_is_stopped(department: object) -> None:
    initiative = make_initiative(state=State.PAUSED, entered=at(MONDAY))
    make_request(initiative, department, MONDAY)
    scan(MONDAY + timedelta(days=3))
    assert open_flags(kind=Flag.Kind.OVERDUE) == []


def test_overdue_rule_with_grace_days(department: object) -> None:
    BlockRule.objects.filter(kind=BlockRule.Kind.REQUEST_OVERDUE).update(working_days=2)
    initiative = make_initiative(state=State.CONSULTATION, entered=at(MONDAY))
    make_request(initiative, department, MONDAY)
    scan(add_working_days(MONDAY, 2))
    assert open_flags(kind=Flag.Kind.OVERDUE) == []
    scan(add_working_days(MONDAY, 3))
    assert len(open_flags(kind=Flag.Kind.OVERDUE)) == 1


def test_declined_answer_without_follow_up(department: object, broker: object) -> None:
    initiative = make_initiative(state=State.CONSULTATION, entered=at(MONDAY), broker=broker)
    request = make_request(initiative, department, add_working_days(MONDAY, 10))
    answered = at(add_working_days(MONDAY, 2))
    answer(request, Answer.Decision.DECLINED, answered)
    # The system sending it back to elaboration is not a follow-up by people.
    log(initiative, answered + timedelta(minutes=1), role="system",
        source=State.CONSULTATION, target=State.ELABORATION)
    Initiative.objects.filter(pk=initiative.pk).update(state=State.ELABORATION,
                                                        state_entered_at=answered)
    scan(add_working_days(MONDAY, 11))
    assert open_flags(kind=Flag.Kind.BLOCKED) == []
    scan(add_working_days(MONDAY, 12))
    [flag] = open_flags(kind=Flag.Kind.BLOCKED)
    assert flag.cause.startswith("declined:")
    assert flag.ball_holder == Flag.BallHolder.BROKER
    assert flag.department_id == department.pk
    assert "niet akkoord" in flag.reason
    # The initiators act on it (they resubmit their plan): the block clears.
    log(initiative, at(add_working_days(MONDAY, 12), 15))
    scan(add_working_days(MONDAY, 12), hour=16)
    assert open_flags(kind=Flag.Kind.BLOCKED) == []


def test_declined_answer_superseded_is_no_block(department: object) -> None:
    initiative = make_initiative(state=State.CONSULTATION, entered=at(MONDAY))
    request = make_request(initiative, department, add_working_days(MONDAY, 10))
    first = answer(request, Answer.Decision.DECLINED, at(MONDAY))
    Answer.objects.create(request=request, decision=Answer.Decision.APPROVED, supersedes=first)
    scan(add_working_days(MONDAY, 20))
    assert open_flags(cause__startswith="declined") == []


def test_conversation_needed_without_a_meeting(department: object, broker: object) -> None:
    initiative = make_initiative(state=State.CONSULTATION, entered=at(MONDAY), broker=broker)
    request = make_request(initiative, department, add_working_days(MONDAY, 10))
    conversation = answer(request, Answer.Decision.CONVERSATION_NEEDED, at(MONDAY))
    scan(add_working_days(MONDAY, 4))
    assert open_flags(kind=Flag.Kind.BLOCKED) == []
    scan(add_working_days(MONDAY, 5))
    [flag] = open_flags(kind=Flag.Kind.BLOCKED)
    assert flag.cause == f"conversation:{conversation.pk}"
    assert "gesprek" in flag.reason
    # A later answer (after the conversation) supersedes it: the block clears.
    Answer.objects.create(request=request, decision=Answer.Decision.APPROVED,
                          supersedes=conversation)
    scan(add_working_days(MONDAY, 6))
    assert open_flags(kind=Flag.Kind.BLOCKED) == []


def test_conversation_held_without_a_new_answer_blocks_at_the_department(
        department: object, broker: object) -> None:
    initiative = make_initiative(state=State.CONSULTATION, entered=at(MONDAY), broker=broker)
    request = make_request(initiative, department, add_working_days(MONDAY, 10))
    conversation = answer(request, Answer.Decision.CONVERSATION_NEEDED, at(MONDAY))
    meeting = add_working_days(MONDAY, 3)
    Answer.objects.filter(pk=conversation.pk).update(meeting_planned_at=at(meeting, 14))
    scan(add_working_days(MONDAY, 6))  # 6 days after the answer, 3 after the meeting
    assert open_flags(kind=Flag.Kind.BLOCKED) == []
    scan(add_working_days(meeting, 5))
    [flag] = open_flags(kind=Flag.Kind.BLOCKED)
    assert flag.ball_holder == Flag.BallHolder.DEPARTMENT
    assert flag.department_id == department.pk
    assert "nieuw antwoord" in flag.reason
    assert flag.since == at(meeting, 14)


def test_no_broker_after_n_days(broker: object) -> None:
    initiative = make_initiative(state=State.SUBMITTED, entered=at(MONDAY))
    scan(add_working_days(MONDAY, 4))
    assert open_flags(cause="no_broker") == []
    scan(add_working_days(MONDAY, 5))
    [flag] = open_flags(cause="no_broker")
    assert flag.kind == Flag.Kind.BLOCKED and flag.ball_holder == Flag.BallHolder.BROKER
    Initiative.objects.filter(pk=initiative.pk).update(broker=broker)
    scan(add_working_days(MONDAY, 5), hour=15)
    assert open_flags(cause="no_broker") == []


def test_closed_initiatives_are_never_flagged() -> None:
    for state in (State.REALIZED, State.WITHDRAWN, State.NOT_FEASIBLE):
        make_initiative(state=state, entered=at(MONDAY - timedelta(days=400)))
    scan(MONDAY)
    assert Flag.objects.count() == 0


def test_one_open_flag_per_cause_is_enforced_by_the_database() -> None:
    initiative = make_initiative()
    values = {"initiative": initiative, "kind": Flag.Kind.STALLED, "cause": "x",
              "reason_code": "no_broker", "reason_params": {"days": 5},
              "ball_holder": "broker", "since": timezone.now(),
              "created_at": timezone.now()}
    first = Flag.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        Flag.objects.create(**values)
    Flag.objects.filter(pk=first.pk).update(cleared_at=timezone.now())
    Flag.objects.create(**values)  # a cleared flag does not block a new occurrence


def test_scanning_twice_raises_each_flag_once(broker: object) -> None:
    make_initiative(state=State.INTAKE, entered=at(MONDAY), broker=broker)
    day = add_working_days(MONDAY, 12)
    first, second = scan(day), scan(day)
    assert (first.raised, second.raised, second.cleared) == (1, 0, 0)
    assert Flag.objects.count() == 1


def test_scan_queries_do_not_grow_with_candidates(broker: object, department: object) -> None:
    def queries(n: int) -> int:
        for _ in range(n):
            make_initiative(state=State.INTAKE, entered=at(MONDAY), broker=broker)
            late = make_initiative(state=State.CONSULTATION, entered=at(MONDAY))
            make_request(late, department, MONDAY)
        with time_machine.travel(at(add_working_days(MONDAY, 40)), tick=False), \
                CaptureQueriesContext(connection) as ctx:
            services.scan_flags(notify=False)
        Flag.objects.all().delete()
        return len(ctx.captured_queries)

    # (Inserts are batched by SQLite's 999-parameter limit, about 58 flag rows per insert;
    # 1 + 15 rounds of 3 flags stay within one batch.)
    assert queries(1) == queries(15)


# -- escalation and notification -------------------------------------------------------------

def test_escalation_notifies_once_per_level(broker: object, manager: object) -> None:
    make_initiative(state=State.INTAKE, entered=at(MONDAY), broker=broker)
    day = add_working_days(MONDAY, 10)
    scan(day)
    [flag] = open_flags()
    assert (flag.escalation_level, flag.notified_level) == (1, 1)
    assert [m.to for m in mail.outbox] == [["makelaar@gemeente.example"]]
    assert "kennismaking" in mail.outbox[0].body
    scan(day, hour=13)
    scan(add_working_days(day, 1))
    assert len(mail.outbox) == 1  # not again at every scan

    scan(add_working_days(day, 5))  # the second term (5 working days for intake) runs out
    flag.refresh_from_db()
    assert (flag.escalation_level, flag.notified_level) == (2, 2)
    assert [m.to for m in mail.outbox[1:]] == [["manager@gemeente.example"]]
    assert "manager" in mail.outbox[1].body
    scan(add_working_days(day, 6))
    scan(add_working_days(day, 30))
    assert len(mail.outbox) == 2


def test_overdue_notifies_the_department_and_the_broker(department: object, broker: object,
                                                        official: object) -> None:
    initiative = make_initiative(state=State.CONSULTATION, entered=at(MONDAY), broker=broker)
    make_request(initiative, department, MONDAY)
    scan(MONDAY + timedelta(days=1))
    assert sorted(m.to[0] for m in mail.outbox) == ["makelaar@gemeente.example",
                                                   "verkeer@gemeente.example"]
    assert all(initiative.reference in m.body for m in mail.outbox)


def test_failed_sending_is_retried_at_the_next_scan(broker: object, monkeypatch) -> None:
    make_initiative(state=State.INTAKE, entered=at(MONDAY), broker=broker)
    day = add_working_days(MONDAY, 10)

    def broken(self: object, messages: object) -> int:
        raise OSError("smtp down")

    monkeypatch.setattr("django.core.mail.backends.locmem.EmailBackend.send_messages", broken)
    with pytest.raises(OSError):
        scan(day)
    assert open_flags()[0].notified_level == 0
    monkeypatch.undo()
    scan(day, hour=13)
    assert len(mail.outbox) == 1 and open_flags()[0].notified_level == 1


def test_initiators_holding_the_ball_is_not_a_municipal_stall(
        broker: object, manager: object, department: object) -> None:
    initiative = make_initiative(state=State.ELABORATION, entered=at(MONDAY), broker=broker)
    make_request(initiative, department, add_working_days(MONDAY, 60))
    scan(add_working_days(MONDAY, 30))
    [flag] = open_flags()
    assert flag.ball_holder == Flag.BallHolder.INITIATORS
    assert "geen vertraging bij de gemeente" in flag.reason
    assert flag.escalate_at is None
    [message] = mail.outbox
    assert message.to == ["makelaar@gemeente.example"]  # the broker only: no department
    assert "contact opnemen" in message.subject
    assert "niemand hoeft zich aangesproken te voelen" in message.body
    # Never escalated to the manager: nobody is blamed.
    scan(add_working_days(MONDAY, 120))
    flag.refresh_from_db()
    assert flag.escalation_level == 1
    assert len(mail.outbox) == 1


def test_without_a_broker_the_whole_broker_team_is_told(broker: object) -> None:
    make_initiative(state=State.SUBMITTED, entered=at(MONDAY))
    scan(add_working_days(MONDAY, 3))
    assert [m.to for m in mail.outbox] == [["makelaar@gemeente.example"]]
    assert "nog niet opgepakt" in mail.outbox[0].body


def test_long_standing_stall_found_late_goes_straight_to_level_two(broker: object,
                                                                   manager: object) -> None:
    make_initiative(state=State.INTAKE, entered=at(MONDAY), broker=broker)
    scan(add_working_days(MONDAY, 40))
    [flag] = open_flags()
    assert (flag.escalation_level, flag.notified_level) == (2, 2)
    assert sorted(m.to[0] for m in mail.outbox) == ["makelaar@gemeente.example",
                                                   "manager@gemeente.example"]


def test_command_and_task_run_the_scan(broker: object, capsys) -> None:
    from loket.monitoring.tasks import scan_flags

    make_initiative(state=State.INTAKE, entered=at(MONDAY), broker=broker)
    with time_machine.travel(at(add_working_days(MONDAY, 10)), tick=False):
        call_command("flag_stalled", "--no-notify")
        assert "Nieuw: 1" in capsys.readouterr().out
        assert mail.outbox == []
        result = scan_flags.delay().get()
    assert result["raised"] == 0 and result["notified"] == 1


def test_open_flags_follow_their_initiatives_area_and_broker(broker: object, area: object) -> None:
    from .conftest import make_user

    initiative = make_initiative(state=State.INTAKE, entered=at(MONDAY), broker=broker,
                                 area=area)
    day = add_working_days(MONDAY, 10)
    scan(day)
    [flag] = open_flags()
    assert (flag.area_id, flag.broker_id) == (area.pk, broker.pk)
    other = make_user("makelaar2")
    Initiative.objects.filter(pk=initiative.pk).update(broker=other, area=None)
    scan(day, hour=13)
    flag.refresh_from_db()
    assert (flag.area_id, flag.broker_id, flag.cleared_at) == (None, other.pk, None)


def test_digest_lists_a_bounded_number_of_flags(broker: object, monkeypatch) -> None:
    monkeypatch.setattr(services, "DIGEST_LINES", 2)
    for _ in range(3):
        make_initiative(state=State.INTAKE, entered=at(MONDAY), broker=broker)
    scan(add_working_days(MONDAY, 10))
    [message] = mail.outbox
    assert message.subject == "Loket: 3 initiatieven vragen aandacht"
    assert message.body.count("INI-T-") == 2
    assert "en nog 1 andere" in message.body


def test_notification_queries_do_not_grow_with_flags(broker: object, manager: object,
                                                     department: object) -> None:
    def queries(n: int) -> int:
        for _ in range(n):
            make_initiative(state=State.INTAKE, entered=at(MONDAY), broker=broker)
            make_initiative(state=State.SUBMITTED, entered=at(MONDAY))
            late = make_initiative(state=State.CONSULTATION, entered=at(MONDAY), broker=broker)
            make_request(late, department, MONDAY)
        with time_machine.travel(at(add_working_days(MONDAY, 40)), tick=False):
            services.scan_flags(notify=False)
            with CaptureQueriesContext(connection) as ctx:
                notified, emails = services.notify_pending()
        assert notified == 4 * n and emails == 3  # broker, department, manager
        Flag.objects.all().delete()
        Initiative.objects.all().delete()
        mail.outbox.clear()
        return len(ctx.captured_queries)

    assert queries(1) == queries(6)
