"""Write path of routing: proposals, corrections, routed requests, answers, e-mails, sweeps.

Every function is idempotent where a task calls it: a task that runs twice, or is
redelivered after a worker died (acks_late), finds its work done and does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override

from loket.core.actors import Actor, Role
from loket.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from loket.core.models import OutboxMail
from loket.core.services import queue_mail
from loket.core.tasks import enqueue_on_commit, send_now
from loket.intake.models import Area, Initiative, SupportKind
from loket.workflow.states import State

from . import rules as rules_engine
from . import selectors
from .models import (
    Answer,
    Department,
    ProposedDepartment,
    RoutedRequest,
    RoutingLearning,
    RoutingProposal,
    RoutingRule,
)
from .workdays import add_working_days, working_days_between

logger = logging.getLogger(__name__)

# Before consultation the broker may still change where the initiative goes.
EDITABLE_STATES = {State.SUBMITTED, State.INTAKE, State.ELABORATION, State.PLAN_SUBMITTED}
CLOSED_STATES = {State.REALIZED, State.WITHDRAWN, State.NOT_FEASIBLE}
BROKER_REASON = "toegevoegd door de makelaar"
MAX_LEARNING_EXAMPLES = 1000
REMINDER_WORKING_DAYS = 2


def _tasks() -> Any:
    from . import tasks

    return tasks


# -- evaluating rules ----------------------------------------------------------------------

def _facts(initiative: Initiative) -> rules_engine.Facts:
    return rules_engine.Facts(
        title=initiative.title, description=initiative.description,
        requested_budget=initiative.requested_budget or 0,
        support=tuple(initiative.support or ()),
        area=initiative.area.code if initiative.area_id else None)


def evaluate(facts: rules_engine.Facts) -> rules_engine.Evaluation:
    """Evaluate the configured rules, with the learned term weights, for an initiative."""
    fingerprint = selectors.rules_fingerprint()
    specs, learned = selectors.compiled_rules(fingerprint)
    return rules_engine.evaluate(specs, facts, learned=learned, fingerprint=fingerprint,
                                 support_labels=dict(SupportKind.choices))


def dry_run(actor: Actor, *, title: str = "", description: str = "", requested_budget: int = 0,
            support: Iterable[str] = (), area: str | None = None) -> rules_engine.Evaluation:
    """Which rules fire for a text, and why: for configuring rules without side effects."""
    if not actor.is_staff_member:
        raise NotPermitted(_("Alleen medewerkers kunnen de routering uitproberen."))
    errors: dict[str, list[Any]] = {}
    support = list(support)
    bad = [k for k in support if k not in SupportKind.values]
    if bad:
        errors["support"] = [_("Onbekende soort ondersteuning: %(kinds)s.") % {
            "kinds": ", ".join(bad)}]
    if area and not Area.objects.filter(code=area).exists():
        errors["area"] = [_("Onbekend gebied.")]
    if not (title or "").strip() and not (description or "").strip():
        errors["description"] = [_("Geef een titel of een beschrijving.")]
    if errors:
        raise InvalidInput(errors)
    return evaluate(rules_engine.Facts(title or "", description or "", requested_budget or 0,
                                       tuple(support), area or None))


# -- the proposal --------------------------------------------------------------------------

def _load(initiative_id: object, *, lock: bool = False) -> Initiative:
    qs = Initiative.objects.select_related("area")
    if lock:
        # FOR NO KEY UPDATE: we never change the key, and a plain FOR UPDATE would block the
        # foreign-key checks of concurrent inserts that point at this initiative (a deadlock
        # with the sweeper's proposal inserts was seen in CI).
        qs = qs.select_for_update(of=("self",), no_key=True)
    try:
        return qs.get(pk=initiative_id)
    except (Initiative.DoesNotExist, ValueError, TypeError):
        raise NotFound(_("Dit initiatief bestaat niet.")) from None


def _apply_evaluation(proposal: RoutingProposal, evaluation: rules_engine.Evaluation) -> None:
    """Replace only unconfirmed machine suggestions; refresh reasons of decided ones."""
    codes = evaluation.department_codes()
    by_code = {d.code: d for d in Department.objects.filter(code__in=codes)}
    existing = {p.department.code: p for p in proposal.departments.select_related("department")}
    for code, row in existing.items():
        if (row.decision == ProposedDepartment.Decision.PENDING
                and row.source == ProposedDepartment.Source.MACHINE and code not in codes):
            row.delete()
    for dept in evaluation.departments:
        row = existing.get(dept.department)
        if row is None:
            ProposedDepartment.objects.create(
                proposal=proposal, department=by_code[dept.department],
                source=ProposedDepartment.Source.MACHINE, score=dept.score,
                reasons=dept.reasons)
        elif row.source == ProposedDepartment.Source.MACHINE:
            row.score, row.reasons = dept.score, dept.reasons
            row.save(update_fields=["score", "reasons"])


def _ensure_proposal(initiative: Initiative, *, recompute: bool = False) -> RoutingProposal:
    """The initiative's proposal row, computed if it was not yet (call in a transaction)."""
    proposal, _created = RoutingProposal.objects.get_or_create(initiative=initiative)
    if proposal.computed_at is None or recompute:
        _apply_evaluation(proposal, evaluate(_facts(initiative)))
        proposal.computed_at = timezone.now()
        proposal.retry_at = None
        proposal.save(update_fields=["computed_at", "retry_at"])
    return proposal


