"""Locust users for bench/load_intake.py (started by it; not meant to be run by hand).

Every simulated client posts back to back (closed loop, no think time), each body unique
(see bench/intake_bodies.py) so the duplicate guard never answers instead of the real
submission. LOKET_BENCH_PATH chooses the target: /api/v1/initiatives or /bench/bare.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from locust import FastHttpUser, constant, task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from intake_bodies import COUNTER, body

PATH = os.environ.get("LOKET_BENCH_PATH", "/api/v1/initiatives")


class Resident(FastHttpUser):
    wait_time = constant(0)

    @task
    def submit(self) -> None:
        with self.client.post(PATH, json=body(next(COUNTER)), name=PATH,
                              catch_response=True) as response:
            if response.status_code != 201:
                response.failure(f"status {response.status_code}: {response.text[:200]}")
