"""E-mails of intake, in Dutch, plain text (nothing a resident typed is ever rendered as HTML)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from loket.core.services import queue_mail

from .models import Initiative, Initiator
from .tokens import hash_tracking_token

SUBJECTS = {
    "submitted": "Uw initiatief '{title}' is ontvangen ({reference})",
    "repeat": "Uw volglink voor '{title}' ({reference})",
}


def tracking_url(token: str) -> str:
    """The resident's private link (the web interface resolves it; the API is below it)."""
    return f"{settings.BASE_URL}/volgen/{token}"


def queue_tracking_link(initiative: Initiative, token: str, reason: str,
                        contact: Initiator | None = None, *, enqueue: bool = True) -> str:
    """Queue the e-mail with the tracking link, once per link, in the caller's transaction.

    The key is the link's hash, never the token. The body carries the link, so the outbox
    keeps it only until the e-mail is sent (`confidential`): a leaked database then holds
    no working links. Returns the outbox key; with `enqueue=False` the caller's task sends
    it (`core.services.send_queued_mail`).
    """
    contact = contact or initiative.contact
    with translation.override("nl"):
        context = {"initiative": initiative, "contact": contact, "reason": reason,
                   "url": tracking_url(token), "municipality": settings.LOKET_MUNICIPALITY_NAME}
        subject = SUBJECTS.get(reason, SUBJECTS["submitted"]).format(
            title=initiative.title[:80], reference=initiative.reference)
        body = render_to_string("intake/email/tracking_link.txt", context) if contact else ""
    return queue_mail(f"tracking-link:{hash_tracking_token(token)}",
                      [contact.email] if contact else [], subject, body,
                      initiative=initiative, to_initiators=True, confidential=True,
                      enqueue=enqueue)
