"""Celery tasks of routing: thin, load by id, call a service, idempotent."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="loket.routing.propose_routing", acks_late=True)
def propose_routing(initiative_id: str) -> None:
    """Compute the routing proposal the broker sees during intake."""
    services.propose_routing(initiative_id)


@shared_task(name="loket.routing.route_to_departments", acks_late=True)
def route_to_departments(initiative_id: str) -> None:
    """Create one routed request per department once the initiative goes to consultation."""
    services.route_to_departments(initiative_id)
