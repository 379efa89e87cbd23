"""Write path of the core app: heartbeats and the one e-mail outbox of every app."""

from __future__ import annotations

import logging
import smtplib
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import Heartbeat, OutboxMail
from .tasks import send_now

logger = logging.getLogger(__name__)

# A claimed e-mail is someone's for this long (a worker that died mid-send releases it).
MAIL_LEASE = timedelta(minutes=5)
# The sweep leaves young e-mails to their own task, and gives up after this many attempts.
SWEEP_AFTER = timedelta(minutes=2)
MAX_MAIL_ATTEMPTS = 10
SWEEP_BATCH = 200
NO_ADDRESS = "geen e-mailadres"


def record_heartbeat(name: str) -> None:
    Heartbeat.objects.update_or_create(name=name, defaults={"at": timezone.now()})


# -- the outbox -------------------------------------------------------------------------------

def queue_mail(key: str, to: Iterable[str], subject: str, body: str, *,
               initiative: Any = None, to_initiators: bool = False,
               confidential: bool = False, enqueue: bool = True) -> str:
    """Write an e-mail to the outbox once per `key`; it is sent after the commit.

    Call it inside the business transaction, with the body already rendered (in Dutch):
    the e-mail exists exactly when the event does. A key queued before (a replayed task)
    is left as it is. Without any address the row is kept, marked skipped. With
    `enqueue=False` the caller's own task sends it (`send_queued_mail(key)`), which saves a
    task publish on a hot path; the sweep still backs it up. Returns the key.

    One statement in the caller's transaction (INSERT ... ON CONFLICT DO NOTHING, no
    savepoint): submissions hold the year's reference lock while it runs.
    """
    recipients = sorted({address.strip() for address in to if address and address.strip()})
    mail = OutboxMail(
        key=key, initiative=initiative, to=recipients, to_initiators=to_initiators,
        subject=" ".join(subject.split())[:200],  # no header injection through a title
        body=body, confidential=confidential)
    if not recipients:
        mail.sent_at, mail.skipped = timezone.now(), NO_ADDRESS
        mail.body = "" if confidential else body
    OutboxMail.objects.bulk_create([mail], ignore_conflicts=True)
    if recipients and enqueue:
        transaction.on_commit(lambda: _enqueue_unsent(key))
    return key


def _enqueue_unsent(key: str) -> None:
    """After the commit: hand the e-mail to the worker unless a delivery already took it."""
    from . import tasks

    pk = (OutboxMail.objects.filter(key=key, sent_at__isnull=True, attempts=0)
          .values_list("pk", flat=True).first())
    if pk is not None:
        send_now(tasks.send_outbox_mail, pk)


def send_outbox_mail(mail_id: int, now: datetime | None = None) -> bool:
    """Send one outbox e-mail unless it was sent or is being sent (compare-and-swap).

    True when it went out now. An SMTP failure releases the claim and raises, so the sweep
    tries again; a crash between the SMTP hand-off and marking it sent can still send twice
    (at-least-once at that one point: SMTP offers nothing better).
    """
    now = now or timezone.now()
    claimed = OutboxMail.objects.filter(pk=mail_id, sent_at__isnull=True).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)).update(
        claimed_until=now + MAIL_LEASE, attempts=F("attempts") + 1)
    if not claimed:
        return False
    mail = OutboxMail.objects.get(pk=mail_id)
    wiped = {"body": ""} if mail.confidential else {}
    if not mail.to:  # anonymised while it waited
        OutboxMail.objects.filter(pk=mail_id).update(sent_at=timezone.now(),
                                                     skipped=NO_ADDRESS, **wiped)
        return False
    try:
        EmailMessage(mail.subject, mail.body, settings.DEFAULT_FROM_EMAIL, list(mail.to)).send()
    except Exception:
        given_up = ({"skipped": f"opgegeven na {mail.attempts} pogingen", **wiped}
                    if mail.attempts >= MAX_MAIL_ATTEMPTS else {})
        OutboxMail.objects.filter(pk=mail_id).update(claimed_until=None, **given_up)
        raise
    OutboxMail.objects.filter(pk=mail_id).update(sent_at=timezone.now(), **wiped)
    return True


def deliver_outbox_mail(mail_id: int) -> bool:
    """`send_outbox_mail` for a task: SMTP trouble is logged, not raised, so the claim is
    released, the sweep retries, and the task's other steps still run."""
    try:
        return send_outbox_mail(mail_id)
    except (smtplib.SMTPException, OSError):
        logger.warning("e-mail not sent, the sweep will retry", extra={"mail": mail_id},
                       exc_info=True)
        return False


def send_queued_mail(key: str) -> bool:
    """Send the outbox e-mail with this key from the caller's own task (see `queue_mail`)."""
    pk = OutboxMail.objects.filter(key=key, sent_at__isnull=True).values_list(
        "pk", flat=True).first()
    return pk is not None and deliver_outbox_mail(pk)


def pending_outbox_mails(now: datetime | None = None, batch: int = SWEEP_BATCH) -> list[int]:
    """Unsent, unclaimed e-mails whose task was lost or failed, old enough not to race it."""
    now = now or timezone.now()
    return list(OutboxMail.objects.filter(
        sent_at__isnull=True, attempts__lt=MAX_MAIL_ATTEMPTS, created_at__lte=now - SWEEP_AFTER,
    ).filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .order_by("created_at", "id").values_list("pk", flat=True)[:batch])


def sweep_outbox(now: datetime | None = None) -> int:
    """Re-enqueue the pending e-mails; returns how many were enqueued."""
    from . import tasks

    return sum(send_now(tasks.send_outbox_mail, pk) for pk in pending_outbox_mails(now))


def anonymise_outbox(initiative_ids: Iterable[Any]) -> int:
    """Blank addresses and texts (they name the residents) of these initiatives' e-mails."""
    with transaction.atomic():
        return OutboxMail.objects.filter(initiative_id__in=list(initiative_ids)).update(
            to=[], body="")
