"""Celery tasks of monitoring: thin and idempotent."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="loket.monitoring.scan_flags", acks_late=True)
def scan_flags() -> dict[str, int]:
    """Beat, every 15 minutes: raise, clear and escalate flags; notify once per level."""
    return vars(services.scan_flags())