def propose_routing(initiative_id: str) -> None:
    """Compute and store the routing proposal of an initiative (idempotent).

    Recomputing replaces only unconfirmed machine suggestions, never the broker's decisions;
    once the initiative went to consultation the routing is settled and left alone.
    """
    with transaction.atomic():
        try:
            initiative = _load(initiative_id, lock=True)
        except NotFound:
            logger.info("propose_routing: initiative gone", extra={"initiative": initiative_id})
            return
        if initiative.state in CLOSED_STATES or (
                initiative.state not in EDITABLE_STATES
                and RoutingProposal.objects.filter(initiative=initiative,
                                                   computed_at__isnull=False).exists()):
            RoutingProposal.objects.filter(initiative=initiative).update(retry_at=None)
            return
        _ensure_proposal(initiative, recompute=True)


def _check_editor(actor: Actor) -> None:
    if actor.role not in {Role.BROKER, Role.MANAGER}:
        raise NotPermitted(_("Alleen initiatiefmakelaars en managers passen de routering aan."))


def routing_of(actor: Actor, initiative_id: object) -> RoutingProposal:
    """The proposal as the broker sees it; computed on the spot if its task did not run."""
    _check_editor(actor)
    initiative = _load(initiative_id)
    proposal = selectors.proposal_for(initiative.pk)
    if proposal is None or proposal.computed_at is None:
        with transaction.atomic():
            _ensure_proposal(_load(initiative_id, lock=True))
        proposal = selectors.proposal_for(initiative.pk)
    assert proposal is not None
    return proposal


@transaction.atomic
def update_routing(actor: Actor, initiative_id: object, *,
                   departments: Iterable[str] | None = None, add: Iterable[str] = (),
                   remove: Iterable[str] = ()) -> RoutingProposal:
    """The broker's correction: `departments` is the whole set (PUT), or `add`/`remove`
    change it (PATCH). Stored per department, so later initiatives learn from it."""
    _check_editor(actor)
    initiative = _load(initiative_id, lock=True)
    if initiative.state not in EDITABLE_STATES and not (
            initiative.state == State.PAUSED and initiative.paused_from in EDITABLE_STATES):
        raise Conflict(_("De routering kan alleen worden aangepast zolang het initiatief nog "
                         "niet naar de afdelingen is gestuurd."))
    add, remove = list(add), list(remove)
    wanted = list(departments) if departments is not None else None
    mentioned = set(wanted or []) | set(add) | set(remove)
    known = {d.code: d for d in Department.objects.filter(code__in=mentioned, active=True)}
    errors: dict[str, list[Any]] = {}
    for name, codes in (("departments", wanted or []), ("add", add), ("remove", remove)):
        unknown = sorted({c for c in codes if c not in known})
        if unknown:
            errors[name] = [_("Onbekende of inactieve afdeling: %(codes)s.") % {
                "codes": ", ".join(unknown)}]
    if set(add) & set(remove):
        errors["remove"] = [*errors.get("remove", []),
                            _("Een afdeling kan niet tegelijk worden toegevoegd en verwijderd.")]
    if wanted is None and not add and not remove:
        errors["departments"] = [_("Geef de afdelingen, of wat erbij of eraf moet.")]
    if errors:
        raise InvalidInput(errors)
    proposal = _ensure_proposal(initiative)
    rows = {p.department.code: p for p in proposal.departments.select_related("department")}
    current = {c for c, p in rows.items() if p.confirmed}
    target = set(wanted) if wanted is not None else (current | set(add)) - set(remove)
    now = timezone.now()
    user = actor.user
    # PUT decides on every department; PATCH only on the ones it names.
    touched = target | set(rows) if wanted is not None else set(add) | set(remove)
    for code in sorted(touched):
        row = rows.get(code)
        if code in target:
            if row is None:
                ProposedDepartment.objects.create(
                    proposal=proposal, department=known[code],
                    source=ProposedDepartment.Source.BROKER,
                    decision=ProposedDepartment.Decision.ADDED,
                    reasons=[{"rule": BROKER_REASON, "conditions": [], "evidence": []}],
                    decided_by=user, decided_at=now)
            elif row.decision in {ProposedDepartment.Decision.PENDING,
                                  ProposedDepartment.Decision.REMOVED}:
                row.decision = (ProposedDepartment.Decision.KEPT
                                if row.source == ProposedDepartment.Source.MACHINE
                                else ProposedDepartment.Decision.ADDED)
                row.decided_by, row.decided_at = user, now
                row.save(update_fields=["decision", "decided_by", "decided_at"])
        elif row is not None and row.decision != ProposedDepartment.Decision.REMOVED:
            row.decision = ProposedDepartment.Decision.REMOVED
            row.decided_by, row.decided_at = user, now
            row.save(update_fields=["decision", "decided_by", "decided_at"])
    _mark_learning_dirty()
    result = selectors.proposal_for(initiative.pk)
    assert result is not None
    return result


