"""Celery tasks of the workflow: thin, load by id, call a service, idempotent."""

from __future__ import annotations

from celery import shared_task

from loket.core.tasks import send_now

from . import services


@shared_task(name="loket.workflow.send_notification", acks_late=True)
def send_notification(notification_id: int) -> None:
    """Send one transition e-mail; a second delivery finds it sent and does nothing."""
    services.send_notification(notification_id)


@shared_task(name="loket.workflow.sweep_notifications", acks_late=True)
def sweep_notifications() -> None:
    """Re-enqueue e-mails whose task was lost (broker down) or failed (SMTP down)."""
    for notification_id in services.pending_notifications():
        send_now(send_notification, notification_id)
