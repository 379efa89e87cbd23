"""PostgreSQL stopped and started under a running server, on a private cluster.

The machine's shared PostgreSQL is never touched: the test creates its own cluster with
initdb on a spare port in a temporary directory, serves Loket from it with gunicorn, stops
the cluster (health says 503 problem+json, no client ever sees a stack trace), starts it
again and checks that the same server recovers without a restart.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import ROOT, wait_until
from tests.factories import submission_payload

from .conftest import RESULTS, free_port

pytestmark = pytest.mark.integration


def _pg_bin() -> Path:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        pytest.skip("no PostgreSQL server binaries")
    return found[-1].parent


def _as_postgres(args: list[str], **kwargs: object) -> subprocess.CompletedProcess:
    if os.geteuid() == 0:  # initdb refuses root
        args = ["runuser", "-u", "postgres", "--", *args]
    return subprocess.run(args, check=True, capture_output=True, timeout=60, **kwargs)


class PrivatePostgres:
    def __init__(self, base: Path) -> None:
        self.bin, self.port = _pg_bin(), free_port()
        self.data = base / "pgdata"
        self.sockets = base / "sock"

    def init(self) -> None:
        self.sockets.mkdir()
        if os.geteuid() == 0:
            user = pwd.getpwnam("postgres")
            for path in (self.data.parent, self.sockets):
                os.chown(path, user.pw_uid, user.pw_gid)
        _as_postgres([str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres",
                      "--auth=trust", "-E", "UTF8", "--no-sync"])

    def start(self) -> None:
        _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-l",
                      str(self.data / "server.log"), "-o",
                      f"-p {self.port} -k {self.sockets} -c listen_addresses=127.0.0.1 "
                      "-c fsync=off", "start"])

    def stop(self) -> None:
        _as_postgres([str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-m", "fast",
                      "stop"])

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/loket"


def _get(url: str) -> tuple[int, str, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def _post(url: str, body: dict) -> tuple[int, str, str]:
    request = urllib.request.Request(url, data=json.dumps(body).encode(), method="POST",  # noqa: S310
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[PrivatePostgres, str]]:
    if not shutil.which("runuser") and os.geteuid() == 0:
        pytest.skip("runuser missing")
    private_dir = Path(tempfile.mkdtemp(prefix="loket-pg-"))  # reachable for user postgres
    pg = PrivatePostgres(private_dir)
    pg.init()
    pg.start()
    port = free_port()
    env = {**os.environ, "DATABASE_URL": pg.url, "LOKET_DEMO": "1", "CELERY_BROKER_URL": "",
           "LOKET_INTAKE_THROTTLE": "1000/minute", "LOG_LEVEL": "WARNING",
           "DATABASE_CONNECT_TIMEOUT": "2"}
    env.pop("PYTEST_VERSION", None)
    _as_postgres([str(pg.bin / "createdb"), "-h", "127.0.0.1", "-p", str(pg.port), "-U",
                  "postgres", "loket"])
    subprocess.run([sys.executable, "manage.py", "migrate", "-v", "0"], cwd=ROOT, env=env,
                   check=True, timeout=180)
    log = (tmp_path / "gunicorn.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "gunicorn", "loket.wsgi", "--bind",
                             f"127.0.0.1:{port}", "--workers", "1", "--threads", "2"],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        assert wait_until(lambda: _probe(base), timeout=30), "gunicorn did not start"
        yield pg, base
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        with contextlib.suppress(subprocess.CalledProcessError):
            pg.stop()
        shutil.rmtree(private_dir, ignore_errors=True)


def _probe(base: str) -> bool:
    try:
        return _get(f"{base}/health")[0] in (200, 503)
    except OSError:
        return False


def test_postgres_restart_health_503_then_recovers(server: tuple[PrivatePostgres, str]) -> None:
    pg, base = server
    assert _get(f"{base}/health")[0] == 200
    assert _post(f"{base}/initiatives", submission_payload())[0] == 201

    pg.stop()
    down_at = time.monotonic()
    status, content_type, body = _get(f"{base}/health")
    assert status == 503 and content_type == "application/problem+json"
    assert json.loads(body)["database"] == "down"
    answers = [_post(f"{base}/initiatives", submission_payload(title=f"Tijdens storing {n}"))
               for n in range(5)]
    answers.append(_get(f"{base}/tracking/{'x' * 43}"))
    for status, content_type, body in answers:
        assert status == 503, status
        assert content_type == "application/problem+json"
        assert "Traceback" not in body and "psycopg" not in body and "File \"" not in body

    pg.start()
    up_at = time.monotonic()
    assert wait_until(lambda: _get(f"{base}/health")[0] == 200, timeout=30)
    recovered = time.monotonic() - up_at
    assert _post(f"{base}/initiatives", submission_payload(title="Na de storing"))[0] == 201
    RESULTS["postgres_restart"] = {
        "health_while_down": 503, "statuses_while_down": sorted({a[0] for a in answers}),
        "stack_traces_seen": 0, "seconds_down": round(up_at - down_at, 1),
        "seconds_to_recover_after_start": round(recovered, 2),
    }
