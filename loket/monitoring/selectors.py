"""Read side of monitoring: the stalled list and the managers' summary.

Every figure is aggregated in the database with a fixed number of queries, whatever the
data size. Medians use PostgreSQL's percentile_cont; elsewhere (SQLite) the same median is
computed in one query with window functions (row_number over count), never in a Python loop.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, FloatField, Func, Min, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from loket.coupling.models import CouplingSuggestion
from loket.intake.models import Initiative
from loket.routing.models import RoutedRequest
from loket.workflow.models import TransitionLog
from loket.workflow.states import ACTIVE_STATES, State

from .models import DashboardSnapshot, Flag

DAY = 86400.0
TREND_MONTHS = 12


class Seconds(Func):
    """Seconds from the second datetime to the first, as a float, on every backend."""

    output_field = FloatField()
    arity = 2

    def as_sql(self, compiler: Any, conn: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, conn, template="((%(expressions)s) * 86400.0)",
                              arg_joiner=" - ", **extra)

    def as_postgresql(self, compiler: Any, conn: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, conn, template="EXTRACT(EPOCH FROM (%(expressions)s))",
                              arg_joiner=" - ", **extra)

    def as_sqlite(self, compiler: Any, conn: Any, **extra: Any) -> Any:
        first, second = self.get_source_expressions()
        a, a_params = compiler.compile(first)
        b, b_params = compiler.compile(second)
        return (f"((julianday({a}) - julianday({b})) * 86400.0)", (*a_params, *b_params))


MEDIAN_SQL = (
    "SELECT t.g, percentile_cont(0.5) WITHIN GROUP (ORDER BY t.v) "
    "FROM ({inner}) t WHERE t.v IS NOT NULL GROUP BY t.g"
)
# Without percentile_cont: the middle row(s) of each group by row_number, still one query.
MEDIAN_SQL_PORTABLE = (
    "SELECT s.g, AVG(s.v) FROM (SELECT t.g, t.v, "
    "ROW_NUMBER() OVER (PARTITION BY t.g ORDER BY t.v) AS rn, "
    "COUNT(*) OVER (PARTITION BY t.g) AS cnt FROM ({inner}) t WHERE t.v IS NOT NULL) s "
    "WHERE s.rn IN ((s.cnt + 1) / 2, (s.cnt + 2) / 2) GROUP BY s.g"
)


def grouped_medians(values: QuerySet) -> dict[Any, float]:
    """Median of `v` per `g` for a queryset ending in `.values_list("g", "v")`: one query."""
    # `sql` is compiled by the ORM with its values kept apart in `params`: nothing from
    # the request is spliced into the text.
    sql, params = values.query.sql_with_params()
    template = MEDIAN_SQL if connection.vendor == "postgresql" else MEDIAN_SQL_PORTABLE
    outer = template.replace("{inner}", sql)
    with connection.cursor() as cursor:
        cursor.execute(outer, params)
        return {g: float(v) for g, v in cursor.fetchall()}


def _days(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds / DAY, 1)


# -- the stalled list -------------------------------------------------------------------------

ROW_RELATED = ("initiative", "initiative__area", "initiative__broker", "department")


def open_flags(*, department: str = "", area: str = "", broker: str = "", ball_holder: str = "",
               kind: str = "", min_days: int | None = None, now: datetime | None = None,
               related: bool = True) -> QuerySet[Flag]:
    """Open flags, longest first, with everything a row shows joined in (no N+1).

    Every filter is on the flag table itself (area and broker are copied onto the flag),
    so counting and paging never join all open flags to the initiatives.
    """
    flags = Flag.objects.filter(cleared_at__isnull=True).order_by("since", "id")
    if related:
        flags = flags.select_related(*ROW_RELATED)
    if department:
        flags = flags.filter(department__code=department)
    if area:
        flags = flags.filter(area__code=area)
    if broker:
        flags = flags.filter(broker__username=broker)
    if ball_holder:
        flags = flags.filter(ball_holder=ball_holder)
    if kind:
        flags = flags.filter(kind=kind)
    if min_days:
        flags = flags.filter(since__lte=(now or timezone.now()) - timedelta(days=min_days))
    return flags


def flags_by_ids(ids: list[int]) -> list[Flag]:
    """One page of flags with its rows joined in, in the page's order."""
    rows = Flag.objects.filter(pk__in=ids).select_related(*ROW_RELATED).in_bulk()
    return [rows[pk] for pk in ids if pk in rows]