# -- routing to the departments ------------------------------------------------------------

def _money(amount: int) -> str:
    return f"€ {amount:,}".replace(",", ".")


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " " + _g("en") + " " + items[-1]


def build_question(initiative: Initiative, department: Department, due: Any) -> str:
    """A clear Dutch question from the initiative and the support asked."""
    labels = dict(SupportKind.choices)
    asked = [str(labels[k]) for k in initiative.support or () if k in labels]
    with override("nl"):
        where = f" in {initiative.area.name}" if initiative.area_id else ""
        if initiative.address:
            where += f" ({initiative.address})"
        lines = [
            f"Bewoners hebben het initiatief ‘{initiative.title}’ ({initiative.reference})"
            f"{where} ingediend. Wij vragen {department.name} om een oordeel.",
        ]
        if asked:
            lines.append(f"De initiatiefnemers vragen de gemeente om: {_join(asked)}.")
        if initiative.requested_budget:
            lines.append(f"Zij vragen een budget van {_money(initiative.requested_budget)}.")
        lines.append(
            f"Kan uw afdeling hiermee akkoord gaan, eventueel onder voorwaarden? Zo niet, "
            f"waarom niet en wat kan wel? Of is eerst een gesprek met de initiatiefnemers "
            f"nodig? Graag uw antwoord uiterlijk {due:%d-%m-%Y}.")
        lines.append(f"Beschrijving van de initiatiefnemers:\n{initiative.description}")
    return "\n\n".join(lines)


def _request_reasons(row: ProposedDepartment) -> list[dict[str, Any]]:
    if row.source == ProposedDepartment.Source.BROKER:
        return [{"rule": BROKER_REASON, "conditions": [], "evidence": []}]
    return list(row.reasons or [])


def _round_started() -> Coalesce:
    """When the current consultation round began: the last send_to_consultation (a pause
    and resume in between is the same round), else when the state was entered."""
    from loket.workflow.models import TransitionLog

    sent = (TransitionLog.objects.filter(initiative=OuterRef("pk"),
                                         transition="send_to_consultation")
            .order_by("-at").values("at")[:1])
    return Coalesce(Subquery(sent), F("state_entered_at"))


def _round_of(initiative: Initiative) -> datetime:
    return Initiative.objects.filter(pk=initiative.pk).annotate(
        round_at=_round_started()).values_list("round_at", flat=True).get()


