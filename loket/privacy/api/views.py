"""The initiators' data download through their tracking link."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from loket.core.api.openapi import VERSION_HEADER, problem_responses
from loket.intake.selectors import initiative_for_token
from loket.privacy.selectors import data_export

from .serializers import DataExportSerializer

TOKEN = OpenApiParameter("token", OpenApiTypes.STR, OpenApiParameter.PATH,
                         description="Het geheime volgtoken uit de persoonlijke link.")


class TrackingDataView(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(operation_id="tracking_data_retrieve", tags=["volgen"],
                   summary="Alle gegevens die over u zijn opgeslagen (AVG)",
                   description="Inzage en dataportabiliteit: het initiatief, de "
                               "initiatiefnemers, aanvullingen, vragen, de openbare "
                               "geschiedenis, de antwoorden van afdelingen en de e-mails die "
                               "naar u zijn verstuurd, als JSON.",
                   parameters=[TOKEN, VERSION_HEADER],
                   responses={200: DataExportSerializer, **problem_responses(404)})
    def get(self, request: Request, token: str) -> Response:
        initiative = initiative_for_token(token)
        response = Response(DataExportSerializer(data_export(initiative)).data)
        response["Content-Disposition"] = (
            f'attachment; filename="loket-{initiative.reference}.json"')
        return response
