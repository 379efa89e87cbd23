"""The initiative's state machine (django-fsm-2), mixed into `intake.Initiative`.

Facilitate, don't take over: the initiators own every decision about their initiative
(submit the plan, start, report realized, pause, resume, withdraw, reopen); the broker
facilitates (take on, agree expectations, send to consultation, mark not feasible with a
motivation and an alternative); departments move it only through their answers (the
`system` transitions fired by routing); managers do what brokers do and reassign brokers.

Permissions are enforced here, on each transition, so that no view can bypass them.
Transition bodies only change fields; logging and side effects live in workflow.services.
"""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from loket.core.actors import Actor, Role

from .states import ACTIVE_STATES, State


def by_initiators(instance: Any, actor: Actor) -> bool:
    return actor.role == Role.INITIATORS and actor.initiative_id == instance.pk


def by_facilitator(instance: Any, actor: Actor) -> bool:
    """The initiative's own broker, or a manager."""
    if actor.role == Role.MANAGER:
        return True
    return actor.role == Role.BROKER and instance.broker_id == getattr(actor.user, "pk", None)


def by_any_broker(instance: Any, actor: Actor) -> bool:
    return actor.role in {Role.BROKER, Role.MANAGER}


def by_manager(instance: Any, actor: Actor) -> bool:
    return actor.role == Role.MANAGER


def by_system(instance: Any, actor: Actor) -> bool:
    return actor.role == Role.SYSTEM


def fields(*names: str, label: str = "") -> dict[str, Any]:
    """Metadata for the API: which fields a transition needs, and a Dutch label."""
    return {"required_fields": list(names), "label": label}


JUDGEABLE = [s for s in ACTIVE_STATES if s != State.IN_PROGRESS]


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
    @transition(state, source=State.SUBMITTED, target=State.INTAKE, permission=by_any_broker,
                custom=fields(label=_("Oppakken")))
    def take_on(self, *, actor: Actor, broker: Any = None, **_: Any) -> None:
        self.broker = broker or actor.user

    @transition(state, source=State.INTAKE, target=State.ELABORATION, permission=by_facilitator,
                custom=fields("expectations_initiators", "expectations_municipality",
                              label=_("Afspraken vastleggen")))
    def agree_expectations(self, *, expectations_initiators: str,
                           expectations_municipality: str, **_: Any) -> None:
        self.expectations_initiators = expectations_initiators
        self.expectations_municipality = expectations_municipality

    @transition(state, source=State.PLAN_SUBMITTED, target=State.ELABORATION,
                permission=by_facilitator,
                custom=fields("public_note", label=_("Plan terug voor aanvulling")))
    def request_plan_changes(self, **_: Any) -> None:
        """The broker asks the initiators to complete their plan (they keep the pen)."""

    @transition(state, source=State.PLAN_SUBMITTED, target=State.CONSULTATION,
                permission=by_facilitator, custom=fields(label=_("Naar afstemming sturen")))
    def send_to_consultation(self, **_: Any) -> None:
        pass

    @transition(state, source=JUDGEABLE, target=State.NOT_FEASIBLE, permission=by_facilitator,
                custom=fields("motivation", "alternative", label=_("Niet haalbaar")))
    def mark_not_feasible(self, *, motivation: str, alternative: str, **_: Any) -> None:
        self.not_feasible_motivation = motivation
        self.not_feasible_alternative = alternative

    @transition(state, source=[*ACTIVE_STATES, State.PAUSED, State.NOT_FEASIBLE], target=None,
                permission=by_manager, custom=fields("broker", label=_("Andere makelaar")))
    def reassign_broker(self, *, broker: Any, **_: Any) -> None:
        self.broker = broker

    # -- the initiators decide ------------------------------------------------------------
    @transition(state, source=State.ELABORATION, target=State.PLAN_SUBMITTED,
                permission=by_initiators, custom=fields(label=_("Plan indienen")))
    def submit_plan(self, **_: Any) -> None:
        pass

    @transition(state, source=State.READY, target=State.IN_PROGRESS, permission=by_initiators,
                custom=fields(label=_("Starten")))
    def start(self, **_: Any) -> None:
        pass

    @transition(state, source=State.IN_PROGRESS, target=State.REALIZED,
                permission=by_initiators, custom=fields(label=_("Gerealiseerd melden")))
    def report_realized(self, **_: Any) -> None:
        pass

    @transition(state, source=list(ACTIVE_STATES), target=State.PAUSED,
                permission=by_initiators, custom=fields(label=_("Pauzeren")))
    def pause(self, **_: Any) -> None:
        self.paused_from = self.state

    @transition(state, source=State.PAUSED, target=RETURN_VALUE(*ACTIVE_STATES),
                permission=by_initiators, custom=fields(label=_("Hervatten")))
    def resume(self, **_: Any) -> str:
        previous, self.paused_from = self.paused_from, ""
        return previous

    @transition(state, source=[*ACTIVE_STATES, State.PAUSED, State.NOT_FEASIBLE],
                target=State.WITHDRAWN, permission=by_initiators,
                custom=fields(label=_("Intrekken")))
    def withdraw(self, **_: Any) -> None:
        pass

    @transition(state, source=State.NOT_FEASIBLE, target=State.ELABORATION,
                permission=by_initiators, custom=fields(label=_("Heropenen")))
    def reopen(self, **_: Any) -> None:
        pass

    # -- the departments' answers move it (fired by routing as the system) ---------------
    @transition(state, source=State.CONSULTATION, target=State.READY, permission=by_system,
                custom=fields(label=_("Alle afdelingen akkoord")))
    def complete_consultation(self, **_: Any) -> None:
        pass

    @transition(state, source=State.CONSULTATION, target=State.ELABORATION,
                permission=by_system, custom=fields(label=_("Terug naar uitwerking")))
    def return_to_elaboration(self, **_: Any) -> None:
        pass
