"""Enqueueing that never loses work and never blocks a request on a broker that is down."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task
from django.db import transaction

logger = logging.getLogger(__name__)


def send_now(task: Task, *args: Any, **kwargs: Any) -> bool:
    """Send a task; log instead of raising when the broker is unreachable.

    The database is the source of truth: sweepers find work whose task never arrived.
    """
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except Exception:  # broker down, connection refused, timeout: all the same to the caller
        logger.warning("task not enqueued, the sweeper will retry", extra={"task": task.name},
                       exc_info=True)
        return False
    return True


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """Send a task only once the surrounding transaction has committed."""
    transaction.on_commit(lambda: send_now(task, *args, **kwargs))


@shared_task(name="loket.core.heartbeat")
def heartbeat(name: str = "worker") -> None:
    """Proves the worker consumes tasks: health shows when it was last seen."""
    from .services import record_heartbeat

    record_heartbeat(name)


@shared_task(name="loket.core.send_outbox_mail", acks_late=True)
def send_outbox_mail(mail_id: int) -> None:
    """Send one outbox e-mail; a redelivered task finds it claimed or sent and does nothing."""
    from .services import deliver_outbox_mail

    deliver_outbox_mail(mail_id)


@shared_task(name="loket.core.sweep_outbox", acks_late=True)
def sweep_outbox() -> None:
    """Beat: re-enqueue outbox e-mails whose task was lost (broker down) or failed (SMTP)."""
    from .services import sweep_outbox as sweep

    sweep()
