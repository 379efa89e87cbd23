"""Health endpoint: 200 when every part is usable, 503 naming the part that is down."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from loket.core.api.problems import PROBLEM_JSON, problem
from loket.core.health import health

HealthSerializer = inline_serializer(
    "Health",
    {"status": serializers.CharField(), "database": serializers.CharField(),
     "broker": serializers.CharField(),
     "worker_last_seen": serializers.DateTimeField(allow_null=True)},
)


class HealthView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(operation_id="health", tags=["beheer"], summary="Gezondheid van de dienst",
                   description="200 als database en broker bruikbaar zijn, anders 503 met het "
                               "onderdeel dat niet werkt.",
                   responses={200: HealthSerializer, (503, PROBLEM_JSON): HealthSerializer})
    def get(self, request: Request) -> Response:
        ok, parts = health()
        if ok:
            return Response({"status": "ok", **parts})
        down = ", ".join(name for name, part in parts.items() if part == "down")
        body = problem(503, _("Niet beschikbaar: %(parts)s.") % {"parts": down}, **parts)
        return Response(body, status=503, content_type=PROBLEM_JSON)
