"""Health of the parts Loket depends on: the database and (when configured) the broker."""

from __future__ import annotations

from django.conf import settings
from django.db import connection


def check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        connection.close_if_unusable_or_obsolete()
        return "down"
    return "ok"


def check_broker() -> str:
    if not settings.CELERY_BROKER_URL:
        return "embedded"
    from loket.celery import app

    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=1)
    except Exception:
        return "down"
    return "ok"


def worker_last_seen() -> str | None:
    from .models import Heartbeat

    try:
        beat = Heartbeat.objects.filter(name="worker").first()
    except Exception:
        return None
    return beat.at.isoformat() if beat else None


def health() -> tuple[bool, dict[str, str | None]]:
    """(usable, parts). The worker's last heartbeat is informative, never a reason for 503."""
    parts: dict[str, str | None] = {"database": check_database(), "broker": check_broker()}
    ok = all(v != "down" for v in parts.values())
    parts["worker_last_seen"] = worker_last_seen() if parts["database"] == "ok" else None
    return ok, parts
