"""Faults that must not lose or duplicate work, counted (results in docs/reliability.md).

- Redis stopped in the middle of 500 submissions: every submission is accepted (201),
  every initiative is routed once Redis is back (the sweeper re-enqueues what never reached
  a worker), none twice, and every resident gets the tracking link, once.
- A worker killed with SIGKILL in the middle of a batch of routings: every initiative ends
  up with its routed requests exactly once.

Both run on a private redis-server on a spare port; the shared one is never touched.
"""

from __future__ import annotations

import json
import time
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from rest_framework.settings import api_settings

from conftest import wait_until
from loket.core import services as core
from loket.core.models import OutboxMail
from loket.intake.models import Initiative
from loket.routing import services as routing
from loket.routing import tasks as routing_tasks
from loket.routing.models import RoutedRequest, RoutingProposal
from loket.workflow.states import State
from tests.factories import submission_payload
from tests.routing.conftest import Town, town  # noqa: F401 - the fixture

from .conftest import RESULTS

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

SUBMISSIONS = 500
STOP_AT, RESTART_AT = 200, 300  # Redis is down for submissions 200..299


def sweep_until_done(done: Any = None) -> dict[str, int]:
    """What beat does every minute, fast-forwarded past the sweep delay: sweep, let the
    worker catch up, sweep again only while work is still missing."""
    step = timedelta(seconds=settings.LOKET_ROUTING_SWEEP_AFTER_SECONDS + 1)
    total: dict[str, int] = {}
    for n in range(1, 6):
        counts = routing.sweep(timezone.now() + n * step)
        for key, value in counts.items():
            total[key] = total.get(key, 0) + value
        if done is None or wait_until(done, timeout=60):
            break
    return total


def submit(client: Client, n: int) -> int:
    body = submission_payload(
        title=f"Bloembakken tegen hardrijders in straat {n}",
        description="Auto's rijden veel te hard door onze straat; wij willen grote "
                    "bloembakken op de rijbaan zetten.",
        initiators=[{"name": f"Bewoner {n}", "email": f"bewoner{n}@example.org",
                     "is_contact": True}])
    response = client.post("/api/v1/initiatives", json.dumps(body),
                           content_type="application/json")
    return response.status_code


def test_redis_down_during_500_submissions(private_worker: Any, private_redis: Any,
                                           town: Town,  # noqa: F811
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "intake", "1000000/hour")
    client = Client()
    statuses: list[int] = []
    started = time.monotonic()
    slow_during_outage: list[float] = []
    for n in range(SUBMISSIONS):
        if n == STOP_AT:
            private_redis.stop()
        if n == RESTART_AT:
            private_redis.start()
        t0 = time.monotonic()
        statuses.append(submit(client, n))
        if STOP_AT <= n < RESTART_AT:
            slow_during_outage.append(time.monotonic() - t0)
    submitted_in = time.monotonic() - started
    accepted = statuses.count(201)
    assert accepted == SUBMISSIONS, {s: statuses.count(s) for s in set(statuses)}
    assert Initiative.objects.count() == SUBMISSIONS

    # Tasks queued in Redis when it stopped are gone (no persistence), and those published
    # during the outage never got there: the database knows, the sweeper re-enqueues them.
    def routed() -> int:
        return RoutingProposal.objects.filter(computed_at__isnull=False).count()

    wait_until(lambda: False, timeout=5)  # let the worker drain what reached it
    unrouted_before_sweep = SUBMISSIONS - routed()
    swept = sweep_until_done(lambda: routed() == SUBMISSIONS)
    assert wait_until(lambda: routed() == SUBMISSIONS, timeout=120), routed()
    assert RoutingProposal.objects.count() == SUBMISSIONS  # one per initiative, none twice
    again = sweep_until_done()
    assert again.get("proposals", 0) == 0

    # The tracking links travel in the same analysis task; the ones whose task was lost are
    # the outbox sweep's (fast-forwarded past its delay). Every resident gets one, once.
    links = OutboxMail.objects.filter(key__startswith="tracking-link:")

    def mailed() -> int:
        return links.filter(sent_at__isnull=False).count()

    mailed_before_outbox_sweep = mailed()
    outbox_swept = 0
    for n in range(1, 6):
        if wait_until(lambda: mailed() == SUBMISSIONS, timeout=20):
            break
        outbox_swept += core.sweep_outbox(timezone.now() + n * timedelta(minutes=3))
    assert mailed() == SUBMISSIONS and links.count() == SUBMISSIONS
    assert links.filter(attempts__gt=1).count() == 0  # none sent twice
    RESULTS["redis_down"] = {
        "submissions": SUBMISSIONS, "accepted": accepted, "outage_submissions":
        RESTART_AT - STOP_AT, "unrouted_before_sweep": unrouted_before_sweep,
        "re_enqueued_by_sweeper": swept.get("proposals", 0),
        "routed_after": routed(),
        "proposals": RoutingProposal.objects.count(),
        "links_mailed_before_outbox_sweep": mailed_before_outbox_sweep,
        "links_re_enqueued_by_outbox_sweep": outbox_swept, "links_mailed": mailed(),
        "max_submit_seconds_during_outage": round(max(slow_during_outage), 3),
        "submit_seconds_total": round(submitted_in, 1),
    }


