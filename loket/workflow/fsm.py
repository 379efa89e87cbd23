"""The initiative's state machine (django-fsm-2), mixed into `intake.Initiative`.

Facilitate, don't take over: the initiators own every decision about their initiative
(submit the plan, start, report realized, pause, resume, withdraw, reopen); the broker
facilitates (take on, agree expectations, send the submitted plan to consultation or hand
it back, mark not feasible with a motivation and an alternative); departments move it only
through their answers (the `system` transitions fired by routing); managers do what brokers
do and are the only ones who reassign the broker. Nobody but the initiators withdraws an
initiative or reports it realized.

Permissions are enforced here, on each transition, so that no view can bypass them.
Transition bodies only change fields; validation of the input, logging and side effects
live in workflow.services (`fire_transition`), the only caller.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from loket.core.actors import Actor, Role

from .states import ACTIVE_STATES, State

Permission = Callable[[Any, Actor], bool]


def _who(label: Any, short: Any) -> Callable[[Permission], Permission]:
    """Attach a Dutch description of who may fire, for error messages and the diagram."""
    def decorate(func: Permission) -> Permission:
        func.who = label  # type: ignore[attr-defined]
        func.who_short = short  # type: ignore[attr-defined]
        return func
    return decorate


def _user_pk(actor: Actor) -> Any:
    return getattr(actor.user, "pk", None)


@_who(_("de initiatiefnemers (via hun link)"), _("initiatiefnemers"))
def by_initiators(instance: Any, actor: Actor) -> bool:
    return actor.role == Role.INITIATORS and actor.initiative_id == instance.pk


@_who(_("de eigen makelaar of een manager"), _("makelaar"))
def by_facilitator(instance: Any, actor: Actor) -> bool:
    """The initiative's own broker, or a manager: another broker does not interfere."""
    if actor.role == Role.MANAGER:
        return True
    return (actor.role == Role.BROKER and instance.broker_id is not None
            and instance.broker_id == _user_pk(actor))


@_who(_("een makelaar (de toegewezen, als die er is) of een manager"), _("makelaar"))
def by_available_broker(instance: Any, actor: Actor) -> bool:
    """Any broker may pick up an unassigned initiative; once assigned, only that one."""
    if actor.role == Role.MANAGER:
        return True
    return actor.role == Role.BROKER and instance.broker_id in (None, _user_pk(actor))


@_who(_("een manager"), _("manager"))
def by_manager(instance: Any, actor: Actor) -> bool:
    return actor.role == Role.MANAGER


@_who(_("Loket, op grond van de antwoorden van de afdelingen"), _("afdelingen"))
def by_system(instance: Any, actor: Actor) -> bool:
    return actor.role == Role.SYSTEM


def meta(*required: str, optional: tuple[str, ...] = (), label: Any = "") -> dict[str, Any]:
    """Metadata for the service and the API: the input a transition needs, and a Dutch label.

    `required` fields must be present and not blank (checked all at once by the service);
    `public_note` may be required, it is then the explanation the initiators read.
    """
    return {"required_fields": list(required), "optional_fields": list(optional),
            "label": label}


# States in which the broker may conclude "not feasible": only after taking it on and
# meeting the initiators (never unseen, from `submitted`; and so a reopened initiative always
# has a broker), not once the residents are carrying it out (then it is theirs to finish or
# withdraw), and not when paused (the initiators asked for time; the broker waits).
JUDGEABLE = [s for s in ACTIVE_STATES if s not in {State.SUBMITTED, State.IN_PROGRESS}]
ALIVE = [*ACTIVE_STATES, State.PAUSED, State.NOT_FEASIBLE]