def route_to_departments(initiative_id: str) -> None:
    """Create the routed requests of an initiative in consultation (idempotent).

    One request per confirmed department (get_or_create on the unique pair). In a later
    consultation round (after the initiators reworked their plan) the requests that were
    not approved are reopened with a new due date; approvals stand.
    """
    with transaction.atomic():
        try:
            initiative = _load(initiative_id, lock=True)
        except NotFound:
            return
        if initiative.state != State.CONSULTATION:
            return
        proposal = _ensure_proposal(initiative)
        round_at = _round_of(initiative)
        if proposal.routed_for is not None and proposal.routed_for == round_at:
            return
        now = timezone.now()
        rows = [r for r in proposal.departments.select_related("department")
                if r.confirmed and r.department.active]
        ProposedDepartment.objects.filter(
            proposal=proposal, decision=ProposedDepartment.Decision.PENDING).update(
            decision=ProposedDepartment.Decision.KEPT, decided_at=now)
        wanted = {r.department_id for r in rows}
        for row in rows:
            department = row.department
            due = add_working_days(timezone.localdate(now), department.answer_term_days)
            defaults = {"question": build_question(initiative, department, due),
                        "reasons": _request_reasons(row), "due_date": due,
                        "round_started_at": round_at}
            request, created = RoutedRequest.objects.get_or_create(
                initiative=initiative, department=department, defaults=defaults)
            if created:
                _mail_new_request(request)
                continue
            if request.round_started_at == round_at:
                continue
            latest = request.answers.filter(superseded_by__isnull=True).order_by(
                "-created_at", "-id").first()
            if (request.status == RoutedRequest.Status.ANSWERED and latest is not None
                    and latest.decision == Answer.Decision.APPROVED):
                RoutedRequest.objects.filter(pk=request.pk).update(round_started_at=round_at)
                continue
            for name, value in defaults.items():
                setattr(request, name, value)
            request.status, request.answered_at = RoutedRequest.Status.OPEN, None
            request.save()
            _mail_new_request(request)
        RoutedRequest.objects.filter(initiative=initiative).exclude(
            department_id__in=wanted).exclude(status=RoutedRequest.Status.WITHDRAWN).update(
            status=RoutedRequest.Status.WITHDRAWN)
        RoutingProposal.objects.filter(pk=proposal.pk).update(
            routed_for=round_at, routed_at=now, route_retry_at=None,
            confirmed_at=proposal.confirmed_at or now)
        _mark_learning_dirty()
        if not rows:
            settle_consultation(initiative.pk)


def on_initiative_resumed(initiative_id: str, paused_at: datetime, resumed_at: datetime) -> None:
    """Stop-the-clock: move open requests' due dates by the working days spent paused.

    Called by the workflow inside the transaction that resumes the initiative. Answers
    given while paused are settled right after that transaction commits.
    """
    lost = working_days_between(timezone.localdate(paused_at), timezone.localdate(resumed_at))
    if lost:
        open_requests = list(RoutedRequest.objects.select_for_update().filter(
            initiative_id=initiative_id, status=RoutedRequest.Status.OPEN))
        for request in open_requests:
            request.due_date = add_working_days(request.due_date, lost)
        RoutedRequest.objects.bulk_update(open_requests, ["due_date"])
    enqueue_on_commit(_tasks().settle_consultation, str(initiative_id))


# -- answers -------------------------------------------------------------------------------

def validate_answer(*, decision: Any, motivation: str, alternative: str,
                    meeting_proposal: str, meeting_planned_at: datetime | None) -> None:
    """Every invalid field at once, as one InvalidInput."""
    errors: dict[str, list[Any]] = {}
    if decision not in Answer.Decision.values:
        errors["decision"] = [_("Kies een besluit: %(choices)s.") % {
            "choices": ", ".join(Answer.Decision.values)}]
    if decision != Answer.Decision.APPROVED and not (motivation or "").strip():
        errors["motivation"] = [_("Geef een motivering: de initiatiefnemers willen weten "
                                  "waarom.")]
    if decision == Answer.Decision.DECLINED and not (alternative or "").strip():
        errors["alternative"] = [_("Geef bij ‘niet akkoord’ aan wat wel kan (een "
                                   "alternatief).")]
    if decision == Answer.Decision.CONVERSATION_NEEDED:
        if not (meeting_proposal or "").strip():
            errors["meeting_proposal"] = [_("Stel een gesprek voor: wie, waar en waarover.")]
        if meeting_planned_at is None:
            errors["meeting_planned_at"] = [_("Geef aan wanneer het gesprek plaatsvindt.")]
        elif meeting_planned_at < timezone.now() - timedelta(days=1):
            errors["meeting_planned_at"] = [_("Het gesprek kan niet in het verleden liggen.")]
    if errors:
        raise InvalidInput(errors)


