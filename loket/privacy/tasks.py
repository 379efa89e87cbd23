"""Celery tasks of privacy: thin and idempotent (the sweep is a compare-and-swap)."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="loket.privacy.anonymise", acks_late=True)
def anonymise() -> dict[str, int]:
    """Beat, daily: anonymise initiators of initiatives closed longer than the retention."""
    return vars(services.anonymise_closed_initiatives())
