"""Fault-injection helpers: a private Redis on a spare port, the Celery app pointed at it."""

from __future__ import annotations

import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import WorkerProcess, celery_on

RESULTS: dict[str, dict] = {}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PrivateRedis:
    """A redis-server of our own (the shared one on 6379 is never touched)."""

    def __init__(self) -> None:
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.proc = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("private redis did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait(timeout=10)


@pytest.fixture
def private_redis() -> Iterator[PrivateRedis]:
    redis = PrivateRedis()
    redis.start()
    try:
        with celery_on(redis.url):
            yield redis
    finally:
        redis.stop()


@pytest.fixture
def private_worker(private_redis: PrivateRedis, django_db_blocker: object,
                   tmp_path: Path) -> Iterator[WorkerProcess]:
    worker = WorkerProcess(tmp_path / "worker.log")
    worker.start(concurrency=2)
    try:
        yield worker
    finally:
        worker.stop()


def pytest_terminal_summary(terminalreporter: object) -> None:
    """The counts behind docs/reliability.md, in the CI log."""
    import json as _json

    if RESULTS:
        terminalreporter.write_line("reliability: " + _json.dumps(RESULTS, sort_keys=True))
