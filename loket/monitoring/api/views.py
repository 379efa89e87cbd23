"""Managers' dashboard: stalled and blocked initiatives, and the summary. JSON or CSV.

Who may read: managers and brokers (the whole municipality). Officials get 403: their own
department's open and overdue requests are in the department inbox (routing), and the
dashboard names other departments and brokers, which is a management view.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from loket.core.actors import Actor, Role
from loket.core.api.openapi import VERSION_HEADER, problem_responses
from loket.core.api.pagination import Pagination
from loket.monitoring import selectors

from .csv import CSVRenderer, CsvTable
from .serializers import (
    StalledFlagSerializer,
    StalledQuerySerializer,
    stalled_rows,
    summary_rows,
)

ERRORS = problem_responses(400, 401, 403)
FORMAT = OpenApiParameter("format", str, enum=["json", "csv"], required=False,
                          description="`csv` voor een CSV-bestand (ook via Accept: text/csv).")


class IsManagerOrBroker(BasePermission):
    message = "Alleen managers en initiatiefmakelaars zien het dashboard."

    def has_permission(self, request: Request, view: Any) -> bool:
        return Actor.for_user(request.user).role in {Role.MANAGER, Role.BROKER}


class DashboardView(APIView):
    permission_classes = [IsAuthenticated, IsManagerOrBroker]
    renderer_classes = [JSONRenderer, CSVRenderer]

    def csv(self, name: str, header: list[str], rows: list[list[Any]]) -> Response:
        stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
        return Response(CsvTable(header, rows), headers={
            "Content-Disposition": f'attachment; filename="{name}-{stamp}.csv"'})


class StalledView(DashboardView):
    pagination_class = Pagination  # also tells the OpenAPI document the list is paginated

    @extend_schema(
        operation_id="dashboard_stalled", tags=["dashboard"],
        summary="Stilgevallen en geblokkeerde initiatieven",
        description="Open signaleringen, langst stilgevallen eerst, met reden en wie aan zet "
                    "is. Voor managers en initiatiefmakelaars.",
        parameters=[StalledQuerySerializer, FORMAT, VERSION_HEADER],
        responses={200: StalledFlagSerializer(many=True), **ERRORS},
    )
    def get(self, request: Request) -> Response:
        query = StalledQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        now = timezone.now()
        context = {"now": now, "request": request}
        if request.accepted_renderer.format == "csv":
            flags = selectors.open_flags(now=now, related=False, **query.validated_data)
            return self.csv("vastgelopen-initiatieven", *stalled_rows(flags, now))
        # Page over the flag table alone (ids), then join in only that page's rows.
        ids = selectors.open_flags(now=now, related=False, **query.validated_data)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(ids.values_list("pk", flat=True), request, view=self)
        data = StalledFlagSerializer(selectors.flags_by_ids(list(page)), many=True,
                                     context=context).data
        return paginator.get_paginated_response(data)


def _summary_schema() -> Any:
    from drf_spectacular.utils import inline_serializer

    def items(name: str, fields: dict[str, Any]) -> Any:
        return inline_serializer(name, fields, many=True)

    return inline_serializer("DashboardSummary", {
        "generated_at": serializers.DateTimeField(),
        "initiatives_per_state": items("SummaryState", {
            "state": serializers.CharField(), "label": serializers.CharField(),
            "count": serializers.IntegerField()}),
        "initiatives_per_area": items("SummaryArea", {
            "area": serializers.CharField(), "name": serializers.CharField(),
            "count": serializers.IntegerField(), "active": serializers.IntegerField()}),
        "requests_per_department": items("SummaryDepartment", {
            "department": serializers.CharField(), "name": serializers.CharField(),
            "open": serializers.IntegerField(), "overdue": serializers.IntegerField(),
            "answered": serializers.IntegerField(),
            "median_answer_days": serializers.FloatField(allow_null=True)}),
        "lead_time": inline_serializer("SummaryLeadTime", {
            "submitted_to_ready_days": serializers.FloatField(allow_null=True),
            "submitted_to_realized_days": serializers.FloatField(allow_null=True)}),
        "stalled_per_ball_holder": items("SummaryBallHolder", {
            "ball_holder": serializers.CharField(), "department": serializers.CharField(),
            "name": serializers.CharField(), "count": serializers.IntegerField()}),
        "monthly_trend": items("SummaryMonth", {
            "month": serializers.CharField(), "submitted": serializers.IntegerField(),
            "realized": serializers.IntegerField(), "flagged": serializers.IntegerField()}),
        "accepted_couplings_per_carrier": items("SummaryCarrier", {
            "carrier": serializers.CharField(), "name": serializers.CharField(),
            "accepted": serializers.IntegerField()}),
    })


class SummaryView(DashboardView):
    @extend_schema(
        operation_id="dashboard_summary", tags=["dashboard"],
        summary="Overzicht voor managers",
        description="Initiatieven per status en gebied, uitgezette vragen per afdeling met "
                    "mediane antwoordtijd, doorlooptijden, signaleringen per wie aan zet is, "
                    "maandelijks verloop en gekoppelde beleidsopgaven. Ververst na elke "
                    "signaleringsronde (elk kwartier).",
        parameters=[FORMAT, VERSION_HEADER],
        responses={200: _summary_schema(), **problem_responses(401, 403)},
    )
    def get(self, request: Request) -> Response:
        data = selectors.summary()
        if request.accepted_renderer.format == "csv":
            return self.csv("overzicht-initiatieven", *summary_rows(data))
        return Response(data)
