"""Brokers (and managers): the board by state, and one initiative's page with the routing
proposal, the coupling suggestions, the history and the transitions they may fire."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.models import User
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from loket.core.actors import BROKER_GROUP, ROLE_LABELS, Role
from loket.core.errors import Conflict, DomainError, InvalidInput, NotFound
from loket.coupling.models import CouplingSuggestion
from loket.coupling.selectors import couplings_for
from loket.monitoring.models import Flag
from loket.routing.models import Department
from loket.workflow import selectors as workflow_selectors
from loket.workflow.services import available_transitions, fire_transition, transition_methods
from loket.workflow.states import FINAL_STATES, BallHolder, State

from ..access import broker_required

FIELD_LABELS = {
    "expectations_initiators": _("Wat de initiatiefnemers doen"),
    "expectations_municipality": _("Wat de gemeente doet"),
    "motivation": _("Motivering"),
    "alternative": _("Alternatief dat u aanbiedt"),
    "broker": _("Initiatiefmakelaar"),
    "public_note": _("Toelichting voor de initiatiefnemers"),
    "internal_note": _("Interne notitie (niet zichtbaar voor de initiatiefnemers)"),
}
BOARD_STATES = [s for s in State if s not in FINAL_STATES]


def transition_labels() -> dict[str, str]:
    """name -> the Dutch label the workflow gives each transition."""
    labels = {}
    for name, method in transition_methods().items():
        for spec in method._django_fsm.transitions.values():
            labels[name] = str(spec.custom.get("label", name))
    return labels


def _open_flags() -> Prefetch:
    return Prefetch("flags", queryset=Flag.objects.filter(cleared_at__isnull=True)
                    .select_related("department"), to_attr="open_flags")


@broker_required
def board(request: HttpRequest) -> HttpResponse:
    """A broker sees their own initiatives and the new ones nobody took on; a manager all."""
    from loket.intake.selectors import initiative_list

    actor = request.actor  # type: ignore[attr-defined]
    if actor.role == Role.MANAGER:
        querysets = [initiative_list(actor, {})]
    else:
        querysets = [initiative_list(actor, {"broker": actor.user.get_username()}),
                     initiative_list(actor, {"broker": "none", "state": State.SUBMITTED})]
    initiatives: dict[Any, Any] = {}
    for qs in querysets:
        for initiative in qs.exclude(state__in=FINAL_STATES).prefetch_related(_open_flags()):
            initiatives[initiative.pk] = initiative
    columns = []
    for state in BOARD_STATES:
        items = sorted((i for i in initiatives.values() if i.state == state),
                       key=lambda i: (not i.open_flags, i.state_entered_at or i.created_at))
        columns.append({"state": state, "label": state.label, "items": items})
    flagged = sum(1 for i in initiatives.values() if i.open_flags)
    return render(request, "web/board.html", {"columns": columns, "total": len(initiatives),
                                              "flagged": flagged})


def _load(actor: Any, initiative_id: Any) -> Any:
    from loket.intake.selectors import initiative_for_staff

    try:
        return initiative_for_staff(actor, initiative_id)
    except NotFound:
        raise Http404 from None


def _reason_text(reason: Any) -> str:
    """'Rule name: the words that matched' from routing's stored evidence."""
    if not isinstance(reason, dict):
        return str(reason)
    found = []
    for item in reason.get("evidence") or []:
        word = item.get("found") if isinstance(item, dict) else item
        if word and str(word) not in found:
            found.append(str(word))
    rule = str(reason.get("rule") or "")
    return f"{rule}: {', '.join(found)}" if found else rule


def _routing(actor: Any, initiative: Any) -> dict[str, Any] | None:
    from loket.routing.services import routing_of

    try:
        proposal = routing_of(actor, initiative.pk)
    except DomainError:
        return None
    rows = list(proposal.departments.all())
    for row in rows:
        row.reason_texts = [_reason_text(r) for r in row.reasons or []]
    chosen = {r.department_id for r in rows if r.confirmed}
    return {
        "proposal": proposal,
        "rows": [r for r in rows if r.confirmed],
        "removed": [r for r in rows if not r.confirmed],
        "addable": Department.objects.filter(active=True).exclude(pk__in=chosen),
        "editable": initiative.state in {State.SUBMITTED, State.INTAKE, State.ELABORATION,
                                         State.PLAN_SUBMITTED},
    }


