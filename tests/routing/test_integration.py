"""Routing on PostgreSQL with a real Celery worker on Redis (run by .ci/run).

The database is the source of truth: submissions succeed while the broker is down, the
sweeper finishes the routing later, a redelivered or repeated task routes exactly once,
and two officials answering one request at once get one 201 and one 409.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections
from django.utils import timezone

from conftest import celery_on, wait_until
from loket.celery import app
from loket.core.actors import Actor
from loket.core.errors import Conflict
from loket.core.models import OutboxMail
from loket.intake.services import submit_initiative
from loket.routing import services, tasks
from loket.routing.models import Answer, RoutedRequest, RoutingProposal
from loket.workflow.services import fire_transition
from loket.workflow.states import State
from tests.factories import submission_payload

from .conftest import Town, initiative_in

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

PAYLOAD = {"title": "Bloembakken tegen hardrijders",
           "description": "Auto's rijden veel te hard door onze straat; wij willen grote "
                          "bloembakken op de rijbaan zetten.",
           "requested_budget": 350, "support": ["money"]}


@pytest.fixture(autouse=True)
def _worker_idle_before_flush(request: pytest.FixtureRequest) -> Iterator[None]:
    """Let the worker finish this test's tasks (e.g. coupling) before the database is
    flushed: a task still writing while the tables are truncated deadlocks the teardown."""
    yield
    if "celery_worker_process" not in request.fixturenames:
        return

    def idle() -> bool:
        inspect = app.control.inspect(timeout=0.5)
        busy = [*(inspect.active() or {}).values(), *(inspect.reserved() or {}).values()]
        return not any(busy)

    wait_until(idle, timeout=30, interval=0.3)


def submit(**overrides: Any) -> Any:
    return submit_initiative(submission_payload(**{**PAYLOAD, **overrides})).initiative


def to_consultation(town: Town, initiative: Any) -> None:
    broker = Actor.for_user(town.broker)
    fire_transition(initiative.pk, "take_on", broker)
    fire_transition(initiative.pk, "agree_expectations", broker,
                    expectations_initiators="Zij zoeken buren.",
                    expectations_municipality="Wij vragen de afdelingen.")
    fire_transition(initiative.pk, "submit_plan", Actor.initiators(initiative.pk))
    fire_transition(initiative.pk, "send_to_consultation", broker)


def requests_of(initiative: Any) -> int:
    return RoutedRequest.objects.filter(initiative=initiative).count()


def sweep_later() -> dict[str, int]:
    """What beat does a few minutes on: the sweeper, in this process."""
    return services.sweep(timezone.now()
                          + timedelta(seconds=settings.LOKET_ROUTING_SWEEP_AFTER_SECONDS + 1))


@contextmanager
def broker_down() -> Iterator[None]:
    """Point this process's Celery app at a dead port (the shared Redis stays up)."""
    with celery_on("redis://127.0.0.1:1/0"):
        assert app.connection_for_write().port == 1
        yield


def routing_mails() -> Any:
    """Routing's e-mails in the shared outbox (beside the tracking link and workflow mails)."""
    return OutboxMail.objects.filter(key__startswith="request:")


def test_submission_routed_end_to_end(celery_worker_process: Any, town: Town) -> None:
    initiative = submit()
    assert wait_until(lambda: RoutingProposal.objects.filter(
        initiative=initiative, computed_at__isnull=False).exists())
    to_consultation(town, initiative)
    assert wait_until(lambda: requests_of(initiative) == 3)
    codes = set(RoutedRequest.objects.filter(initiative=initiative)
                .values_list("department__code", flat=True))
    assert codes == {"verkeer", "openbare-ruimte", "subsidies"}
    assert wait_until(lambda: routing_mails().filter(sent_at__isnull=False).count() == 3)
    for request in RoutedRequest.objects.filter(initiative=initiative):
        services.answer_request(Actor.for_user(town.manager), request.pk, decision="approved")
    initiative.refresh_from_db()
    assert initiative.state == State.READY