# -- the summary ------------------------------------------------------------------------------

def _month_start(moment: datetime, months_back: int) -> datetime:
    local = timezone.localtime(moment)
    year, month = local.year, local.month - months_back
    while month <= 0:
        year, month = year - 1, month + 12
    return local.replace(year=year, month=month, day=1, hour=0, minute=0, second=0,
                         microsecond=0)


def compute_summary(now: datetime | None = None) -> dict[str, Any]:
    """All figures of the managers' overview (a fixed number of queries)."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    states = dict(Initiative.objects.order_by().values_list("state").annotate(n=Count("pk")))
    # Codes only: the labels are put in at display time, in the reader's language.
    per_state = [{"state": s.value, "count": states.get(s.value, 0)} for s in State]

    per_area = [
        {"area": row["area__code"] or "", "name": row["area__name"] or "", "count": row["n"],
         "active": row["active"]}
        for row in Initiative.objects.order_by().values("area__code", "area__name").annotate(
            n=Count("pk"), active=Count("pk", filter=Q(state__in=ACTIVE_STATES)))
        .order_by("area__name")
    ]

    requests = (RoutedRequest.objects.order_by()
                .values("department_id", "department__code", "department__name")
                .annotate(open=Count("pk", filter=Q(status=RoutedRequest.Status.OPEN)),
                          overdue=Count("pk", filter=Q(status=RoutedRequest.Status.OPEN,
                                                       due_date__lt=today)),
                          answered=Count("pk", filter=Q(answered_at__isnull=False)))
                .order_by("department__name"))
    answer_medians = grouped_medians(
        RoutedRequest.objects.order_by().filter(answered_at__isnull=False)
        .annotate(g=F("department_id"), v=Seconds(F("answered_at"), F("created_at")))
        .values_list("g", "v"))
    per_department = [
        {"department": r["department__code"], "name": r["department__name"], "open": r["open"],
         "overdue": r["overdue"], "answered": r["answered"],
         "median_answer_days": _days(answer_medians.get(r["department_id"]))}
        for r in requests
    ]

    lead = grouped_medians(
        TransitionLog.objects.order_by()
        .filter(target__in=[State.READY, State.REALIZED])
        .values("target", "initiative_id", "initiative__created_at")
        .annotate(g=F("target"), v=Seconds(Min("at"), F("initiative__created_at")))
        .values_list("g", "v"))
    lead_time = {"submitted_to_ready_days": _days(lead.get(State.READY)),
                 "submitted_to_realized_days": _days(lead.get(State.REALIZED))}

    stalled = [
        {"ball_holder": r["ball_holder"], "department": r["department__code"] or "",
         "name": r["department__name"] or "", "count": r["n"]}
        for r in Flag.objects.filter(cleared_at__isnull=True).order_by()
        .values("ball_holder", "department__code", "department__name")
        .annotate(n=Count("pk")).order_by("-n", "ball_holder", "department__code")
    ]

    start = _month_start(now, TREND_MONTHS - 1)
    tz = timezone.get_current_timezone()

    def monthly(queryset: QuerySet, field: str) -> dict[str, int]:
        rows = (queryset.order_by().filter(**{f"{field}__gte": start})
                .annotate(month=TruncMonth(field, tzinfo=tz)).values("month")
                .annotate(n=Count("pk")).values_list("month", "n"))
        return {_month_key(m): n for m, n in rows}

    def monthly_lead(target: str) -> dict[str, float | None]:
        """Median days from submission to `target`, per month in which it was reached."""
        medians = grouped_medians(
            TransitionLog.objects.order_by().filter(target=target, at__gte=start)
            .annotate(g=TruncMonth("at", tzinfo=tz),
                      v=Seconds(F("at"), F("initiative__created_at")))
            .values_list("g", "v"))
        return {_month_key(m): _days(v) for m, v in medians.items()}

    submitted = monthly(Initiative.objects, "created_at")
    realized = monthly(TransitionLog.objects.filter(target=State.REALIZED), "at")
    flagged = monthly(Flag.objects, "created_at")
    ready_lead, realized_lead = monthly_lead(State.READY), monthly_lead(State.REALIZED)
    trend = []
    for back in range(TREND_MONTHS - 1, -1, -1):
        key = _month_key(_month_start(now, back))
        trend.append({"month": key, "submitted": submitted.get(key, 0),
                      "realized": realized.get(key, 0), "flagged": flagged.get(key, 0),
                      "lead_to_ready_days": ready_lead.get(key),
                      "lead_to_realized_days": realized_lead.get(key)})

    couplings = [
        {"carrier": r["carrier__code"], "name": r["carrier__name"], "accepted": r["n"]}
        for r in CouplingSuggestion.objects.filter(status=CouplingSuggestion.Status.ACCEPTED)
        .order_by().values("carrier__code", "carrier__name").annotate(n=Count("pk"))
        .order_by("-n", "carrier__name")
    ]
    return {
        "generated_at": now.isoformat(),
        "initiatives_per_state": per_state,
        "initiatives_per_area": per_area,
        "requests_per_department": per_department,
        "lead_time": lead_time,
        "stalled_per_ball_holder": stalled,
        "monthly_trend": trend,
        "accepted_couplings_per_carrier": couplings,
    }


def _month_key(value: Any) -> str:
    if isinstance(value, str):  # SQLite returns truncated dates from raw SQL as text
        return value[:7]
    if isinstance(value, datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.year:04d}-{value.month:02d}"


def summary(now: datetime | None = None) -> dict[str, Any]:
    """The overview as of the last refresh (the beat task keeps it fresh); computed and
    stored when missing or older than LOKET_DASHBOARD_MAX_AGE_SECONDS. The labels are in
    the active language: one stored snapshot serves readers of every language."""
    now = now or timezone.now()
    snapshot = DashboardSnapshot.objects.filter(key=DashboardSnapshot.SUMMARY).first()
    max_age = timedelta(seconds=settings.LOKET_DASHBOARD_MAX_AGE_SECONDS)
    if snapshot is not None and now - snapshot.computed_at <= max_age:
        return with_labels(snapshot.data)
    return with_labels(refresh_summary(now))


def with_labels(data: dict[str, Any]) -> dict[str, Any]:
    """A copy of a stored summary with the state and ball-holder labels in the active
    language, made from the stored codes. Snapshots stored before the codes-only format
    hold finished Dutch labels; those are kept only where a code is no longer known."""
    states = dict(State.choices)
    holders = dict(Flag.BallHolder.choices)
    per_state = [
        {"state": r.get("state", ""),
         "label": str(states.get(r.get("state"), r.get("label") or r.get("state", ""))),
         "count": r["count"]}
        for r in data.get("initiatives_per_state", [])
    ]
    stalled = []
    for r in data.get("stalled_per_ball_holder", []):
        name = r.get("name") or ""
        if not r.get("department"):  # no department: the row is named after the ball holder
            name = str(holders.get(r.get("ball_holder"), name))
        stalled.append({**r, "name": name})
    return {**data, "initiatives_per_state": per_state, "stalled_per_ball_holder": stalled}


def refresh_summary(now: datetime | None = None) -> dict[str, Any]:
    """Compute the summary and store it as the snapshot, codes without labels."""
    now = now or timezone.now()
    data = compute_summary(now)
    try:
        with transaction.atomic():
            DashboardSnapshot.objects.update_or_create(
                key=DashboardSnapshot.SUMMARY, defaults={"data": data, "computed_at": now})
    except IntegrityError:  # a concurrent refresh stored its snapshot first: equally fresh
        pass
    return data
