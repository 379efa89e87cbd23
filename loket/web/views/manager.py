"""Managers: the stalled overview, the summary with charts, and the map of initiatives."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from loket.intake.models import Area
from loket.monitoring.models import Flag
from loket.routing.models import Department

from ..access import manager_required
from ..charts import area_map, bar_chart


@manager_required
def stalled(request: HttpRequest) -> HttpResponse:
    from loket.monitoring.selectors import open_flags

    filters = {
        "department": request.GET.get("department", ""),
        "ball_holder": request.GET.get("ball_holder", ""),
        "kind": request.GET.get("kind", ""),
    }
    flags = list(open_flags(**filters))
    return render(request, "web/stalled.html", {
        "flags": flags, "filters": filters,
        "departments": Department.objects.filter(active=True).order_by("name"),
        "ball_holders": Flag.BallHolder.choices, "kinds": Flag.Kind.choices,
    })


@manager_required
def summary(request: HttpRequest) -> HttpResponse:
    from loket.monitoring.selectors import summary as dashboard_summary

    data = dashboard_summary()
    per_state = data["initiatives_per_state"]
    stalled_rows = data["stalled_per_ball_holder"]
    per_department = data["requests_per_department"]
    trend = data["monthly_trend"]
    charts: dict[str, Any] = {
        "states": bar_chart(per_state, label="label", value="count"),
        "stalled": bar_chart(stalled_rows, label="name", value="count"),
        "departments": bar_chart(per_department, label="name", value="open",
                                 series=[("open", "bar", _("open")),
                                         ("overdue", "bar bar-alt", _("te laat"))]),
        "trend": bar_chart(trend, label="month", value="submitted",
                           series=[("submitted", "bar", _("ingediend")),
                                   ("realized", "bar bar-alt", _("gerealiseerd"))]),
        "lead": bar_chart(trend, label="month", value="lead_to_ready_days",
                          series=[("lead_to_ready_days", "bar", _("dagen tot klaar")),
                                  ("lead_to_realized_days", "bar bar-alt",
                                   _("dagen tot gerealiseerd"))]),
    }
    return render(request, "web/summary.html", {
        "d": data, "charts": charts, "generated_at": parse_datetime(str(data["generated_at"]))})


@manager_required
def initiative_map(request: HttpRequest) -> HttpResponse:
    from loket.monitoring.selectors import summary as dashboard_summary

    counts = {row["area"]: row for row in dashboard_summary()["initiatives_per_area"]}
    areas = [{"name": a.name, "lat": a.lat, "lon": a.lon,
              "count": (counts.get(a.code) or {}).get("count", 0),
              "active": (counts.get(a.code) or {}).get("active", 0)}
             for a in Area.objects.order_by("name")]
    unknown = (counts.get("") or {}).get("count", 0)
    return render(request, "web/map.html", {"map": area_map(areas), "areas": areas,
                                            "unknown": unknown})
