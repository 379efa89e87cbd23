"""E-mails of intake, in Dutch, plain text (nothing a resident typed is ever rendered as HTML)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .models import Initiative, SentMail
from .tokens import hash_tracking_token

SUBJECTS = {
    "submitted": "Uw initiatief '{title}' is ontvangen ({reference})",
    "repeat": "Uw volglink voor '{title}' ({reference})",
}


def tracking_url(token: str) -> str:
    """The resident's private link (the web interface resolves it; the API is below it)."""
    return f"{settings.BASE_URL}/volgen/{token}"


def send_tracking_link(initiative_id: str, token: str, reason: str) -> bool:
    """Send the e-mail with the tracking link once; True when it was sent now.

    The idempotency row is locked while sending, so a redelivered or concurrent task waits
    and then sees `sent_at`. A crash between the SMTP hand-off and the commit can still
    send twice (at-least-once); SMTP offers nothing better.
    """
    key = f"tracking-link:{hash_tracking_token(token)}"
    with transaction.atomic():
        initiative = (Initiative.objects.filter(pk=initiative_id)
                      .prefetch_related("initiators").first())
        if initiative is None:
            return False
        record, _ = SentMail.objects.get_or_create(key=key, defaults={"initiative": initiative})
        record = SentMail.objects.select_for_update().get(pk=record.pk)
        contact = initiative.contact
        if record.sent_at is not None or contact is None or not contact.email:
            return False
        with translation.override("nl"):
            context = {"initiative": initiative, "contact": contact, "reason": reason,
                       "url": tracking_url(token),
                       "municipality": settings.LOKET_MUNICIPALITY_NAME}
            subject = SUBJECTS.get(reason, SUBJECTS["submitted"]).format(
                title=initiative.title[:80], reference=initiative.reference)
            body = render_to_string("intake/email/tracking_link.txt", context)
        subject = " ".join(subject.split())  # no header injection through a title
        EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [contact.email]).send()
        record.to = contact.email
        record.subject = subject[:200]
        record.sent_at = timezone.now()
        record.save(update_fields=["to", "subject", "sent_at"])
    return True
