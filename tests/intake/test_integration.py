"""Through Redis and a real worker on PostgreSQL: a submission's e-mail task runs after the
commit, exactly once even when delivered twice; concurrent submissions get distinct
references; the throttle counts in the shared cache."""

from __future__ import annotations

import threading
from unittest import mock

import pytest
from django.db import connection

from conftest import wait_until
from loket.core.models import Heartbeat, OutboxMail
from loket.core.tasks import heartbeat, send_outbox_mail
from loket.intake import services
from loket.intake.models import Initiative
from tests.factories import submission_payload

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_confirmation_mail_is_sent_once_by_the_worker(celery_worker_process: object) -> None:
    result = services.submit_initiative(submission_payload())
    assert wait_until(lambda: OutboxMail.objects.filter(sent_at__isnull=False).exists())
    record = OutboxMail.objects.get(initiative=result.initiative)
    send_outbox_mail.delay(record.pk)  # redelivery
    send_outbox_mail.delay(record.pk)
    heartbeat.delay("intake-after-redelivery")  # one worker process: runs after both
    assert wait_until(lambda: Heartbeat.objects.filter(name="intake-after-redelivery").exists())
    record.refresh_from_db()
    assert record.to == ["anna@example.org"] and record.attempts == 1
    assert OutboxMail.objects.count() == 1


@pytest.fixture
def no_tasks() -> object:
    """Concurrency tests are about the database: keep their tasks off a running worker,
    which would otherwise still hold rows while the test database is flushed."""
    with mock.patch("loket.intake.services.enqueue_on_commit") as enqueue:
        yield enqueue


def test_concurrent_submissions_get_distinct_references(no_tasks: object) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter")
    references: list[str] = []
    errors: list[BaseException] = []

    def submit(n: int) -> None:
        try:
            payload = submission_payload(
                title=f"Plan {n}", initiators=[{"name": "A", "email": f"a{n}@example.org"}])
            references.append(services.submit_initiative(payload).initiative.reference)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(set(references)) == 8
    assert Initiative.objects.count() == 8


def test_concurrent_duplicates_make_one_initiative(no_tasks: object) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("row locks are a PostgreSQL matter")
    outcomes: list[bool] = []

    def submit() -> None:
        try:
            outcomes.append(services.submit_initiative(submission_payload()).duplicate)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [False, True, True, True]
    assert Initiative.objects.count() == 1
