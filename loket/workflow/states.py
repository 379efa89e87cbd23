"""The initiative's states and who holds the ball in each: the one place that says so."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class State(models.TextChoices):
    SUBMITTED = "submitted", _("ingediend")
    INTAKE = "intake", _("kennismaking")
    ELABORATION = "elaboration", _("uitwerking")
    PLAN_SUBMITTED = "plan_submitted", _("plan ingediend")
    CONSULTATION = "consultation", _("in afstemming")
    READY = "ready", _("klaar om te starten")
    IN_PROGRESS = "in_progress", _("in uitvoering")
    REALIZED = "realized", _("gerealiseerd")
    PAUSED = "paused", _("gepauzeerd")
    WITHDRAWN = "withdrawn", _("ingetrokken")
    NOT_FEASIBLE = "not_feasible", _("niet haalbaar")


class BallHolder(models.TextChoices):
    INITIATORS = "initiators", _("de initiatiefnemers")
    BROKER = "broker", _("de initiatiefmakelaar")
    DEPARTMENTS = "departments", _("de vakafdelingen")
    NOBODY = "nobody", _("niemand (afgerond)")


BALL_HOLDER: dict[str, str] = {
    State.SUBMITTED: BallHolder.BROKER,  # a broker must take it on
    State.INTAKE: BallHolder.BROKER,
    State.ELABORATION: BallHolder.INITIATORS,
    State.PLAN_SUBMITTED: BallHolder.BROKER,
    State.CONSULTATION: BallHolder.DEPARTMENTS,
    State.READY: BallHolder.INITIATORS,
    State.IN_PROGRESS: BallHolder.INITIATORS,
    State.PAUSED: BallHolder.INITIATORS,
    State.NOT_FEASIBLE: BallHolder.INITIATORS,  # they may reopen it
    State.REALIZED: BallHolder.NOBODY,
    State.WITHDRAWN: BallHolder.NOBODY,
}

FINAL_STATES = frozenset({State.REALIZED, State.WITHDRAWN})
# States in which the initiative is still alive and can be paused, withdrawn or judged.
ACTIVE_STATES = (
    State.SUBMITTED, State.INTAKE, State.ELABORATION, State.PLAN_SUBMITTED,
    State.CONSULTATION, State.READY, State.IN_PROGRESS,
)
CLOSED_STATES = (State.REALIZED, State.WITHDRAWN, State.NOT_FEASIBLE)
