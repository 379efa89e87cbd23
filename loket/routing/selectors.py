"""Read queries of routing, without N+1: select_related / prefetch_related / annotate."""

from __future__ import annotations

import hashlib
import threading

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Max,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from loket.core.actors import Actor, Role
from loket.core.errors import NotFound, NotPermitted

from .models import (
    Answer,
    Department,
    ProposedDepartment,
    RoutedRequest,
    RoutingLearning,
    RoutingProposal,
    RoutingRule,
)
from .rules import RuleSpec

STAFF = {Role.BROKER, Role.MANAGER, Role.OFFICIAL}


def departments() -> QuerySet[Department]:
    return Department.objects.prefetch_related("officials").order_by("name")


def rules() -> QuerySet[RoutingRule]:
    return RoutingRule.objects.select_related("department").prefetch_related("areas")


def rules_fingerprint() -> str:
    """Changes whenever a rule, an active department's code or name, or the learned weights
    change: the cache key of the compiled rules (three small queries instead of loading
    every rule for every initiative)."""
    agg = RoutingRule.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    learning = RoutingLearning.objects.filter(pk=1).values_list("computed_at", flat=True).first()
    departments = list(Department.objects.filter(active=True).order_by("code")
                       .values_list("code", "name"))
    digest = hashlib.sha256(repr(departments).encode()).hexdigest()[:16]
    return f"{agg['n']}:{agg['at']}:{learning}:{digest}"


def rule_specs() -> list[RuleSpec]:
    """Active rules of active departments as plain data for rules.evaluate."""
    return [
        RuleSpec(id=r.id, order=r.order, name=r.name, department=r.department.code,
                 department_name=r.department.name, explanation=r.explanation,
                 terms={str(t): float(w) for t, w in (r.terms or {}).items()},
                 min_score=r.min_score, support_kinds=tuple(r.support_kinds or ()),
                 min_requested_budget=r.min_requested_budget,
                 areas=tuple(a.code for a in r.areas.all()), learns=r.learns)
        for r in rules().filter(active=True, department__active=True)
    ]


_compiled: dict[str, tuple[list[RuleSpec], dict[str, dict[str, float]]]] = {}
_compiled_lock = threading.Lock()


def compiled_rules(fingerprint: str) -> tuple[list[RuleSpec], dict[str, dict[str, float]]]:
    """The rule specs and learned weights of this configuration, loaded once per process
    and fingerprint (an edit in any process changes the fingerprint everywhere)."""
    with _compiled_lock:
        cached = _compiled.get(fingerprint)
    if cached is not None:
        return cached
    loaded = (rule_specs(), learned_adjustments())
    with _compiled_lock:
        if len(_compiled) > 8:
            _compiled.clear()
        _compiled[fingerprint] = loaded
    return loaded


def learned_adjustments() -> dict[str, dict[str, float]]:
    row = RoutingLearning.objects.filter(pk=1).first()
    return dict(row.adjustments) if row else {}


def proposal_for(initiative_id: object) -> RoutingProposal | None:
    return (RoutingProposal.objects.select_related("initiative")
            .prefetch_related(Prefetch("departments", queryset=ProposedDepartment.objects
                                       .select_related("department", "decided_by")
                                       .order_by("department__name")))
            .filter(initiative_id=initiative_id).first())


def _with_answers(qs: QuerySet[RoutedRequest]) -> QuerySet[RoutedRequest]:
    return qs.select_related("department", "initiative", "initiative__area").prefetch_related(
        Prefetch("answers", queryset=Answer.objects.select_related("answered_by")
                 .order_by("created_at", "id")))


def latest_answer(request: RoutedRequest) -> Answer | None:
    """The answer that counts: the last one of the (prefetched) chain."""
    answers = list(request.answers.all())
    superseded = {a.supersedes_id for a in answers if a.supersedes_id}
    current = [a for a in answers if a.id not in superseded]
    return current[-1] if current else None


def requests_for(actor: Actor, *, status: str | None = None, department: str | None = None,
                 initiative: object | None = None) -> QuerySet[RoutedRequest]:
    """The inbox: officials see their departments' requests, brokers and managers all.

    Overdue requests first, then by due date.
    """
    if actor.role not in STAFF:
        raise NotPermitted(_no_inbox())
    today = timezone.localdate()
    qs = RoutedRequest.objects.all()
    if actor.role == Role.OFFICIAL:
        qs = qs.filter(department_id__in=actor.department_ids)
    qs = qs.annotate(is_overdue=Case(
        When(Q(status=RoutedRequest.Status.OPEN, due_date__lt=today), then=Value(True)),
        default=Value(False), output_field=BooleanField()))
    if status == "open":
        qs = qs.filter(status=RoutedRequest.Status.OPEN)
    elif status == "answered":
        qs = qs.filter(status=RoutedRequest.Status.ANSWERED)
    elif status == "overdue":
        qs = qs.filter(is_overdue=True)
    if department:
        qs = qs.filter(department__code=department)
    if initiative:
        qs = qs.filter(initiative_id=initiative)
    return _with_answers(qs).order_by("-is_overdue", "due_date", "id")


def request_for(actor: Actor, request_id: int) -> RoutedRequest:
    try:
        return requests_for(actor).get(pk=request_id)
    except RoutedRequest.DoesNotExist:
        raise NotFound(_not_found()) from None


def _no_inbox() -> str:
    from django.utils.translation import gettext as _

    return _("Alleen medewerkers van de gemeente hebben een inbox.")


def _not_found() -> str:
    from django.utils.translation import gettext as _

    return _("Deze vraag bestaat niet of u heeft er geen toegang toe.")