def answer_request(actor: Actor, request_id: int, *, decision: str, motivation: str = "",
                   alternative: str = "", meeting_proposal: str = "",
                   meeting_planned_at: datetime | None = None,
                   supersedes: int | None = None) -> Answer:
    """A department's final answer; a correction names the answer it `supersedes`.

    Concurrent answers to one request: the initiative row is locked and the request's status
    changes with compare-and-swap, so one wins and the other gets Conflict (409).
    """
    try:
        request = RoutedRequest.objects.select_related("department").get(pk=request_id)
    except RoutedRequest.DoesNotExist:
        raise NotFound(_("Deze vraag bestaat niet.")) from None
    if not (actor.role == Role.MANAGER or (
            actor.role == Role.OFFICIAL and request.department_id in actor.department_ids)):
        raise NotPermitted(_("Alleen medewerkers van %(department)s of een manager kunnen "
                             "deze vraag beantwoorden.") % {"department": request.department.name})
    validate_answer(decision=decision, motivation=motivation, alternative=alternative,
                    meeting_proposal=meeting_proposal, meeting_planned_at=meeting_planned_at)
    with transaction.atomic():
        initiative = _load(request.initiative_id, lock=True)
        request = RoutedRequest.objects.select_for_update(of=("self",)).select_related(
            "department").get(pk=request_id)
        in_consultation = initiative.state == State.CONSULTATION or (
            initiative.state == State.PAUSED and initiative.paused_from == State.CONSULTATION)
        if request.status == RoutedRequest.Status.WITHDRAWN or not in_consultation:
            raise Conflict(_("Deze vraag staat niet (meer) open voor een antwoord."))
        current = request.answers.filter(superseded_by__isnull=True).order_by(
            "-created_at", "-id").first()
        now = timezone.now()
        if supersedes is None:
            if request.status != RoutedRequest.Status.OPEN:
                raise Conflict(_("Deze vraag is al beantwoord. Een correctie is een nieuw "
                                 "antwoord dat het vorige vervangt (supersedes)."))
            swapped = RoutedRequest.objects.filter(
                pk=request.pk, status=RoutedRequest.Status.OPEN).update(
                status=RoutedRequest.Status.ANSWERED, answered_at=now)
            if not swapped:
                raise Conflict(_("Deze vraag is zojuist door iemand anders beantwoord."))
        elif current is None or current.pk != supersedes or (
                request.status != RoutedRequest.Status.ANSWERED):
            raise Conflict(_("U kunt alleen het laatste antwoord op deze vraag corrigeren."))
        try:
            with transaction.atomic():
                answer = Answer.objects.create(
                    request=request, decision=decision, motivation=motivation.strip(),
                    alternative=alternative.strip(), meeting_proposal=meeting_proposal.strip(),
                    meeting_planned_at=(meeting_planned_at if decision
                                        == Answer.Decision.CONVERSATION_NEEDED else None),
                    answered_by=actor.user, supersedes=current)
        except IntegrityError:
            raise Conflict(_("Dit antwoord is zojuist door iemand anders gecorrigeerd.")) from None
        _mail_answer(answer, request, initiative)
        settle_consultation(initiative.pk)
    return answer


def _fire_transition(initiative_id: object, name: str, *, public_note: str = "") -> None:
    """Move the initiative through the workflow's own entry point, as the system."""
    from loket.workflow import services as workflow

    workflow.fire_transition(initiative_id, name, Actor.system(), public_note=public_note)


def _answer_line(request: RoutedRequest, answer: Answer) -> str:
    line = f"{request.department.name}: {answer.get_decision_display()}"
    if answer.motivation:
        line += f". {answer.motivation}"
    if answer.alternative:
        line += f" Wat wel kan: {answer.alternative}"
    return line


def settle_consultation(initiative_id: object) -> str | None:
    """When every request is answered: all approved -> ready, otherwise back to elaboration.

    A `conversation_needed` answer waits: the department will answer for good after the
    meeting with the initiators (seed 004: sitting at one table gave a better plan), by a
    correction that supersedes it. Returns the transition fired, if any.
    """
    with transaction.atomic():
        initiative = _load(initiative_id, lock=True)
        if initiative.state != State.CONSULTATION:
            return None
        requests = list(RoutedRequest.objects.select_related("department").filter(
            initiative=initiative).exclude(status=RoutedRequest.Status.WITHDRAWN))
        if any(r.status != RoutedRequest.Status.ANSWERED for r in requests):
            return None
        latest = {a.request_id: a for a in Answer.objects.filter(
            request__in=requests, superseded_by__isnull=True).order_by("created_at", "id")}
        if len(latest) < len(requests):
            return None
        decisions = {a.decision for a in latest.values()}
        if Answer.Decision.CONVERSATION_NEEDED in decisions:
            return None
        with override("nl"):
            if decisions <= {Answer.Decision.APPROVED}:
                name = "complete_consultation"
                note = ("Alle afdelingen zijn akkoord. U kunt starten." if requests else
                        "Er zijn geen afdelingen nodig. U kunt starten.")
            else:
                name = "return_to_elaboration"
                lines = [_answer_line(r, latest[r.pk]) for r in requests]
                note = ("Niet alle afdelingen zijn zonder meer akkoord. Hun antwoorden:\n"
                        + "\n".join(f"- {line}" for line in lines))
        _fire_transition(initiative.pk, name, public_note=note)
        return name