def test_routing_task_run_twice_routes_once(celery_worker_process: Any, town: Town) -> None:
    initiative = submit()
    to_consultation(town, initiative)
    for _ in range(3):
        tasks.route_to_departments.delay(str(initiative.pk))
    assert wait_until(lambda: requests_of(initiative) == 3)
    # Let the extra deliveries run, then count again.
    assert wait_until(lambda: routing_mails().filter(sent_at__isnull=False).count() == 3)
    tasks.propose_routing.delay(str(initiative.pk))
    assert not wait_until(lambda: requests_of(initiative) != 3, timeout=3)
    assert routing_mails().count() == 3


def test_broker_down_during_submissions_routing_completes_after(
        celery_worker_process: Any, town: Town) -> None:
    with broker_down():
        initiatives = [submit(title=f"Bloembakken tegen hardrijders {n}") for n in range(3)]
        assert not RoutingProposal.objects.exists()  # nothing reached a worker
        to_consultation(town, initiatives[0])
    assert all(i.pk for i in initiatives)
    counts = sweep_later()
    assert counts["proposals"] == 3 and counts["routings"] == 1
    assert wait_until(lambda: RoutingProposal.objects.filter(
        computed_at__isnull=False).count() == 3)
    assert wait_until(lambda: requests_of(initiatives[0]) == 3)
    again = sweep_later()
    assert again["proposals"] == 0 and again["routings"] == 0


@contextmanager
def row_locked(initiative_id: Any) -> Iterator[psycopg.Connection]:
    """Hold the initiative's row lock from another connection, so a task blocks on it."""
    db = connection.settings_dict
    conn = psycopg.connect(host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432,
                           user=db["USER"], dbname=db["NAME"], password=db["PASSWORD"] or None)
    try:
        conn.execute("SELECT 1 FROM intake_initiative WHERE id = %s FOR UPDATE",
                     [initiative_id])
        yield conn
    finally:
        conn.rollback()
        conn.close()


def waiting_on_lock() -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                       " AND wait_event_type = 'Lock'")
        return cursor.fetchone()[0] > 0


def test_worker_killed_mid_task_is_redelivered_and_routes_once(
        celery_worker_process: Any, town: Town, monkeypatch: pytest.MonkeyPatch) -> None:
    initiative = submit()
    assert wait_until(lambda: RoutingProposal.objects.filter(
        initiative=initiative, computed_at__isnull=False).exists())
    type(initiative).objects.filter(pk=initiative.pk).update(
        state=State.CONSULTATION, state_entered_at=timezone.now())
    visibility = 5
    with row_locked(initiative.pk):
        sent_at = time.monotonic()
        tasks.route_to_departments.delay(str(initiative.pk))
        assert wait_until(waiting_on_lock, timeout=20), "the task never started"
        celery_worker_process.kill()  # SIGKILL while the task waits inside its transaction
    assert requests_of(initiative) == 0
    # Redis hands an unacknowledged task out again once its visibility timeout passed; a
    # starting worker restores such tasks at once (a running one checks every ~100 s).
    time.sleep(max(0.0, sent_at + visibility + 1 - time.monotonic()))
    monkeypatch.setenv("CELERY_VISIBILITY_TIMEOUT", str(visibility))
    celery_worker_process.start()
    try:
        assert wait_until(lambda: requests_of(initiative) == 3, timeout=60)
        assert wait_until(lambda: routing_mails().filter(sent_at__isnull=False).count()
                          == 3, timeout=30)
        assert routing_mails().count() == 3 and requests_of(initiative) == 3
    finally:
        monkeypatch.delenv("CELERY_VISIBILITY_TIMEOUT")
        celery_worker_process.stop()
        celery_worker_process.start()  # back to the normal settings for later tests


def test_concurrent_answers_one_wins_the_other_gets_409(town: Town) -> None:
    # Made directly (no tasks for the worker that could race the test database's flush).
    initiative = initiative_in(State.CONSULTATION, broker=town.broker, **PAYLOAD)
    services.route_to_departments(str(initiative.pk))
    request = RoutedRequest.objects.get(initiative=initiative, department=town.verkeer)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def answer(decision: str) -> None:
        try:
            barrier.wait()
            services.answer_request(Actor.for_user(town.official), request.pk,
                                    decision=decision, motivation="Zo is het.")
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(d,))
               for d in ("approved", "approved_with_conditions")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes) == ["conflict", "ok"]
    assert Answer.objects.filter(request=request).count() == 1
    request.refresh_from_db()
    assert request.status == RoutedRequest.Status.ANSWERED

