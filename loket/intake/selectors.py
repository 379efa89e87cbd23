"""Read queries of intake: the token lookup, the residents' view, and the staff lists.

Who sees what (documented in docs/api.md):
- brokers and managers see every initiative, with the initiators' personal data;
- an official sees only initiatives routed to one of their departments (a RoutedRequest),
  without the initiators' names, e-mail addresses or phone numbers: they answer the plan,
  contact goes through the broker;
- the initiators (through their link) see their own initiative, never staff names beyond
  the broker's first name and never internal notes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from loket.core.actors import Actor, Role
from loket.core.errors import InvalidInput, NotFound
from loket.workflow.states import BALL_HOLDER, BallHolder, State

from .models import EDITABLE_STATES, Initiative, Note, Question, SupportKind, TrackingLink
from .tokens import hash_tracking_token, looks_like_token

__all__ = [
    "hash_tracking_token",
    "initiative_for_staff",
    "initiative_for_token",
    "initiative_list",
    "register_stalled_condition",
    "sees_personal_data",
    "tracking_overview",
]


def initiative_for_token(token: str) -> Initiative:
    """The initiative a resident's tracking token belongs to; `NotFound` for any other token.

    The same answer for a malformed and an unknown token, so probing learns nothing.
    """
    if looks_like_token(token):
        digest = hash_tracking_token(token)
        initiative = (Initiative.objects.select_related("broker", "area")
                      .filter(tracking_token_hash=digest).first())
        if initiative is None:
            link = (TrackingLink.objects.select_related("initiative__broker",
                                                        "initiative__area")
                    .filter(token_hash=digest).first())
            initiative = link.initiative if link else None
        if initiative is not None:
            return initiative
    raise NotFound(_("Deze volglink is onbekend. Controleer of u de hele link heeft gebruikt."))


# -- staff ----------------------------------------------------------------------------------

# Other apps say what "stalled" means (monitoring registers its flags in AppConfig.ready()):
# a callable returning a Q over Initiative. Without one, the `stalled` filter answers 400.
_stalled_conditions: list[Callable[[], Q]] = []


def register_stalled_condition(condition: Callable[[], Q]) -> None:
    if condition not in _stalled_conditions:
        _stalled_conditions.append(condition)


def sees_personal_data(actor: Actor) -> bool:
    """Initiators' names and contact details: brokers and managers only."""
    return actor.role in {Role.BROKER, Role.MANAGER}


def visible_to(actor: Actor) -> QuerySet[Initiative]:
    from loket.routing.models import RoutedRequest

    initiatives = Initiative.objects.all()
    if actor.role in {Role.BROKER, Role.MANAGER}:
        return initiatives
    if actor.role == Role.OFFICIAL:
        routed = RoutedRequest.objects.filter(initiative=OuterRef("pk"),
                                              department_id__in=actor.department_ids)
        return initiatives.filter(Exists(routed))
    return initiatives.none()


def initiative_list(actor: Actor, filters: dict[str, Any]) -> QuerySet[Initiative]:
    """Filtered, stably ordered list for staff (newest first, id breaks ties)."""
    from loket.routing.models import RoutedRequest

    qs = visible_to(actor).select_related("area", "broker")
    errors: dict[str, list[Any]] = {}
    if state := filters.get("state"):
        states = [s.strip() for s in state.split(",") if s.strip()]
        unknown = [s for s in states if s not in State.values]
        if unknown:
            errors["state"] = [_("Onbekende status: %(states)s.") % {"states": ", ".join(unknown)}]
        qs = qs.filter(state__in=states)
    if area := filters.get("area"):
        qs = qs.filter(area__code=area)
    if department := filters.get("department"):
        qs = qs.filter(Exists(RoutedRequest.objects.filter(
            initiative=OuterRef("pk"), department__code=department)))
    if broker := filters.get("broker"):
        qs = qs.filter(broker__isnull=True) if broker == "none" else qs.filter(
            broker__username=broker)
    if (stalled := filters.get("stalled")) is not None:
        if not _stalled_conditions:
            errors["stalled"] = [_("Het filter op vastgelopen initiatieven is nog niet "
                                   "beschikbaar.")]
        else:
            condition = Q()
            for make in _stalled_conditions:
                condition |= make()
            qs = qs.filter(condition) if stalled else qs.exclude(condition)
    if q := (filters.get("q") or "").strip():
        qs = qs.filter(Q(title__icontains=q) | Q(description__icontains=q)
                       | Q(reference__iexact=q))
    if errors:
        raise InvalidInput(errors)
    return qs.order_by("-created_at", "id")


