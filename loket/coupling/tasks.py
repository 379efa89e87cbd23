"""Celery tasks of coupling: thin, load by id, call a service, idempotent."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="loket.coupling.suggest_couplings", acks_late=True)
def suggest_couplings(initiative_id: str) -> None:
    """(Re)compute the coupling suggestions alone. Submissions and plan changes use intake's
    `analyse_initiative`; this one stays for messages already queued by an earlier version
    and for recomputing suggestions by hand."""
    services.suggest_couplings(initiative_id)


@shared_task(name="loket.coupling.recompute_learning", acks_late=True)
def recompute_learning() -> None:
    """Relearn carrier term weights from the brokers' accept/reject decisions."""
    services.recompute_learning()
