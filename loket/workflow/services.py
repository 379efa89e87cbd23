"""Write path of the workflow: starting it, and recording every step in the audit trail."""

from __future__ import annotations

from django.utils import timezone

from loket.core.actors import Actor

from .models import TransitionLog
from .states import BALL_HOLDER, State


def log_transition(initiative: object, *, transition: str, source: str, target: str,
                   actor: Actor, public_note: str = "", internal_note: str = "") -> TransitionLog:
    """Append to the audit trail; call inside the transaction that changed the state."""
    return TransitionLog.objects.create(
        initiative=initiative, transition=transition, source=source, target=target,
        actor_role=actor.role, actor_user=actor.user, public_note=public_note,
        internal_note=internal_note, at=timezone.now(),
    )


def start_workflow(initiative: object, actor: Actor) -> None:
    """Set the clock and ball holder of a newly submitted initiative and log its submission.

    The caller saves the initiative first (it needs a primary key) inside its transaction.
    """
    now = timezone.now()
    type(initiative).objects.filter(pk=initiative.pk).update(
        state_entered_at=now, ball_holder=BALL_HOLDER[State.SUBMITTED], ball_moved_at=now)
    initiative.state_entered_at = now
    initiative.ball_holder = BALL_HOLDER[State.SUBMITTED]
    initiative.ball_moved_at = now
    log_transition(initiative, transition="submit", source=State.SUBMITTED,
                   target=State.SUBMITTED, actor=actor)