# -- e-mail (outbox) ----------------------------------------------------------------------

def _render(template: str, context: Mapping[str, Any]) -> tuple[str, str]:
    with override("nl"):
        ctx = {"municipality": settings.LOKET_MUNICIPALITY_NAME,
               "base_url": settings.BASE_URL, **context}
        subject = render_to_string(f"routing/email/{template}_subject.txt", ctx).strip()
        body = render_to_string(f"routing/email/{template}_body.txt", ctx)
    return " ".join(subject.split())[:200], body


def _queue_mail(key: str, to: Iterable[str], template: str, context: Mapping[str, Any], *,
                to_initiators: bool = False) -> None:
    """Render a routing e-mail (in Dutch) into the shared outbox, once per key."""
    recipients = [t for t in to if t]
    if not recipients or OutboxMail.objects.filter(key=key).exists():
        return
    subject, body = _render(template, context)
    queue_mail(key, recipients, subject, body, initiative=context.get("initiative"),
               to_initiators=to_initiators)


def _department_addresses(department: Department) -> list[str]:
    return [department.mailbox, *department.officials.values_list("email", flat=True)]


def _mail_new_request(request: RoutedRequest) -> None:
    round_key = request.round_started_at.isoformat() if request.round_started_at else "1"
    _queue_mail(f"request:{request.pk}:{round_key}", _department_addresses(request.department),
                "new_request", {"request": request, "initiative": request.initiative,
                                "department": request.department})


def _mail_answer(answer: Answer, request: RoutedRequest, initiative: Initiative) -> None:
    context = {"answer": answer, "request": request, "initiative": initiative,
               "department": request.department}
    if initiative.broker_id and initiative.broker.email:
        _queue_mail(f"answer:{answer.pk}:broker", [initiative.broker.email], "answer",
                    {**context, "for_initiators": False})
    contact = initiative.initiators.filter(is_contact=True).first()
    if contact and contact.email:
        _queue_mail(f"answer:{answer.pk}:initiators", [contact.email], "answer",
                    {**context, "for_initiators": True, "contact": contact},
                    to_initiators=True)


def send_reminders(today: Any = None) -> int:
    """Remind departments 2 working days before the due date; once per request and round."""
    today = today or timezone.localdate()
    horizon = add_working_days(today, REMINDER_WORKING_DAYS)
    count = 0
    candidates = RoutedRequest.objects.select_related("department", "initiative").filter(
        status=RoutedRequest.Status.OPEN, due_date__gte=today, due_date__lte=horizon,
        initiative__state=State.CONSULTATION)
    for request in candidates:
        round_key = request.round_started_at.isoformat() if request.round_started_at else "1"
        key = f"reminder:{request.pk}:{round_key}"
        if OutboxMail.objects.filter(key=key).exists():
            continue
        with transaction.atomic():
            _queue_mail(key, _department_addresses(request.department), "reminder",
                        {"request": request, "initiative": request.initiative,
                         "department": request.department})
        count += 1
    return count


# -- learning from corrections ------------------------------------------------------------

def _mark_learning_dirty() -> None:
    """Routings changed: the learned weights must be recomputed (see RoutingLearning)."""
    RoutingLearning.objects.get_or_create(pk=1)
    now = timezone.now()
    was_clean = RoutingLearning.objects.filter(pk=1, dirty_at__isnull=True).update(
        dirty_at=now, version=F("version") + 1)
    if was_clean:
        enqueue_on_commit(_tasks().recompute_learning)
    else:
        RoutingLearning.objects.filter(pk=1).update(version=F("version") + 1)


def learning_examples() -> list[dict[str, Any]]:
    """Confirmed or corrected routings, newest first (bounded)."""
    proposals = (RoutingProposal.objects
                 .filter(Q(confirmed_at__isnull=False) | Q(departments__decided_by__isnull=False))
                 .distinct().select_related("initiative")
                 .prefetch_related("departments__department")
                 .order_by("-initiative__created_at")[:MAX_LEARNING_EXAMPLES])
    return [{"title": p.initiative.title, "description": p.initiative.description,
             "requested_budget": p.initiative.requested_budget,
             "departments": sorted(d.department.code for d in p.departments.all()
                                   if d.confirmed)}
            for p in proposals]


