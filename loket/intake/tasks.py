"""Celery tasks of intake: thin, load by id, call a service, idempotent."""

from __future__ import annotations

from celery import shared_task

from . import services


@shared_task(name="loket.intake.analyse_initiative", acks_late=True)
def analyse_initiative(initiative_id: str, mail_key: str | None = None) -> None:
    """Routing proposal, coupling suggestions and the queued tracking-link e-mail, at once."""
    services.analyse_initiative(initiative_id, mail_key)
