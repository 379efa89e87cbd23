"""Run the beat schedule in-process: the embedded stand-in for `celery beat` + a worker.

`dev.py start` launches this beside the web server so that routing sweeps and stall
detection work without Redis. With a broker, run `celery beat` and a worker instead.
"""

from __future__ import annotations

import logging
import signal
import time
from datetime import datetime
from typing import Any

from celery.schedules import maybe_schedule
from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from loket.celery import app

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Voert de periodieke taken uit zonder Celery beat (ingebouwde modus)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--once", action="store_true", help="Alle taken één keer uitvoeren.")

    def handle(self, *args: Any, once: bool = False, **options: Any) -> None:
        app.loader.import_default_modules()
        entries = {name: (spec["task"], maybe_schedule(spec["schedule"]))
                   for name, spec in settings.CELERY_BEAT_SCHEDULE.items()}
        last_run: dict[str, datetime] = {}
        stopping = False

        def stop(*_: object) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        while not stopping:
            for name, (task_name, schedule) in entries.items():
                previous = last_run.get(name)
                if previous is not None and not schedule.is_due(previous).is_due:
                    continue
                last_run[name] = timezone.now()
                task = app.tasks.get(task_name)
                if task is None:
                    logger.warning("unknown periodic task", extra={"task": task_name})
                    continue
                try:
                    task.apply()
                except Exception:
                    logger.exception("periodic task failed", extra={"task": task_name})
            if once:
                return
            time.sleep(5)