def initiative_for_staff(actor: Actor, initiative_id: Any) -> Initiative:
    from loket.routing.models import RoutedRequest

    prefetches: list[Any] = [
        Prefetch("requests", queryset=RoutedRequest.objects.select_related("department")),
        Prefetch("questions", queryset=Question.objects.select_related("department")),
        "notes",
    ]
    if sees_personal_data(actor):
        prefetches.append("initiators")
    initiative = (visible_to(actor).select_related("area", "broker")
                  .prefetch_related(*prefetches).filter(pk=initiative_id).first())
    if initiative is None:
        raise NotFound(_("Dit initiatief bestaat niet of u heeft er geen toegang toe."))
    return initiative


# -- the residents' view --------------------------------------------------------------------

TRANSITION_SUMMARIES = {
    "submit": _("Initiatief ingediend"),
    "take_on": _("Een initiatiefmakelaar heeft uw initiatief opgepakt"),
    "agree_expectations": _("Afspraken vastgelegd over wat u doet en wat de gemeente doet"),
    "request_plan_changes": _("Plan teruggegeven om aan te vullen"),
    "send_to_consultation": _("Plan voorgelegd aan de afdelingen die erover gaan"),
    "mark_not_feasible": _("De gemeente vindt het initiatief in deze vorm niet haalbaar"),
    "reassign_broker": _("Een andere initiatiefmakelaar helpt u verder"),
    "submit_plan": _("U heeft uw plan ingediend"),
    "start": _("U bent gestart met de uitvoering"),
    "report_realized": _("U heeft het initiatief als gerealiseerd gemeld"),
    "pause": _("Het initiatief is gepauzeerd"),
    "resume": _("Het initiatief is hervat"),
    "withdraw": _("Het initiatief is ingetrokken"),
    "reopen": _("U heeft het initiatief heropend"),
    "complete_consultation": _("Alle afdelingen hebben hun antwoord gegeven: u kunt starten"),
    "return_to_elaboration": _("Terug naar uitwerking: een afdeling vraagt om aanpassingen"),
}

NEXT_STEPS = {
    State.SUBMITTED: _("Een initiatiefmakelaar van de gemeente bekijkt uw initiatief en neemt "
                       "contact met u op voor een kennismaking."),
    State.INTAKE: _("U maakt kennis met de initiatiefmakelaar. Samen legt u vast wat u zelf "
                    "doet en wat de gemeente doet."),
    State.ELABORATION: _("U werkt uw plan uit. Is het klaar? Dien het dan in via deze pagina."),
    State.PLAN_SUBMITTED: _("De initiatiefmakelaar bekijkt uw plan en legt het voor aan de "
                            "afdelingen die erover gaan."),
    State.CONSULTATION: _("De afdelingen beoordelen uw plan. Elke afdeling antwoordt met een "
                          "motivering, en bij een 'nee' met een alternatief."),
    State.READY: _("Alle afdelingen hebben geantwoord. U kunt starten wanneer u er klaar voor "
                   "bent."),
    State.IN_PROGRESS: _("U voert uw initiatief uit. Meld het hier als het gerealiseerd is."),
    State.REALIZED: _("Uw initiatief is gerealiseerd. Gefeliciteerd en dank u wel!"),
    State.PAUSED: _("Uw initiatief is gepauzeerd. U kunt het hier hervatten wanneer u wilt."),
    State.WITHDRAWN: _("Uw initiatief is ingetrokken. Er gebeurt niets meer mee."),
    State.NOT_FEASIBLE: _("Lees de motivering en het alternatief. U kunt het initiatief "
                          "heropenen met een aangepast plan."),
}


def _asker(question: Question) -> str:
    if question.department_id:
        return question.department.name
    if question.asked_by_role == Role.BROKER:
        return gettext("de initiatiefmakelaar")
    return gettext("de gemeente")


def _event(at: Any, kind: str, summary: Any, **fields: Any) -> dict[str, Any]:
    event = {"at": at, "kind": kind, "summary": str(summary), "text": "", "department": None,
             "decision": None, "decision_label": None, "motivation": "", "alternative": "",
             "meeting_proposal": ""}
    event.update(fields)
    return event