class InitiativeWorkflow(ConcurrentTransitionMixin, models.Model):
    state = FSMField(_("status"), default=State.SUBMITTED, choices=State.choices,
                     protected=True, db_index=True)
    paused_from = models.CharField(_("gepauzeerd vanuit"), max_length=20, blank=True,
                                   choices=State.choices)
    state_entered_at = models.DateTimeField(_("in deze status sinds"), null=True, db_index=True)
    ball_holder = models.CharField(_("aan zet"), max_length=20, blank=True, db_index=True)
    ball_moved_at = models.DateTimeField(_("bal verplaatst op"), null=True)
    broker = models.ForeignKey("auth.User", verbose_name=_("initiatiefmakelaar"), null=True,
                               blank=True, on_delete=models.SET_NULL,
                               related_name="brokered_initiatives")
    expectations_initiators = models.TextField(_("afspraken: wat de initiatiefnemers doen"),
                                               blank=True)
    expectations_municipality = models.TextField(_("afspraken: wat de gemeente doet"),
                                                 blank=True)
    not_feasible_motivation = models.TextField(_("motivering niet haalbaar"), blank=True)
    not_feasible_alternative = models.TextField(_("aangeboden alternatief"), blank=True)

    class Meta:
        abstract = True

    # -- the broker facilitates ---------------------------------------------------------
    @transition(state, source=State.SUBMITTED, target=State.INTAKE,
                permission=by_available_broker,
                custom=meta(optional=("broker",), label=_("Oppakken")))
    def take_on(self, *, actor: Actor, broker: Any = None, **_: Any) -> None:
        """A broker takes it on; a manager may name the broker (validated by the service)."""
        self.broker = broker or self.broker or actor.user

    @transition(state, source=State.INTAKE, target=State.ELABORATION, permission=by_facilitator,
                custom=meta("expectations_initiators", "expectations_municipality",
                            label=_("Afspraken vastleggen")))
    def agree_expectations(self, *, expectations_initiators: str,
                           expectations_municipality: str, **_: Any) -> None:
        self.expectations_initiators = expectations_initiators
        self.expectations_municipality = expectations_municipality

    @transition(state, source=State.PLAN_SUBMITTED, target=State.ELABORATION,
                permission=by_facilitator,
                custom=meta("public_note", label=_("Plan terug voor aanvulling")))
    def request_plan_changes(self, **_: Any) -> None:
        """The broker asks the initiators to complete their plan (they keep the pen)."""

    @transition(state, source=State.PLAN_SUBMITTED, target=State.CONSULTATION,
                permission=by_facilitator, custom=meta(label=_("Naar afstemming sturen")))
    def send_to_consultation(self, **_: Any) -> None:
        """Routing to the departments happens after commit (workflow.services)."""

    @transition(state, source=JUDGEABLE, target=State.NOT_FEASIBLE, permission=by_facilitator,
                custom=meta("motivation", "alternative", label=_("Niet haalbaar")))
    def mark_not_feasible(self, *, motivation: str, alternative: str, **_: Any) -> None:
        """A 'no' always comes with its reasons and an alternative the initiators can take."""
        self.not_feasible_motivation = motivation
        self.not_feasible_alternative = alternative

    @transition(state, source=ALIVE, target=None, permission=by_manager,
                custom=meta("broker", label=_("Andere makelaar toewijzen")))
    def reassign_broker(self, *, broker: Any, **_: Any) -> None:
        self.broker = broker

    # -- the initiators decide ------------------------------------------------------------
    @transition(state, source=State.ELABORATION, target=State.PLAN_SUBMITTED,
                permission=by_initiators, custom=meta(label=_("Plan indienen")))
    def submit_plan(self, **_: Any) -> None:
        pass

    @transition(state, source=State.READY, target=State.IN_PROGRESS, permission=by_initiators,
                custom=meta(label=_("Starten")))
    def start(self, **_: Any) -> None:
        pass

    @transition(state, source=State.IN_PROGRESS, target=State.REALIZED,
                permission=by_initiators, custom=meta(label=_("Gerealiseerd melden")))
    def report_realized(self, **_: Any) -> None:
        pass

    @transition(state, source=list(ACTIVE_STATES), target=State.PAUSED,
                permission=by_initiators, custom=meta(label=_("Pauzeren")))
    def pause(self, **_: Any) -> None:
        self.paused_from = self.state

    @transition(state, source=State.PAUSED, target=RETURN_VALUE(*ACTIVE_STATES),
                permission=by_initiators, custom=meta(label=_("Hervatten")))
    def resume(self, **_: Any) -> str:
        """Back to the state it was paused in (routing shifts the answer deadlines)."""
        previous, self.paused_from = self.paused_from, ""
        return previous

    @transition(state, source=ALIVE, target=State.WITHDRAWN, permission=by_initiators,
                custom=meta(label=_("Intrekken")))
    def withdraw(self, **_: Any) -> None:
        self.paused_from = ""

    @transition(state, source=State.NOT_FEASIBLE, target=State.ELABORATION,
                permission=by_initiators, custom=meta(label=_("Heropenen")))
    def reopen(self, **_: Any) -> None:
        """The initiators take the alternative or adapt their plan and try again."""

    # -- the departments' answers move it (fired by routing as the system) ---------------
    @transition(state, source=State.CONSULTATION, target=State.READY, permission=by_system,
                custom=meta(label=_("Alle afdelingen akkoord")))
    def complete_consultation(self, **_: Any) -> None:
        pass

    @transition(state, source=State.CONSULTATION, target=State.ELABORATION,
                permission=by_system, custom=meta(label=_("Terug naar uitwerking")))
    def return_to_elaboration(self, **_: Any) -> None:
        """A department declined or set conditions: the initiators adapt their plan."""