def department_profiles(specs: Iterable[rules_engine.RuleSpec]) -> dict[str, dict[str, float]]:
    """Per department, the terms of its learning rules (the strongest weight per term)."""
    out: dict[str, dict[str, float]] = {}
    for spec in specs:
        if not (spec.learns and spec.terms):
            continue
        bucket = out.setdefault(spec.department, {})
        for term, weight in spec.terms.items():
            bucket[term] = max(bucket.get(term, 0.0), float(weight))
    return out


def recompute_learning() -> bool:
    """Recompute the learned term weights from all confirmed routings (compare-and-swap)."""
    from . import text

    row, _created = RoutingLearning.objects.get_or_create(pk=1)
    if row.dirty_at is None:
        return False
    examples = learning_examples()
    adjustments = text.learn(examples, department_profiles(selectors.rule_specs()))
    now = timezone.now()
    if RoutingLearning.objects.filter(pk=1, version=row.version).update(
            adjustments=adjustments, examples=len(examples), computed_at=now, dirty_at=None):
        return True
    # Corrected meanwhile: store this (newer than before) but stay dirty for the sweeper.
    RoutingLearning.objects.filter(pk=1).update(adjustments=adjustments,
                                                examples=len(examples), computed_at=now)
    return False


# -- the sweeper ---------------------------------------------------------------------------

def sweep(now: datetime | None = None, batch: int = 200) -> dict[str, int]:
    """Re-enqueue routing work whose task never ran (broker down, worker died); e-mails are
    the core outbox sweep's. A proposal never computed means the initiative's analysis never
    ran, so intake's analysis task is re-enqueued (coupling suggestions come with it).

    Each re-enqueue first moves a marker with compare-and-swap, so concurrent sweepers
    enqueue each piece of work once per period.
    """
    now = now or timezone.now()
    after = timedelta(seconds=settings.LOKET_ROUTING_SWEEP_AFTER_SECONDS)
    cutoff = now - after
    tasks = _tasks()
    counts = {"proposals": 0, "routings": 0, "settled": 0, "learning": 0}

    missing = (Initiative.objects.filter(routing__isnull=True, created_at__lte=cutoff)
               .exclude(state__in=CLOSED_STATES).values_list("pk", flat=True)[:batch])
    RoutingProposal.objects.bulk_create(
        [RoutingProposal(initiative_id=pk, retry_at=now) for pk in missing],
        ignore_conflicts=True)
    stale = (RoutingProposal.objects.filter(computed_at__isnull=True, retry_at__lte=now)
             .values_list("pk", "initiative_id", "retry_at")[:batch])
    from loket.intake.tasks import analyse_initiative  # routing and coupling, as on submission

    for pk, initiative_id, marker in stale:
        if RoutingProposal.objects.filter(pk=pk, retry_at=marker).update(retry_at=now + after):
            counts["proposals"] += send_now(analyse_initiative, str(initiative_id))

    in_consultation = Initiative.objects.filter(state=State.CONSULTATION).annotate(
        round_at=_round_started(), routed_for=F("routing__routed_for"))
    unrouted = (in_consultation.filter(round_at__lte=cutoff)
                .filter(Q(routed_for__isnull=True) | ~Q(routed_for=F("round_at")))
                .values_list("pk", flat=True)[:batch])
    unrouted = list(unrouted)
    RoutingProposal.objects.bulk_create(
        [RoutingProposal(initiative_id=pk) for pk in unrouted], ignore_conflicts=True)
    for pk, marker in RoutingProposal.objects.filter(initiative_id__in=unrouted).filter(
            Q(route_retry_at__isnull=True) | Q(route_retry_at__lte=now)).values_list(
            "pk", "route_retry_at"):
        if RoutingProposal.objects.filter(pk=pk, route_retry_at=marker).update(
                route_retry_at=now + after):
            initiative_id = RoutingProposal.objects.values_list(
                "initiative_id", flat=True).get(pk=pk)
            counts["routings"] += send_now(tasks.route_to_departments, str(initiative_id))

    # Every department answered but the initiative did not move on (its settle task was
    # lost, e.g. after a resume while the broker was down): settle it now.
    open_requests = RoutedRequest.objects.filter(initiative=OuterRef("pk"),
                                                 status=RoutedRequest.Status.OPEN)
    talking = Answer.objects.filter(
        request__initiative=OuterRef("pk"), superseded_by__isnull=True,
        decision=Answer.Decision.CONVERSATION_NEEDED).exclude(
        request__status=RoutedRequest.Status.WITHDRAWN)
    answered = RoutedRequest.objects.filter(initiative=OuterRef("pk"),
                                            status=RoutedRequest.Status.ANSWERED)
    for pk in (in_consultation.filter(routed_for=F("round_at")).filter(Exists(answered))
               .exclude(Exists(open_requests)).exclude(Exists(talking))
               .values_list("pk", flat=True)[:batch]):
        try:
            counts["settled"] += bool(settle_consultation(pk))
        except Exception:  # one initiative must not stop the sweep of the others
            logger.exception("settling failed", extra={"initiative": str(pk)})

    if RoutingLearning.objects.filter(pk=1, dirty_at__lte=cutoff).exists():
        counts["learning"] += send_now(tasks.recompute_learning)
    return counts


