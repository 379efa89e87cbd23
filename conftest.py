"""Test harness shared by every app.

Unit tests run Celery tasks eagerly in-process. Tests marked `integration` run only when
LOKET_INTEGRATION=1 (as .ci/run does) against PostgreSQL and a real Celery worker process
consuming from Redis.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent
INTEGRATION = os.environ.get("LOKET_INTEGRATION") == "1"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if INTEGRATION:
        return
    skip = pytest.mark.skip(reason="integration: set LOKET_INTEGRATION=1 with PostgreSQL+Redis")
    for item in items:
        if "integration" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _celery_mode(request: pytest.FixtureRequest) -> Iterator[None]:
    """Eager tasks for unit tests; the real broker for integration tests."""
    from loket.celery import app

    eager = "integration" not in request.keywords
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """Throttle counters live in the cache: every test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


def _worker_env() -> dict[str, str]:
    from django.db import connection

    db = connection.settings_dict
    url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return {**os.environ, "DATABASE_URL": url, "PYTHONUNBUFFERED": "1", "LOG_LEVEL": "WARNING"}


class WorkerProcess:
    """A real `celery worker` subprocess on the test database; can be killed and restarted."""

    def __init__(self, log_path: Path) -> None:
        self.log_path = log_path
        self.proc: subprocess.Popen | None = None

    def start(self, concurrency: int = 1) -> None:
        from loket.celery import app

        log = self.log_path.open("ab")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "loket", "worker", "--pool=prefork",
             f"--concurrency={concurrency}", "--without-mingle", "--without-gossip",
             "--loglevel=WARNING", f"--hostname=test-{os.getpid()}@%h"],
            cwd=ROOT, env=_worker_env(), stdout=log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"worker exited early, see {self.log_path}")
            replies = app.control.ping(timeout=0.5,
                                       destination=[f"test-{os.getpid()}@{os.uname().nodename}"])
            if replies:
                return
        raise RuntimeError(f"worker did not answer within 60 s, see {self.log_path}")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def kill(self) -> None:
        """SIGKILL the whole worker (main process and its pool children)."""
        if self.proc and self.proc.poll() is None:
            subprocess.run(["pkill", "-KILL", "-P", str(self.proc.pid)], check=False)
            self.proc.kill()
            self.proc.wait()


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup: None, django_db_blocker: object,
                          tmp_path_factory: pytest.TempPathFactory) -> Iterator[WorkerProcess]:
    from django.conf import settings

    from loket.celery import app

    if not settings.CELERY_BROKER_URL:
        pytest.skip("no CELERY_BROKER_URL: integration tests need Redis")
    app.control.purge()
    worker = WorkerProcess(tmp_path_factory.mktemp("worker") / "worker.log")
    worker.start()
    yield worker
    worker.stop()


def _worker_idle(worker: WorkerProcess) -> bool:
    """Nothing queued and nothing running: the worker no longer touches the database."""
    from loket.celery import app

    if worker.proc is None or worker.proc.poll() is not None:
        return True
    with app.connection_for_read() as conn:
        queued = conn.default_channel.client.llen("celery")
    active = app.control.inspect(timeout=1).active() or {}
    return queued == 0 and not any(active.values())


@pytest.fixture(autouse=True)
def _drain_worker(request: pytest.FixtureRequest) -> Iterator[None]:
    """Let the real worker finish before the test database is flushed.

    TRUNCATE during a task still writing deadlocks (seen in CI); our teardown runs before
    the database fixture's because we request it first.
    """
    if "celery_worker_process" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("_django_db_helper")
    worker = request.getfixturevalue("celery_worker_process")
    yield
    wait_until(lambda: _worker_idle(worker), timeout=30, interval=0.2)


def wait_until(predicate: object, timeout: float = 20.0, interval: float = 0.1) -> bool:
    """Poll `predicate()` until it is truthy or the timeout passes (integration tests)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(interval)
    return bool(predicate())  # type: ignore[operator]


@pytest.fixture
def fresh_references(db: None) -> Iterator[None]:
    """Reference numbering from 1 again. On PostgreSQL the per-year sequences live outside
    the test's transaction (they are created on their own connection, as in production), so
    a test that counts references drops them first."""
    from django.db import connection, connections

    from loket.intake import services

    def drop() -> None:
        services._sequences_seen.clear()
        if connection.vendor != "postgresql":
            return
        side = connections.create_connection(connection.alias)
        try:
            with side.cursor() as cursor:
                cursor.execute("SELECT relname FROM pg_class WHERE relkind = 'S' "
                               "AND relname LIKE 'intake\\_reference\\_%%'")
                for (name,) in cursor.fetchall():
                    cursor.execute(f'DROP SEQUENCE IF EXISTS "{name}"')
        finally:
            side.close()

    drop()  # not afterwards: the test's transaction may still hold the sequence
    yield


@contextmanager
def celery_on(url: str) -> Iterator[None]:
    """Point this process's Celery app (and workers started inside) at another broker."""
    from loket.celery import app

    def reset() -> None:  # forget the cached pools; kombu keeps the real one for later
        app._pool = None
        app.amqp._producer_pool = None

    old_url, old_env = app.conf.broker_url, os.environ.get("CELERY_BROKER_URL")
    reset()
    os.environ["CELERY_BROKER_URL"] = url  # Celery reads the variable before its conf
    app.conf.broker_url = url
    try:
        yield
    finally:
        reset()
        app.conf.broker_url = old_url
        if old_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = old_env
        reset()
