#!/usr/bin/env python3
"""Loket's two-command entry point for a fresh machine with only Python 3.11+.

    python3 dev.py start   # the whole service with the demo municipality at http://127.0.0.1:8000
    python3 dev.py test    # the whole test suite

Both create `.venv` and install the pinned dependencies from pyproject.toml first (again only
when pyproject.toml changed). Standard library only: this runs before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = Path(os.environ.get("LOKET_VENV", ROOT / ".venv"))
PY = VENV / "bin" / "python"


def ensure_venv() -> None:
    """Create the virtualenv and install dependencies when pyproject.toml changed."""
    if sys.version_info < (3, 11):
        sys.exit("Loket needs Python 3.11 or newer.")
    if not PY.exists():
        print(f"[loket] creating virtualenv in {VENV}", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    pyproject = (ROOT / "pyproject.toml").read_bytes()
    stamp = VENV / ".loket-deps"
    digest = hashlib.sha256(pyproject).hexdigest()
    if stamp.exists() and stamp.read_text() == digest:
        return
    project = tomllib.loads(pyproject.decode())["project"]
    reqs = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    print("[loket] installing dependencies", flush=True)
    subprocess.run([PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True)
    subprocess.run([PY, "-m", "pip", "install", "--quiet", *reqs], check=True)
    stamp.write_text(digest)


def manage(*args: str, env: dict[str, str]) -> None:
    subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True)


def start() -> int:
    """Migrate, load the demo municipality, serve it, and run periodic tasks in-process."""
    env = {**os.environ, "LOKET_DEMO": os.environ.get("LOKET_DEMO", "1")}
    port = env.get("PORT", "8000")
    manage("migrate", "--no-input", env=env)
    manage("collectstatic", "--no-input", "--verbosity", "0", env=env)
    if env["LOKET_DEMO"] == "1":
        manage("load_demo", env=env)
    periodic = subprocess.Popen([PY, "manage.py", "run_periodic"], cwd=ROOT, env=env)
    web = subprocess.Popen(
        [PY, "-m", "gunicorn", "loket.wsgi", "--bind", f"127.0.0.1:{port}",
         "--workers", env.get("WEB_CONCURRENCY", "2"), "--threads", "4"],
        # No gunicorn access log: its request lines would carry residents' tracking links,
        # and it bypasses Loket's masking log filter.
        cwd=ROOT, env=env,
    )
    print(f"[loket] serving http://127.0.0.1:{port}/  (stop with Ctrl+C)", flush=True)
    try:
        return web.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        for proc in (web, periodic):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                proc.wait(timeout=10)


def test(extra: list[str]) -> int:
    return subprocess.run([PY, "-m", "pytest", *extra], cwd=ROOT).returncode


def main() -> int:
    if len(sys.argv) < 2 or sys.argv[1] not in {"start", "test", "install"}:
        print(__doc__)
        return 2
    ensure_venv()
    command = sys.argv[1]
    if command == "start":
        return start()
    if command == "test":
        return test(sys.argv[2:])
    return 0


if __name__ == "__main__":
    sys.exit(main())
