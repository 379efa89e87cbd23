"""Celery tasks of routing: thin, load by id, call a service, idempotent."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="loket.routing.propose_routing", acks_late=True)
def propose_routing(initiative_id: str) -> None:
    """Compute the routing proposal alone. Submissions and plan changes use intake's
    `analyse_initiative` (routing and coupling in one task); this one stays for messages
    already queued by an earlier version and for recomputing routing by hand."""
    services.propose_routing(initiative_id)


@shared_task(name="loket.routing.route_to_departments", acks_late=True)
def route_to_departments(initiative_id: str) -> None:
    """Create one routed request per department once the initiative goes to consultation."""
    services.route_to_departments(initiative_id)


@shared_task(name="loket.routing.settle_consultation", acks_late=True)
def settle_consultation(initiative_id: str) -> None:
    """Move the initiative on once every department answered (e.g. after a pause)."""
    services.settle_consultation(initiative_id)


@shared_task(name="loket.routing.recompute_learning", acks_late=True)
def recompute_learning() -> None:
    """Relearn term weights from the confirmed routings after a correction."""
    services.recompute_learning()


@shared_task(name="loket.routing.send_reminders", acks_late=True)
def send_reminders() -> None:
    """Beat: remind departments 2 working days before a due date."""
    services.send_reminders()


@shared_task(name="loket.routing.sweep", acks_late=True)
def sweep() -> None:
    """Beat: re-enqueue proposals and routings whose task never ran."""
    services.sweep()
