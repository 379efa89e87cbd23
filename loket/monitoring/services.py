"""The stall scan: raise, clear and escalate flags, and notify once per escalation level.

One function, `scan_flags`, used by the beat task (every 15 minutes) and by
`manage.py flag_stalled`. Its cost grows with the number of candidates, not with all
initiatives ever: each rule is one index-backed query with a cut-off ((state,
state_entered_at) per state rule, (status, due_date) for open requests), flags are written
with bulk inserts and set-based updates, and only open flags are read back.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import models, transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from loket.core.actors import BROKER_GROUP, MANAGER_GROUP
from loket.intake.models import Initiative
from loket.routing import workdays
from loket.routing.models import Answer, Department, RoutedRequest
from loket.workflow.models import TransitionLog
from loket.workflow.states import ACTIVE_STATES, BALL_HOLDER, BallHolder, State

from . import reasons
from .models import BlockRule, Flag, StallRule

logger = logging.getLogger(__name__)

Key = tuple[Any, str, str]  # (initiative_id, kind, cause)
BATCH = 5000
DIGEST_LINES = 50  # flags listed per section of a digest e-mail
# Answers are only followed up while the initiative is still being shaped; in any later
# state somebody has acted on them already.
FOLLOW_UP_STATES = (State.CONSULTATION, State.ELABORATION)


@dataclass
class ScanResult:
    raised: int = 0
    cleared: int = 0
    escalated: int = 0
    open: int = 0
    notified: int = 0
    emails: int = 0


@dataclass(frozen=True)
class Wanted:
    """A flag the rules say should be open (built into a Flag only when it is new)."""

    kind: str
    ball_holder: str
    since: datetime
    escalate_at: datetime | None
    department_id: int | None
    reason: reasons.Reason  # (code, parameters): rendered in the reader's language


# -- working-day helpers (cached: candidates share a few hundred distinct dates) ----------

@lru_cache(maxsize=65536)
def _add_working_days(day: date, n: int) -> date:
    return workdays.add_working_days(day, n)


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


@lru_cache(maxsize=65536)
def _crossed(day: date, days: int, after: bool = False) -> datetime:
    """The moment a term of `days` working days counted from `day` runs out
    (`after`: the day after that, for due dates, which still count as on time)."""
    return _start_of(_add_working_days(day, days) + timedelta(days=int(after)))


# -- rules -> flags that should be open ----------------------------------------------------

# Candidates yield (key, (builder, args)): the Wanted spec is built only for new flags, so
# the steady state costs one tuple per candidate.
Lazy = tuple[Callable[..., Wanted], tuple, int | None, int | None]  # + area_id, broker_id


def _stalled_spec(entered: datetime, state: str, ball: str, days: int,
                  escalation: int) -> Wanted:
    escalate_at = (None if ball == Flag.BallHolder.INITIATORS else
                   _crossed(_local_date(entered), days + escalation))
    return Wanted(Flag.Kind.STALLED, ball, entered, escalate_at, None,
                  reasons.stalled(state, days, initiators=ball == Flag.BallHolder.INITIATORS))


def _stall_candidates(today: date) -> Iterator[tuple[Key, Lazy]]:
    for rule in StallRule.objects.filter(active=True):
        cutoff = _start_of(_add_working_days(today, -rule.working_days) + timedelta(days=1))
        holder = BALL_HOLDER.get(rule.state, BallHolder.BROKER)
        ball = (Flag.BallHolder.INITIATORS if holder == BallHolder.INITIATORS
                else Flag.BallHolder.BROKER)
        rows = (Initiative.objects.order_by()  # no sorting: the scan needs sets, not order
                .filter(state=rule.state, state_entered_at__lt=cutoff)
                .values_list("id", "state_entered_at", "area_id", "broker_id"))
        prefix = f"state:{rule.state}:"
        args = (rule.state, ball, rule.working_days, rule.escalation_working_days)
        for initiative_id, entered, area_id, broker_id in rows:
            key = (initiative_id, Flag.Kind.STALLED, prefix + str(int(entered.timestamp())))
            yield key, (_stalled_spec, (entered, *args), area_id, broker_id)


def _overdue_spec(due_date: date, department_id: int, days: int, escalation: int) -> Wanted:
    return Wanted(Flag.Kind.OVERDUE, Flag.BallHolder.DEPARTMENT,
                  _start_of(due_date + timedelta(days=1)),
                  _crossed(due_date, days + escalation, after=True),
                  department_id, reasons.overdue(due_date))


def _overdue_candidates(rule: BlockRule, today: date) -> Iterator[tuple[Key, Lazy]]:
    # Only while in consultation: when paused the clock is stopped (routing moves
    # the due dates on resume), so an open request of a paused initiative is not overdue.
    cutoff = _add_working_days(today, -rule.working_days)
    rows = (RoutedRequest.objects.order_by()
            .filter(status=RoutedRequest.Status.OPEN, due_date__lt=cutoff,
                    initiative__state=State.CONSULTATION)
            .values_list("id", "initiative_id", "department_id", "due_date",
                         "initiative__area_id", "initiative__broker_id"))
    for request_id, initiative_id, department_id, due_date, area_id, broker_id in rows:
        key = (initiative_id, Flag.Kind.OVERDUE, f"request:{request_id}:{due_date.isoformat()}")
        yield key, (_overdue_spec, (due_date, department_id, rule.working_days,
                                    rule.escalation_working_days), area_id, broker_id)


def answers_without_follow_up(rule: BlockRule, today: date) -> models.QuerySet:
    """Declined or conversation_needed answers past the rule's term with nothing after.

    For a conversation the term runs from the planned meeting (routing records it with the
    answer), or from the answer when no meeting is planned: after the conversation the
    department owes a new answer that supersedes this one.
    """
    cutoff = _start_of(_add_working_days(today, -rule.working_days) + timedelta(days=1))
    answers = Answer.objects.order_by().filter(
        superseded_by__isnull=True,
        request__status=RoutedRequest.Status.ANSWERED,
        request__initiative__state__in=FOLLOW_UP_STATES,
    )
    if rule.kind == BlockRule.Kind.DECLINED_NO_FOLLOW_UP:
        # Follow-up: anybody but the system moved the initiative after the answer
        # (the initiators resubmitted their plan, the broker marked it, ...).
        acted = TransitionLog.objects.filter(
            initiative_id=OuterRef("request__initiative_id"), at__gt=OuterRef("created_at"),
        ).exclude(actor_role="system")
        return answers.filter(decision=Answer.Decision.DECLINED,
                              created_at__lt=cutoff).exclude(Exists(acted))
    return answers.filter(decision=Answer.Decision.CONVERSATION_NEEDED).filter(
        Q(meeting_planned_at__isnull=True, created_at__lt=cutoff)
        | Q(meeting_planned_at__lt=cutoff))


def _answer_spec(code: str, ball: str, start: datetime, department_id: int, days: int,
                 escalation: int) -> Wanted:
    return Wanted(Flag.Kind.BLOCKED, ball, start,
                  _crossed(_local_date(start), days + escalation), department_id,
                  reasons.answer(code, _local_date(start), days))


def _answer_candidates(rule: BlockRule, today: date) -> Iterator[tuple[Key, Lazy]]:
    declined = rule.kind == BlockRule.Kind.DECLINED_NO_FOLLOW_UP
    rows = answers_without_follow_up(rule, today).values_list(
        "id", "request__initiative_id", "request__department_id", "created_at",
        "meeting_planned_at", "request__initiative__area_id", "request__initiative__broker_id")
    terms = (rule.working_days, rule.escalation_working_days)
    for answer_id, initiative_id, department_id, answered_at, met, area_id, broker_id in rows:
        if declined:
            cause, ball, code = (f"declined:{answer_id}", Flag.BallHolder.BROKER,
                                 reasons.DECLINED)
        elif met is not None:  # the conversation was held: the department owes an answer
            cause, ball, code = (f"conversation:{answer_id}", Flag.BallHolder.DEPARTMENT,
                                 reasons.MET)
        else:
            cause, ball, code = (f"conversation:{answer_id}", Flag.BallHolder.BROKER,
                                 reasons.CONVERSATION)
        yield (initiative_id, Flag.Kind.BLOCKED, cause), (
            _answer_spec, (code, ball, met or answered_at, department_id, *terms),
            area_id, broker_id)


def _no_broker_spec(created_at: datetime, days: int, escalation: int) -> Wanted:
    return Wanted(Flag.Kind.BLOCKED, Flag.BallHolder.BROKER, created_at,
                  _crossed(_local_date(created_at), days + escalation), None,
                  reasons.no_broker(days))


def _no_broker_candidates(rule: BlockRule, today: date) -> Iterator[tuple[Key, Lazy]]:
    cutoff = _start_of(_add_working_days(today, -rule.working_days) + timedelta(days=1))
    rows = (Initiative.objects.order_by()
            .filter(broker__isnull=True, state__in=[*ACTIVE_STATES, State.PAUSED],
                    created_at__lt=cutoff)
            .values_list("id", "created_at", "area_id"))
    for initiative_id, created_at, area_id in rows:
        yield (initiative_id, Flag.Kind.BLOCKED, "no_broker"), (
            _no_broker_spec, (created_at, rule.working_days, rule.escalation_working_days),
            area_id, None)


def wanted_flags(now: datetime) -> dict[Key, Lazy]:
    today = _local_date(now)
    wanted: dict[Key, Lazy] = dict(_stall_candidates(today))
    for rule in BlockRule.objects.filter(active=True):
        if rule.kind == BlockRule.Kind.REQUEST_OVERDUE:
            wanted.update(_overdue_candidates(rule, today))
        elif rule.kind == BlockRule.Kind.NO_BROKER:
            wanted.update(_no_broker_candidates(rule, today))
        else:
            wanted.update(_answer_candidates(rule, today))
    return wanted


# -- the scan -------------------------------------------------------------------------------

def _chunks(items: list, size: int = BATCH) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


def scan_flags(now: datetime | None = None, *, notify: bool = True) -> ScanResult:
    """Bring the open flags in line with the rules, escalate due ones, then notify.

    Idempotent and safe to run concurrently: the partial unique constraint turns a flag
    raised twice into a no-op, and notifications are claimed per level (compare-and-swap).
    Reasons are stored as code + parameters (reasons.py): no sentence is written here.
    """
    now = now or timezone.now()
    result = ScanResult()
    with transaction.atomic():
        wanted = wanted_flags(now)
        open_flags = {
            (initiative_id, kind, cause): (pk, area_id, broker_id)
            for pk, initiative_id, kind, cause, area_id, broker_id
            in Flag.objects.filter(cleared_at__isnull=True).order_by()
            .values_list("pk", "initiative_id", "kind", "cause", "area_id", "broker_id")
        }
        gone = [pk for key, (pk, _, _) in open_flags.items() if key not in wanted]
        # An open flag follows its initiative's area and broker (a reassigned broker).
        moved: dict[tuple, list[int]] = defaultdict(list)
        for key, (pk, area_id, broker_id) in open_flags.items():
            current = wanted.get(key)
            if current is not None and (current[2], current[3]) != (area_id, broker_id):
                moved[(current[2], current[3])].append(pk)
        for (area_id, broker_id), pks in moved.items():
            Flag.objects.filter(pk__in=pks).update(area_id=area_id, broker_id=broker_id)
        for chunk in _chunks(gone):
            result.cleared += Flag.objects.filter(pk__in=chunk, cleared_at__isnull=True).update(
                cleared_at=now)
        new_keys = [key for key in wanted if key not in open_flags]
        if new_keys:
            new_flags = []
            for key in new_keys:
                build, args, area_id, broker_id = wanted[key]
                spec = build(*args)
                level = 2 if spec.escalate_at is not None and spec.escalate_at <= now else 1
                new_flags.append(Flag(
                    initiative_id=key[0], kind=key[1], cause=key[2],
                    reason_code=spec.reason[0], reason_params=spec.reason[1],
                    ball_holder=spec.ball_holder, department_id=spec.department_id,
                    area_id=area_id, broker_id=broker_id,
                    since=spec.since, escalate_at=spec.escalate_at, escalation_level=level,
                    created_at=now))
            # ignore_conflicts: a concurrent scan that raised the same flag first wins.
            Flag.objects.bulk_create(new_flags, batch_size=2000, ignore_conflicts=True)
            result.raised = len(new_flags)
        result.escalated = Flag.objects.filter(
            cleared_at__isnull=True, escalation_level=1, escalate_at__lte=now,
        ).update(escalation_level=2)
        result.open = len(open_flags) - len(gone) + len(new_keys)
    if notify:
        result.notified, result.emails = notify_pending(now)
    logger.info("stall scan", extra={"raised": result.raised, "cleared": result.cleared,
                                     "escalated": result.escalated, "open": result.open,
                                     "notified": result.notified})
    return result


# -- notifications ----------------------------------------------------------------------------

def _emails(users: Any) -> list[str]:
    return sorted({u.email for u in users if u.is_active and u.email})


def notify_pending(now: datetime | None = None) -> tuple[int, int]:
    """E-mail whoever must know about flags whose level has not been notified yet.

    Claims the flags with row locks (SKIP LOCKED: a concurrent scan leaves them alone) and
    raises `notified_level` to the current level in the same transaction, so each level
    is announced once. If sending fails the transaction rolls back and the next scan tries
    again (at least once, never at every scan). Returns (flags notified, e-mails sent).
    """
    user_model = get_user_model()
    with transaction.atomic(), override(settings.LANGUAGE_CODE):
        pending = list(
            Flag.objects.select_for_update(skip_locked=True, of=("self",))
            .filter(cleared_at__isnull=True, notified_level__lt=F("escalation_level"))
            .select_related("initiative", "initiative__broker", "department")
            .only("id", "kind", "reason_code", "reason_params", "legacy_reason", "ball_holder",
                  "since", "escalation_level", "notified_level", "department_id",
                  "department__name",
                  # (the workflow mixin reads the state when an initiative is loaded)
                  "initiative__state", "initiative__reference", "initiative__title",
                  "initiative__broker",
                  "initiative__broker__email", "initiative__broker__is_active")
            .order_by("since", "id")
        )
        if not pending:
            return 0, 0
        department_ids = {f.department_id for f in pending if f.department_id}
        departments = {d.pk: d for d in Department.objects.filter(pk__in=department_ids)
                       .prefetch_related("officials")}
        brokers = _emails(user_model.objects.filter(groups__name=BROKER_GROUP))
        managers = _emails(user_model.objects.filter(groups__name=MANAGER_GROUP))

        # recipient -> section -> flags
        digests: dict[str, dict[str, list[Flag]]] = defaultdict(lambda: defaultdict(list))
        for flag in pending:
            if flag.notified_level < 1:
                broker = flag.initiative.broker
                to_broker = ([broker.email] if broker is not None and broker.email
                             else brokers)
                section = ("check_in" if flag.ball_holder == Flag.BallHolder.INITIATORS
                           else "attention")
                for address in to_broker:
                    digests[address][section].append(flag)
                department = departments.get(flag.department_id or 0)
                if department is not None and section == "attention":
                    to_department = ([department.mailbox] if department.mailbox
                                     else _emails(department.officials.all()))
                    for address in to_department:
                        digests[address]["attention"].append(flag)
            if flag.escalation_level >= 2:
                for address in managers:
                    digests[address]["escalation"].append(flag)

        lines: dict[int, str] = {}  # each flag's line rendered once, not per recipient
        messages = [_digest(address, sections, lines)
                    for address, sections in sorted(digests.items())]
        for chunk in _chunks([f.pk for f in pending]):
            Flag.objects.filter(pk__in=chunk).update(notified_level=F("escalation_level"))
        if messages:
            with mail.get_connection() as connection:
                connection.send_messages(messages)
    return len(pending), len(messages)


def _flag_line(flag: Flag) -> str:
    initiative = flag.initiative
    holder = (flag.department.name if flag.ball_holder == Flag.BallHolder.DEPARTMENT
              and flag.department else flag.get_ball_holder_display())
    return (f"- {initiative.reference} {initiative.title}\n  {flag.reason}\n"
            f"  {_('Aan zet')}: {holder} · {_('sinds')} "
            f"{date_format(timezone.localtime(flag.since).date())}")


def _listed(flags: list[Flag], lines: dict[int, str]) -> list[str]:
    """The first DIGEST_LINES flags of a section (longest stalled first), then a pointer to
    the dashboard: nobody reads a mail of a thousand lines."""
    shown = []
    for flag in flags[:DIGEST_LINES]:
        if flag.pk not in lines:
            lines[flag.pk] = _flag_line(flag)
        shown.append(lines[flag.pk])
    if len(flags) > DIGEST_LINES:
        shown.append(_("… en nog %(count)s andere; zie het overzicht.") % {
            "count": len(flags) - DIGEST_LINES})
    return [*shown, ""]


def _digest(address: str, sections: dict[str, list[Flag]],
            lines: dict[int, str]) -> mail.EmailMessage:
    count = sum(len(flags) for flags in sections.values())
    parts = [_("Goedendag,"), ""]
    if sections.get("attention"):
        parts += [_("Deze initiatieven liggen stil of zitten vast en vragen uw aandacht:"), ""]
        parts += _listed(sections["attention"], lines)
    if sections.get("check_in"):
        parts += [
            _("Bij deze initiatieven zijn de initiatiefnemers aan zet. Dat is geen "
              "vertraging bij de gemeente en niemand hoeft zich aangesproken te voelen. "
              "Wilt u even contact opnemen om te horen hoe het gaat en of ze iets nodig "
              "hebben?"), ""]
        parts += _listed(sections["check_in"], lines)
    if sections.get("escalation"):
        parts += [_("Deze signaleringen staan langer open dan de tweede termijn en worden "
                    "daarom aan u als manager voorgelegd:"), ""]
        parts += _listed(sections["escalation"], lines)
    parts += [_("Het overzicht staat op %(url)s.") % {
        "url": f"{settings.BASE_URL}/api/v1/dashboard/stalled"}, "",
        _("Met vriendelijke groet,"), f"Loket - {settings.LOKET_MUNICIPALITY_NAME}"]
    subject = (_("Loket: 1 initiatief vraagt aandacht") if count == 1 else
               _("Loket: %(count)s initiatieven vragen aandacht") % {"count": count})
    if set(sections) == {"check_in"}:
        subject = _("Loket: even contact opnemen met initiatiefnemers?")
    return mail.EmailMessage(subject=subject, body="\n".join(parts), to=[address])
