"""The OpenAPI 3.0 document at /api/v1/openapi.json: public, with CORS for any origin."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response


class OpenApiView(SpectacularJSONAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(operation_id="openapi", tags=["beheer"],
                   summary="Het OpenAPI-document van deze API",
                   responses={(200, "application/vnd.oai.openapi+json"): OpenApiTypes.OBJECT})
    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        response = super().get(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response