def test_worker_killed_mid_batch_routes_everything_once(
        private_worker: Any, town: Town, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: F811
    batch = 60
    initiatives = []
    for n in range(batch):
        initiative = Initiative.objects.create(
            reference=f"KILL-{n:04d}", title=f"Bloembakken tegen hardrijders {n}",
            description="Auto's rijden veel te hard; wij willen bloembakken en een drempel.",
            requested_budget=350, support=["money"], tracking_token_hash=f"{n:064d}",
            created_at=timezone.now())
        initiatives.append(initiative)
    # Proposals first (computed by the worker), then the consultation round for all.
    for initiative in initiatives:
        routing_tasks.propose_routing.delay(str(initiative.pk))
    assert wait_until(lambda: RoutingProposal.objects.filter(computed_at__isnull=False).count()
                      == batch, timeout=120)
    Initiative.objects.filter(pk__in=[i.pk for i in initiatives]).update(
        state=State.CONSULTATION, state_entered_at=timezone.now())
    sent_at = time.monotonic()
    for initiative in initiatives:
        routing_tasks.route_to_departments.delay(str(initiative.pk))
    assert wait_until(lambda: RoutedRequest.objects.exists(), timeout=60)
    private_worker.kill()  # SIGKILL, worker and pool, mid-batch
    routed_at_kill = RoutedRequest.objects.values("initiative").distinct().count()

    visibility = 5  # Redis hands unacknowledged tasks out again after this
    time.sleep(max(0.0, sent_at + visibility + 1 - time.monotonic()))
    monkeypatch.setenv("CELERY_VISIBILITY_TIMEOUT", str(visibility))
    private_worker.start(concurrency=2)
    done = wait_until(lambda: RoutedRequest.objects.values("initiative").distinct().count()
                      == batch, timeout=90)
    swept = {} if done else sweep_until_done(  # the safety net, if redelivery was not enough
        lambda: RoutedRequest.objects.values("initiative").distinct().count() == batch)
    assert wait_until(lambda: RoutedRequest.objects.values("initiative").distinct().count()
                      == batch, timeout=90)
    per_initiative = {i.pk: RoutedRequest.objects.filter(initiative=i).count()
                      for i in initiatives}
    assert set(per_initiative.values()) == {3}, per_initiative  # verkeer, groen, subsidies
    # One outbox e-mail per routed request, never two (unique key per event).
    assert OutboxMail.objects.count() == 3 * batch
    RESULTS["worker_killed"] = {
        "batch": batch, "routed_when_killed": routed_at_kill,
        "routed_after": len(per_initiative), "requests_per_initiative": 3,
        "mails": OutboxMail.objects.count(), "sweeper_needed": bool(swept),
    }
