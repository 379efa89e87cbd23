"""Celery tasks of monitoring: thin and idempotent."""

from __future__ import annotations

from celery import shared_task

from . import selectors, services


@shared_task(name="loket.monitoring.scan_flags", acks_late=True)
def scan_flags() -> dict[str, int]:
    """Beat, every 15 minutes: raise, clear and escalate flags; notify once per level; then
    refresh the managers' summary so the dashboard shows the new flags."""
    result = vars(services.scan_flags())
    selectors.refresh_summary()
    return result