# -- configuration (API writes; the admin uses model forms) ------------------------------

def _check_manager(actor: Actor) -> None:
    if actor.role != Role.MANAGER:
        raise NotPermitted(_("Alleen managers wijzigen de inrichting van de routering."))


RULE_FIELDS = ("order", "department", "name", "explanation", "terms", "min_score",
               "support_kinds", "min_requested_budget", "areas", "learns", "active")


@transaction.atomic
def save_rule(actor: Actor, data: Mapping[str, Any],
              rule: RoutingRule | None = None) -> RoutingRule:
    """Create or (partially) update a rule, validating every field at once."""
    _check_manager(actor)
    values = {f: data[f] for f in RULE_FIELDS if f in data}
    current = {
        "terms": rule.terms if rule else {}, "min_score": rule.min_score if rule else 1.0,
        "support_kinds": rule.support_kinds if rule else [],
        "min_requested_budget": rule.min_requested_budget if rule else None,
        "areas": [a.code for a in rule.areas.all()] if rule else [],
    }
    merged = {**current, **values}
    errors = rules_engine.validate_rule(
        terms=merged["terms"], min_score=merged["min_score"],
        support_kinds=merged["support_kinds"],
        min_requested_budget=merged["min_requested_budget"], has_areas=bool(merged["areas"]))
    department = None
    if "department" in values:
        department = Department.objects.filter(code=values["department"]).first()
        if department is None:
            errors["department"] = [_("Onbekende afdeling.")]
    elif rule is None:
        errors["department"] = [_("Kies een afdeling.")]
    areas = None
    if "areas" in values:
        areas = list(Area.objects.filter(code__in=values["areas"] or []))
        unknown = sorted(set(values["areas"] or []) - {a.code for a in areas})
        if unknown:
            errors["areas"] = [_("Onbekend gebied: %(codes)s.") % {"codes": ", ".join(unknown)}]
    if rule is None and not str(values.get("name", "")).strip():
        errors["name"] = [_("Geef de regel een naam.")]
    if errors:
        raise InvalidInput(errors)
    rule = rule or RoutingRule()
    for name, value in values.items():
        if name in {"department", "areas"}:
            continue
        setattr(rule, name, value)
    if department is not None:
        rule.department = department
    rule.save()
    if areas is not None:
        rule.areas.set(areas)
    return rule


@transaction.atomic
def delete_rule(actor: Actor, rule: RoutingRule) -> None:
    _check_manager(actor)
    rule.delete()


DEPARTMENT_FIELDS = ("code", "name", "description", "mailbox", "answer_term_days", "active")


@transaction.atomic
def save_department(actor: Actor, data: Mapping[str, Any],
                    department: Department | None = None,
                    officials: list[str] | None = None) -> Department:
    """Create or update a department; officials by username."""
    from django.contrib.auth import get_user_model

    _check_manager(actor)
    errors: dict[str, list[Any]] = {}
    code = data.get("code")
    if code is not None and Department.objects.filter(code=code).exclude(
            pk=department.pk if department else None).exists():
        errors["code"] = [_("Deze code is al in gebruik.")]
    term = data.get("answer_term_days")
    if term is not None and not 1 <= int(term) <= 120:
        errors["answer_term_days"] = [_("De antwoordtermijn is 1 tot 120 werkdagen.")]
    users = None
    if officials is not None:
        users = list(get_user_model().objects.filter(username__in=officials))
        unknown = sorted(set(officials) - {u.username for u in users})
        if unknown:
            errors["officials"] = [_("Onbekende gebruiker: %(names)s.") % {
                "names": ", ".join(unknown)}]
    if errors:
        raise InvalidInput(errors)
    department = department or Department()
    for name in DEPARTMENT_FIELDS:
        if name in data:
            setattr(department, name, data[name])
    department.save()
    if users is not None:
        department.officials.set(users)
    return department
