"""Goes through Redis and a real worker process: the heartbeat task lands in the database."""

import pytest

from conftest import wait_until
from loket.core.models import Heartbeat
from loket.core.tasks import heartbeat

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def test_task_travels_through_redis_to_a_worker(celery_worker_process: object) -> None:
    assert not Heartbeat.objects.filter(name="integration").exists()
    heartbeat.delay("integration")
    assert wait_until(lambda: Heartbeat.objects.filter(name="integration").exists())
