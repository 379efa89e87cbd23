"""Celery tasks of intake: thin and idempotent."""

from __future__ import annotations

import logging
import smtplib

from celery import shared_task

from . import mail

logger = logging.getLogger(__name__)


@shared_task(name="loket.intake.send_tracking_link", bind=True, acks_late=True,
             max_retries=5)
def send_tracking_link(self: object, initiative_id: str, token: str,
                       reason: str = "submitted") -> None:
    """E-mail the contact person their tracking link, at most once per link.

    SMTP trouble never reaches the submission (this runs after its commit); with a broker
    the task retries with back-off, in embedded mode it logs and gives up.
    """
    try:
        mail.send_tracking_link(initiative_id, token, reason)
    except (smtplib.SMTPException, OSError) as exc:
        request = self.request  # type: ignore[attr-defined]
        if request.is_eager or request.retries >= self.max_retries:  # type: ignore[attr-defined]
            logger.error("tracking link e-mail not sent", exc_info=True,
                         extra={"initiative": initiative_id})
            return
        countdown = 30 * 2 ** request.retries
        raise self.retry(exc=exc, countdown=countdown) from exc  # type: ignore[attr-defined]
