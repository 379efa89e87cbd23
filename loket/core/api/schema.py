"""The OpenAPI 3.0 document at /api/v1/openapi.json: public, with CORS for any origin."""

from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response


class OpenApiView(SpectacularJSONAPIView):
    permission_classes = [AllowAny]
    authentication_classes: list = []

    def get(self, request: Request, *args: object, **kwargs: object) -> Response:
        response = super().get(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        return response
