import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def run_check(env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items()
             if k not in {"PYTEST_VERSION", "SECRET_KEY", "LOKET_DEMO"}}
    return subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env={**clean, **env},
                          capture_output=True, text=True, timeout=120)


def test_missing_secret_key_outside_demo_stops_startup_with_a_clear_message() -> None:
    result = run_check({})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr
    assert "Traceback" not in result.stderr


def test_demo_mode_starts_without_secret_key() -> None:
    result = run_check({"LOKET_DEMO": "1"})
    assert result.returncode == 0, result.stderr
