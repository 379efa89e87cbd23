"""Write path of the workflow: starting it, firing transitions, and the audit trail.

`fire_transition` is the only way an initiative changes state. It locks the row, checks in a
fixed order (standing, state, permission, input), fires the django-fsm transition, moves
the ball, logs, and leaves every side effect (routing, e-mails) for after the commit.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from loket.core.actors import BROKER_GROUP, Actor, Role
from loket.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from loket.core.services import queue_mail
from loket.core.tasks import enqueue_on_commit

from . import emails
from .models import TransitionLog
from .states import BALL_HOLDER, State

logger = logging.getLogger(__name__)

MAX_TEXT = 5000  # notes, motivations, expectations: generous, but not a novel
NOTES = ("public_note", "internal_note")


# -- the transitions' metadata ---------------------------------------------------------------

def _initiative_model() -> Any:
    from loket.intake.models import Initiative

    return Initiative


def transition_methods() -> dict[str, Any]:
    """name -> transition method of the Initiative model, in declaration-independent order."""
    model = _initiative_model()
    return dict(sorted(model._meta.get_field("state").transitions[model].items()))


def transition_label(name: str) -> str:
    """The Dutch label of a transition ("submit" is the initiative's submission itself)."""
    method = transition_methods().get(name)
    if method is None:
        return str(_("Ingediend")) if name == "submit" else name
    spec = next(iter(method._django_fsm.transitions.values()))
    return str(spec.custom["label"])


@dataclass(frozen=True)
class AvailableTransition:
    name: str
    target: str
    label: str
    required_fields: list[str]
    optional_fields: list[str]


def _target_of(initiative: Any, spec: Any) -> str:
    """The state a transition leads to from here (resume: where it was paused from)."""
    target = spec.target
    if target is None:
        return initiative.state
    if hasattr(target, "get_state"):
        return initiative.paused_from
    return str(target)


def _has_standing(initiative: Any, actor: Actor) -> bool:
    """May this actor act on (or learn the state of) this initiative at all?"""
    if actor.role == Role.INITIATORS:
        return actor.initiative_id == initiative.pk
    return actor.role in {Role.BROKER, Role.MANAGER, Role.OFFICIAL, Role.SYSTEM}


def available_transitions(initiative: Any, actor: Actor) -> list[AvailableTransition]:
    """The transitions this actor may fire now, for the API and the 409 answer."""
    if not _has_standing(initiative, actor):
        return []
    out = []
    for name, method in transition_methods().items():
        fsm_meta = method._django_fsm
        spec = fsm_meta.get_transition(initiative.state)
        if spec is None or not fsm_meta.conditions_met(initiative, initiative.state):
            continue
        if not spec.has_perm(initiative, actor):
            continue
        out.append(AvailableTransition(
            name=name, target=_target_of(initiative, spec), label=str(spec.custom["label"]),
            required_fields=list(spec.custom["required_fields"]),
            optional_fields=list(spec.custom["optional_fields"])))
    return out


# -- firing ------------------------------------------------------------------------------------

def _lock(initiative_id: Any) -> Any:
    model = _initiative_model()
    try:
        return model.objects.select_for_update(no_key=True).get(pk=initiative_id)
    except (model.DoesNotExist, ValidationError, ValueError, TypeError):
        raise NotFound(_("Dit initiatief bestaat niet.")) from None


def _broker_user(value: Any) -> Any:
    """A user in the brokers group, given as a user, a primary key or a username."""
    user_model = get_user_model()
    if isinstance(value, user_model):
        value = value.pk
    brokers = user_model.objects.filter(is_active=True, groups__name=BROKER_GROUP)
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        return brokers.filter(pk=int(value)).first()
    if isinstance(value, str):
        return brokers.filter(username=value).first()
    return None


def _validated_input(spec: Any, actor: Actor, public_note: str, internal_note: str,
                     params: dict[str, Any]) -> dict[str, Any]:
    """The transition's keyword arguments; every problem with the input reported at once."""
    required = spec.custom["required_fields"]
    accepted = {*required, *spec.custom["optional_fields"]}
    values = {"public_note": public_note, "internal_note": internal_note, **params}
    errors: dict[str, list[Any]] = {}
    for field, value in values.items():
        if isinstance(value, str):
            values[field] = value = value.strip()
        blank = value is None or value == ""
        if field in required and blank:
            errors[field] = [_("Dit veld is verplicht bij deze stap.")]
        elif field not in NOTES and field not in accepted and not blank:
            errors[field] = [_("Dit veld hoort niet bij deze stap.")]
        elif isinstance(value, str) and len(value) > MAX_TEXT:
            errors[field] = [_("Gebruik hoogstens %(max)s tekens.") % {"max": MAX_TEXT}]
    for field in required:
        if field not in values:
            errors[field] = [_("Dit veld is verplicht bij deze stap.")]
    if values.get("internal_note") and actor.role == Role.INITIATORS:
        errors["internal_note"] = [_("Alleen medewerkers kunnen een interne notitie maken.")]
    if "broker" in accepted and values.get("broker") not in (None, "") and "broker" not in errors:
        broker = _broker_user(values["broker"])
        if broker is None:
            errors["broker"] = [_("Kies een actieve initiatiefmakelaar.")]
        elif actor.role == Role.BROKER and broker.pk != actor.user.pk:
            errors["broker"] = [_("Alleen een manager wijst een andere makelaar toe.")]
        values["broker"] = broker
    if errors:
        raise InvalidInput(errors)
    return {k: v for k, v in values.items() if k in accepted and k not in NOTES
            and v not in (None, "")}


def _details(name: str, initiative: Any, kwargs: dict[str, Any]) -> dict[str, Any]:
    """What the audit trail keeps besides the notes: the agreements and the reasons."""
    details = {k: v for k, v in kwargs.items() if isinstance(v, str)}
    if "broker" in kwargs or name == "take_on":
        details["broker_id"] = initiative.broker_id
    return details


def fire_transition(initiative_id: Any, name: str, actor: Actor, *, public_note: str = "",
                    internal_note: str = "", **params: Any) -> Any:
    """Fire one workflow transition for `actor`; returns the saved initiative.

    Raises NotFound (unknown initiative or transition), NotPermitted (no standing, or not
    this actor's decision), Conflict (not from the current state, or a concurrent change
    won), InvalidInput (missing or invalid fields, all at once). Nothing is half-written.
    """
    methods = transition_methods()
    if name not in methods:
        raise NotFound(_("Deze stap bestaat niet."), transition=name)
    fsm_meta = methods[name]._django_fsm
    with transaction.atomic():
        initiative = _lock(initiative_id)
        if not _has_standing(initiative, actor):
            raise NotPermitted(_("U heeft geen toegang tot dit initiatief."))
        source = initiative.state
        spec = fsm_meta.get_transition(source) if fsm_meta.has_transition(source) else None
        if spec is None or not fsm_meta.conditions_met(initiative, source):
            raise Conflict(
                _("De stap ‘%(name)s’ kan niet in de status ‘%(state)s’.") % {
                    "name": name, "state": State(source).label},
                current_state=source,
                allowed_transitions=[t.name for t in available_transitions(initiative, actor)],
            )
        if not spec.has_perm(initiative, actor):
            raise NotPermitted(_("Deze stap is niet aan u: %(who)s.") % {
                "who": getattr(spec.permission, "who", "")})
        kwargs = _validated_input(spec, actor, public_note, internal_note, params)
        before = {f.attname: f.value_from_object(initiative)
                  for f in initiative._meta.concrete_fields}
        paused_at = initiative.state_entered_at
        try:
            getattr(initiative, name)(actor=actor, **kwargs)
        except TransitionNotAllowed:  # the checks above make this unreachable; be safe
            raise Conflict(_("Deze stap kan nu niet."), current_state=source,
                           allowed_transitions=[]) from None
        now = timezone.now()
        target = initiative.state
        if target != source:
            initiative.state_entered_at = now
        holder = BALL_HOLDER[target]
        if holder != initiative.ball_holder:
            initiative.ball_holder = holder
            initiative.ball_moved_at = now
        changed = [f.name for f in initiative._meta.concrete_fields
                   if f.value_from_object(initiative) != before[f.attname]]
        if any(f.name == "updated_at" for f in initiative._meta.concrete_fields):
            changed.append("updated_at")  # auto_now is only written when named
        try:
            initiative.save(update_fields=sorted({"state", *changed}))
        except ConcurrentTransition:
            raise Conflict(_("Het initiatief is intussen gewijzigd; laad het opnieuw."),
                           current_state=source, allowed_transitions=[]) from None
        log = log_transition(
            initiative, transition=name, source=source, target=target, actor=actor,
            public_note=public_note.strip(), internal_note=internal_note.strip(),
            details=_details(name, initiative, kwargs),
            at=now)
        _side_effects(initiative, log, actor, paused_at=paused_at, now=now)
    return initiative


def _side_effects(initiative: Any, log: TransitionLog, actor: Actor, *, paused_at: Any,
                  now: Any) -> None:
    """Routing in the transaction where it must be atomic, the rest only after commit."""
    from loket.routing import services as routing_services
    from loket.routing import tasks as routing_tasks

    if log.transition == "send_to_consultation":
        enqueue_on_commit(routing_tasks.route_to_departments, str(initiative.pk))
    elif log.transition == "resume":
        routing_services.on_initiative_resumed(initiative.pk, paused_at, now)

    recipients = []
    if actor.role == Role.INITIATORS:
        if initiative.broker_id:
            recipients.append(emails.BROKER)
    elif log.source != log.target or log.transition == "reassign_broker":
        recipients.append(emails.INITIATORS)
    if log.transition == "reassign_broker" and initiative.broker_id:
        recipients.append(emails.BROKER)
    for recipient in recipients:
        _queue_notification(log, recipient)


def _queue_notification(log: TransitionLog, recipient: str) -> None:
    """One transition e-mail into the outbox, rendered now, in the transition's transaction."""
    initiative = log.initiative
    user = initiative.broker if recipient == emails.BROKER else None
    message = emails.compose(log, recipient, user)
    key = f"transition:{log.pk}:{recipient}"
    queue_mail(key, [message.to], message.subject, message.body, initiative=initiative,
               to_initiators=recipient == emails.INITIATORS)


def log_transition(initiative: Any, *, transition: str, source: str, target: str,
                   actor: Actor, public_note: str = "", internal_note: str = "",
                   details: dict[str, Any] | None = None, at: Any = None) -> TransitionLog:
    """Append to the audit trail; call inside the transaction that changed the state."""
    return TransitionLog.objects.create(
        initiative=initiative, transition=transition, source=source, target=target,
        actor_role=actor.role, actor_user=actor.user, public_note=public_note,
        internal_note=internal_note, details=details or {}, at=at or timezone.now(),
    )


def initial_fields(now: Any) -> dict[str, Any]:
    """The workflow fields a new initiative is inserted with: submitted, clock started, the
    ball with the broker pool (one insert instead of an insert and an update)."""
    return {"state": State.SUBMITTED, "state_entered_at": now,
            "ball_holder": BALL_HOLDER[State.SUBMITTED], "ball_moved_at": now}


def log_submission(initiative: Any, actor: Actor) -> None:
    """The first entry of the audit trail; call in the transaction that inserted it."""
    log_transition(initiative, transition="submit", source=State.SUBMITTED,
                   target=State.SUBMITTED, actor=actor, at=initiative.state_entered_at)


def start_workflow(initiative: Any, actor: Actor) -> None:
    """Start the workflow of an initiative already saved without `initial_fields`."""
    fields = initial_fields(timezone.now())
    fields.pop("state")
    type(initiative).objects.filter(pk=initiative.pk).update(**fields)
    for name, value in fields.items():
        setattr(initiative, name, value)
    log_submission(initiative, actor)
