"""On PostgreSQL, under concurrency: the per-year reference sequence keeps references unique
(and consecutive when no submission fails) without making submissions wait for each other,
and the per-e-mail advisory lock keeps the duplicate guard race-free."""

from __future__ import annotations

import threading
from collections.abc import Callable
from unittest import mock

import pytest
from django.db import connection

from loket.intake import services
from loket.intake.models import Initiative, ReferenceCounter
from tests.factories import submission_payload

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_without_tasks() -> object:
    if connection.vendor != "postgresql":
        pytest.skip("row and advisory locks are a PostgreSQL matter")
    with mock.patch("loket.intake.services.enqueue_on_commit") as enqueue:
        yield enqueue


def _in_threads(count: int, work: Callable[[int], object]) -> tuple[list[object], list[object]]:
    results: list[object] = []
    errors: list[object] = []

    def run(n: int) -> None:
        try:
            results.append(work(n))
        except BaseException as exc:  # pragma: no cover - reported by the assertion
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results, errors


def test_concurrent_submissions_get_unique_consecutive_references(
        fresh_references: None) -> None:
    def submit(n: int) -> str:
        payload = submission_payload(
            title=f"Plan {n}", initiators=[{"name": "A", "email": f"a{n}@example.org"}])
        return services.submit_initiative(payload).initiative.reference

    references, errors = _in_threads(16, submit)
    assert errors == []
    numbers = sorted(int(str(ref).rsplit("-", 1)[1]) for ref in references)
    assert numbers == list(range(1, 17))
    assert not Initiative.objects.filter(reference__startswith="~").exists()


def test_the_sequence_continues_after_the_counter_of_before_the_upgrade(
        fresh_references: None) -> None:
    from django.utils import timezone

    ReferenceCounter.objects.create(year=timezone.localdate().year, last=41)
    reference = services.submit_initiative(submission_payload()).initiative.reference
    assert reference.endswith("-00042")


def test_concurrent_repeats_with_differently_cased_email_make_one_initiative() -> None:
    emails = ["anna@example.org", "Anna@Example.org", "ANNA@EXAMPLE.ORG", " anna@example.org"]

    def submit(n: int) -> bool:
        payload = submission_payload(initiators=[{"name": "Anna", "email": emails[n % 4]}])
        return services.submit_initiative(payload).duplicate

    outcomes, errors = _in_threads(8, submit)
    assert errors == []
    assert sorted(outcomes) == [False] + [True] * 7
    assert Initiative.objects.count() == 1
