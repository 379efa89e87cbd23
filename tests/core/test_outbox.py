"""The one e-mail outbox of every app: queued once per key, claimed with compare-and-swap,
sent once however often its task is delivered, retried by the sweep, anonymised."""

from __future__ import annotations

import smtplib
from datetime import timedelta
from unittest import mock

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone

from loket.core import services
from loket.core.models import OutboxMail
from loket.core.tasks import send_outbox_mail, sweep_outbox
from tests.factories import InitiativeFactory, UserFactory

pytestmark = pytest.mark.django_db

SMTP_DOWN = mock.patch("loket.core.services.EmailMessage.send",
                       side_effect=smtplib.SMTPServerDisconnected("weg"))


def later(minutes: int = 5) -> object:
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes))


def queue(key: str = "k", **kwargs: object) -> OutboxMail:
    services.queue_mail(key, kwargs.pop("to", ["a@example.org"]), "Onderwerp", "Tekst",
                        **kwargs)
    return OutboxMail.objects.get(key=key)


def test_queued_in_the_transaction_and_sent_after_commit(
        django_capture_on_commit_callbacks: object) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:  # type: ignore[operator]
        row = queue(to=["b@example.org", "a@example.org", "", "a@example.org"])
    assert row.to == ["a@example.org", "b@example.org"] and mail.outbox == []
    for callback in callbacks:
        callback()
    [message] = mail.outbox
    assert message.to == ["a@example.org", "b@example.org"]
    assert (message.subject, message.body) == ("Onderwerp", "Tekst")
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 1


def test_a_replayed_key_is_never_queued_twice(
        django_capture_on_commit_callbacks: object) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        queue()
        services.queue_mail("k", ["other@example.org"], "Anders", "Anders")
    assert OutboxMail.objects.get().to == ["a@example.org"]
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Onderwerp"
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        services.queue_mail("k", ["a@example.org"], "Onderwerp", "Tekst")  # replayed later
    assert OutboxMail.objects.count() == 1 and len(mail.outbox) == 1


def test_subject_cannot_inject_headers() -> None:
    services.queue_mail("k", ["a@example.org"], "Hallo\r\nBcc: x@evil.example", "T")
    assert OutboxMail.objects.get().subject == "Hallo Bcc: x@evil.example"


def test_claim_is_a_compare_and_swap() -> None:
    row = queue()
    now = timezone.now()
    OutboxMail.objects.filter(pk=row.pk).update(claimed_until=now + timedelta(minutes=1))
    assert services.send_outbox_mail(row.pk, now=now) is False  # someone else is sending
    assert mail.outbox == []
    row.refresh_from_db()
    assert row.attempts == 0
    # The lease ran out (that worker died): the next delivery may claim it.
    assert services.send_outbox_mail(row.pk, now=now + timedelta(minutes=2)) is True
    row.refresh_from_db()
    assert row.attempts == 1 and row.sent_at is not None and len(mail.outbox) == 1


def test_double_delivery_sends_once() -> None:
    row = queue()
    send_outbox_mail.delay(row.pk)
    send_outbox_mail.delay(row.pk)
    assert services.send_outbox_mail(row.pk) is False
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert row.attempts == 1


def test_smtp_failure_is_retried_by_the_sweep() -> None:
    row = queue()
    with SMTP_DOWN:
        send_outbox_mail.delay(row.pk)  # logged, not raised: the sweep retries
    row.refresh_from_db()
    assert row.sent_at is None and row.claimed_until is None and row.attempts == 1
    assert services.pending_outbox_mails() == []  # too young: its own task may still come
    with later():
        assert services.pending_outbox_mails() == [row.pk]
        sweep_outbox.delay()
        assert services.pending_outbox_mails() == []
    row.refresh_from_db()
    assert row.sent_at is not None and row.attempts == 2 and len(mail.outbox) == 1


def test_the_sweep_gives_up_after_the_maximum_attempts() -> None:
    row = queue(confidential=True)
    with SMTP_DOWN:
        for _ in range(services.MAX_MAIL_ATTEMPTS):
            with pytest.raises(smtplib.SMTPException):
                services.send_outbox_mail(row.pk)
    row.refresh_from_db()
    assert row.attempts == services.MAX_MAIL_ATTEMPTS and row.sent_at is None
    assert row.skipped and row.body == ""  # a secret is not kept for a mail never sent
    with later():
        assert services.sweep_outbox() == 0


def test_a_lost_task_is_picked_up_by_the_sweep() -> None:
    queue()  # the on-commit enqueue never ran (broker down)
    assert services.sweep_outbox() == 0
    with later():
        assert services.sweep_outbox() == 1
        assert services.sweep_outbox() == 0
    assert len(mail.outbox) == 1


def test_without_an_address_nothing_is_sent_but_the_row_says_why() -> None:
    row = queue(to=["", "  "])
    assert row.sent_at is not None and row.skipped == services.NO_ADDRESS
    assert services.send_outbox_mail(row.pk) is False
    with later():
        assert services.sweep_outbox() == 0
    assert mail.outbox == []


def test_a_confidential_body_is_wiped_once_sent() -> None:
    row = queue(confidential=True)
    assert OutboxMail.objects.get(pk=row.pk).body == "Tekst"
    assert services.send_outbox_mail(row.pk) is True
    assert mail.outbox[0].body == "Tekst"
    assert OutboxMail.objects.get(pk=row.pk).body == ""


def test_anonymisation_blanks_addresses_and_texts_of_that_initiative_only() -> None:
    initiative, other = InitiativeFactory(), InitiativeFactory()
    sent = queue("sent", initiative=initiative)
    services.send_outbox_mail(sent.pk)
    waiting = queue("waiting", initiative=initiative)
    kept = queue("kept", initiative=other)
    assert services.anonymise_outbox([initiative.pk]) == 2
    for row in (sent, waiting):
        row.refresh_from_db()
        assert (row.to, row.body, row.subject) == ([], "", "Onderwerp")
    kept.refresh_from_db()
    assert kept.to == ["a@example.org"] and kept.body == "Tekst"
    # An e-mail still waiting when its initiative was anonymised goes to nobody.
    assert services.send_outbox_mail(waiting.pk) is False
    waiting.refresh_from_db()
    assert waiting.sent_at is not None and waiting.skipped
    assert len(mail.outbox) == 1


def test_beat_sweeps_the_outbox_and_no_app_has_its_own_mail_sweeper() -> None:
    from django.conf import settings

    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "loket.core.sweep_outbox" in tasks
    assert not any("notification" in task for task in tasks)


def test_admin_lists_the_outbox_read_only_and_hides_a_waiting_link() -> None:
    secret = queue("secret", confidential=True)
    secret_body = "https://loket.example/volgen/GEHEIM-TOKEN"
    OutboxMail.objects.filter(pk=secret.pk).update(body=secret_body)
    plain = queue("plain")
    client = Client()
    client.force_login(UserFactory(is_superuser=True))
    listing = client.get("/admin/core/outboxmail/")
    assert listing.status_code == 200 and b"secret" in listing.content
    page = client.get(f"/admin/core/outboxmail/{secret.pk}/change/")
    assert page.status_code == 200 and b"GEHEIM-TOKEN" not in page.content
    assert b"Tekst" in client.get(f"/admin/core/outboxmail/{plain.pk}/change/").content
    assert client.get("/admin/core/outboxmail/add/").status_code == 403
    assert client.post(f"/admin/core/outboxmail/{plain.pk}/delete/",
                       {"post": "yes"}).status_code == 403
