"""The demo municipality opens with the managers' overview filled (samples in demo/samples)."""

from __future__ import annotations

import pytest
from django.test import Client

from loket.demo.services import load_demo
from loket.monitoring.models import Flag

pytestmark = pytest.mark.django_db


def test_demo_fills_the_managers_overview() -> None:
    load_demo()
    flags = Flag.objects.filter(cleared_at__isnull=True)
    assert set(flags.values_list("ball_holder", flat=True)) == {
        "broker", "initiators", "department"}
    assert set(flags.values_list("kind", flat=True)) == {"stalled", "blocked", "overdue"}
    causes = " ".join(flags.values_list("cause", flat=True))
    assert "declined:" in causes and "conversation:" in causes and "no_broker" in causes
    client = Client()
    assert client.login(username="manager", password="manager")
    body = client.get("/api/v1/dashboard/stalled").json()
    assert body["count"] == flags.count()
    assert all(row["reason"] and row["ball_holder_label"] for row in body["results"])
    summary = client.get("/api/v1/dashboard/summary").json()
    assert sum(row["count"] for row in summary["stalled_per_ball_holder"]) == flags.count()