def tracking_overview(initiative: Initiative, actor: Actor | None = None) -> dict[str, Any]:
    """Everything the initiators may see about their initiative, in plain Dutch.

    Never: other residents' data, internal notes, staff names beyond the broker's first
    name, or who in a department answered.
    """
    from loket.coupling.models import CouplingSuggestion
    from loket.routing.models import Answer, RoutedRequest
    from loket.workflow.models import TransitionLog

    actor = actor or Actor.initiators(initiative.pk)
    transitions = TransitionLog.objects.filter(initiative=initiative).only(
        "transition", "target", "public_note", "at")
    answers = (Answer.objects.filter(request__initiative=initiative,
                                     superseded_by__isnull=True)
               .select_related("request__department"))
    questions = list(Question.objects.filter(initiative=initiative)
                     .select_related("department"))
    notes = Note.objects.filter(initiative=initiative)
    open_departments = list(
        RoutedRequest.objects.filter(initiative=initiative, status=RoutedRequest.Status.OPEN)
        .select_related("department").order_by("department__name")
        .values_list("department__name", flat=True))
    couplings = (CouplingSuggestion.objects
                 .filter(initiative=initiative, status=CouplingSuggestion.Status.ACCEPTED)
                 .select_related("carrier").order_by("rank"))

    timeline: list[dict[str, Any]] = []
    for log in transitions:
        fields: dict[str, Any] = {"text": log.public_note}
        if log.transition == "mark_not_feasible":
            fields.update(motivation=initiative.not_feasible_motivation,
                          alternative=initiative.not_feasible_alternative)
        summary = TRANSITION_SUMMARIES.get(log.transition) or gettext(
            "Status gewijzigd naar '%(state)s'") % {"state": State(log.target).label}
        timeline.append(_event(log.at, "transition", summary, **fields))
    for answer in answers:
        department = answer.request.department.name
        timeline.append(_event(
            answer.created_at, "answer",
            gettext("Antwoord van %(department)s: %(decision)s") % {
                "department": department, "decision": answer.get_decision_display()},
            department=department, decision=answer.decision,
            decision_label=str(answer.get_decision_display()), motivation=answer.motivation,
            alternative=answer.alternative, meeting_proposal=answer.meeting_proposal))
    for question in questions:
        asker = _asker(question)
        timeline.append(_event(question.asked_at, "question",
                               gettext("Vraag van %(asker)s") % {"asker": asker},
                               text=question.text, department=question.department.name
                               if question.department_id else None))
        if question.answered_at:
            timeline.append(_event(question.answered_at, "question_answered",
                                   gettext("U heeft de vraag van %(asker)s beantwoord")
                                   % {"asker": asker}, text=question.answer))
    for note in notes:
        timeline.append(_event(note.created_at, "note", gettext("U heeft informatie toegevoegd"),
                               text=note.text))
    timeline.sort(key=lambda event: event["at"])

    holder = initiative.ball_holder or BALL_HOLDER.get(initiative.state, "")
    departments = open_departments if initiative.state == State.CONSULTATION else []
    holder_label = BallHolder(holder).label if holder in BallHolder.values else ""
    if departments:
        holder_label = gettext("de afdelingen %(departments)s") % {
            "departments": ", ".join(departments)}
    open_questions = [q for q in questions if q.answered_at is None]
    next_step = str(NEXT_STEPS.get(initiative.state, ""))
    if open_questions:
        next_step = gettext("Er staan vragen voor u open: beantwoord ze hieronder. ") + next_step
    actions = [
        {"name": t.name, "label": str(t.custom.get("label", t.name))}
        for t in initiative.get_available_user_state_transitions(actor)
    ]
    return {
        "reference": initiative.reference,
        "title": initiative.title,
        "description": initiative.description,
        "area": initiative.area.name if initiative.area_id else None,
        "location": {"address": initiative.address, "lat": initiative.lat,
                     "lon": initiative.lon},
        "requested_budget": initiative.requested_budget,
        "support": [{"code": s, "label": str(SupportKind(s).label)}
                    for s in initiative.support if s in SupportKind.values],
        "submitted_at": initiative.created_at,
        "state": initiative.state,
        "state_label": str(State(initiative.state).label),
        "at_turn": {"holder": holder, "label": str(holder_label), "departments": departments},
        "broker_first_name": (initiative.broker.first_name or None)
        if initiative.broker_id else None,
        "agreements": {"initiators": initiative.expectations_initiators,
                       "municipality": initiative.expectations_municipality},
        "couplings": [
            {"name": c.carrier.name,
             "text": gettext("Uw initiatief draagt bij aan '%(name)s', een opgave waar de gemeente "
                        "aan werkt. Dat kan helpen om steun en budget te vinden.")
             % {"name": c.carrier.name}}
            for c in couplings
        ],
        "open_questions": [
            {"id": q.id, "text": q.text, "asked_at": q.asked_at, "asked_by": _asker(q)}
            for q in open_questions
        ],
        "timeline": timeline,
        "next_step": next_step,
        "can_edit_plan": initiative.state in EDITABLE_STATES,
        "actions": actions,
    }