def _render_initiative(request: HttpRequest, initiative: Any, *, failed: str = "",
                       errors: dict | None = None, typed: dict | None = None,
                       status: int = 200) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    transitions = []
    for t in available_transitions(initiative, actor):
        fields = [{"name": f, "label": FIELD_LABELS.get(f, f), "required": True}
                  for f in t.required_fields]
        fields += [{"name": f, "label": FIELD_LABELS.get(f, f), "required": False}
                   for f in t.optional_fields if f not in t.required_fields]
        fields += [{"name": n, "label": FIELD_LABELS[n], "required": False}
                   for n in ("public_note", "internal_note")
                   if n not in t.required_fields and n not in t.optional_fields]
        for field in fields:
            field["id"] = f"{t.name}-{field['name']}"
            field["errors"] = (errors or {}).get(field["name"], []) if failed == t.name else []
            field["value"] = (typed or {}).get(field["name"], "") if failed == t.name else ""
        transitions.append({"name": t.name, "label": t.label, "target": State(t.target).label,
                            "fields": fields})
    history = list(workflow_selectors.history(initiative))
    labels = transition_labels()
    for log in history:
        log.label = labels.get(log.transition, _("Ingediend") if log.transition == "submit"
                               else log.transition)
        log.role_label = ROLE_LABELS.get(log.actor_role, log.actor_role)
    suggestions = couplings_for(initiative)
    flags = Flag.objects.filter(initiative=initiative,
                                cleared_at__isnull=True).select_related("department")
    return render(request, "web/initiative.html", {
        "i": initiative, "transitions": transitions, "history": history,
        "suggestions": suggestions, "flags": flags, "routing": _routing(actor, initiative),
        "brokers": User.objects.filter(groups__name=BROKER_GROUP, is_active=True)
        .order_by("first_name", "username"),
        "failed": failed, "errors": errors or {},
        "ball_holder": BallHolder(initiative.ball_holder).label
        if initiative.ball_holder in BallHolder.values else "",
    }, status=status)


@broker_required
def initiative_detail(request: HttpRequest, initiative_id: Any) -> HttpResponse:
    return _render_initiative(request, _load(request.actor, initiative_id))  # type: ignore[attr-defined]


@broker_required
@require_POST
def initiative_transition(request: HttpRequest, initiative_id: Any, name: str) -> HttpResponse:
    actor = request.actor  # type: ignore[attr-defined]
    initiative = _load(actor, initiative_id)
    spec = {t.name: t for t in available_transitions(initiative, actor)}.get(name)
    wanted = [*spec.required_fields, *spec.optional_fields] if spec else []
    params = {f: request.POST.get(f, "") for f in wanted}
    notes = {n: request.POST.get(n, "") for n in ("public_note", "internal_note")}
    try:
        fire_transition(initiative.pk, name, actor, **notes,
                        **{k: v for k, v in params.items() if k not in notes})
    except InvalidInput as error:
        return _render_initiative(request, initiative, failed=name, errors=error.errors,
                                  typed={**params, **notes}, status=400)
    except DomainError as error:
        messages.error(request, str(error.detail))
    else:
        messages.success(request, _("Gelukt: %(label)s.") % {
            "label": spec.label if spec else name})
    return redirect("web:initiative", initiative_id=initiative.pk)


@broker_required
@require_POST
def routing_update(request: HttpRequest, initiative_id: Any) -> HttpResponse:
    """Add or remove one department before the plan goes to consultation."""
    from loket.routing.services import update_routing

    actor = request.actor  # type: ignore[attr-defined]
    initiative = _load(actor, initiative_id)
    add = [c for c in request.POST.getlist("add") if c]
    remove = [c for c in request.POST.getlist("remove") if c]
    try:
        update_routing(actor, initiative.pk, add=add, remove=remove)
    except InvalidInput as error:
        for msgs in error.errors.values():
            for message in msgs:
                messages.error(request, str(message))
    except (Conflict, DomainError) as error:
        messages.error(request, str(error.detail))
    else:
        messages.success(request, _("De routering is aangepast."))
    return redirect("web:initiative", initiative_id=initiative.pk)


@broker_required
@require_POST
def coupling_decide(request: HttpRequest, initiative_id: Any, carrier_code: str) -> HttpResponse:
    """Accept or reject a coupling suggestion (a rejection may say why)."""
    from loket.coupling.services import decide_coupling

    actor = request.actor  # type: ignore[attr-defined]
    initiative = _load(actor, initiative_id)
    accept = request.POST.get("decision") == "accept"
    try:
        decide_coupling(actor, initiative.pk, carrier_code,
                        CouplingSuggestion.Status.ACCEPTED if accept
                        else CouplingSuggestion.Status.REJECTED,
                        "" if accept else request.POST.get("reason", ""))
    except DomainError as error:
        messages.error(request, str(error.detail))
    else:
        messages.success(request, _("Koppelkans gekoppeld.") if accept
                         else _("Koppelkans afgewezen."))
    return redirect("web:initiative", initiative_id=initiative.pk)
