"""Shared OpenAPI pieces: the problem+json schema and the API-Version response header.

Use `problem_responses(400, 403, ...)` in `extend_schema(responses=...)` so every error is
documented as RFC 9457 application/problem+json, and `VERSION_HEADER` in `parameters=` so
each response documents the API-Version header the NL GOV API Design Rules require.
The post-processing hook `add_nl_api_headers` adds that header to every 2xx/3xx response
that does not document it yet, and the CORS header to the OpenAPI document's own response.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers
from rest_framework.permissions import AllowAny

from .problems import PROBLEM_JSON


class InvalidParamSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="Het veld (geneste velden met punten).")
    reason = serializers.CharField(help_text="Wat er mis is, in de taal van de vrager.")
    code = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """RFC 9457 problem details; extra members depend on the error (e.g. current_state)."""

    type = serializers.CharField(default="about:blank")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField(required=False)
    instance = serializers.CharField(required=False)
    invalid_params = InvalidParamSerializer(many=True, required=False)

    class Meta:
        ref_name = "Problem"


DESCRIPTIONS = {
    400: "De invoer is niet geldig; `invalid_params` noemt elk ongeldig veld.",
    401: "Niet ingelogd.",
    403: "Geen toestemming voor deze actie.",
    404: "Niet gevonden.",
    406: "Dit antwoordformaat wordt niet ondersteund (Accept).",
    409: "Conflict met de huidige toestand.",
    413: "De aanvraag is groter dan 1 MB.",
    415: "Alleen application/json wordt geaccepteerd.",
    429: "Te veel aanvragen; zie de header Retry-After.",
    503: "Tijdelijk niet beschikbaar.",
}

VERSION_HEADER = OpenApiParameter(
    "API-Version", OpenApiTypes.STR, location=OpenApiParameter.HEADER, response=True,
    description="De volledige versie van de API (bijvoorbeeld 1.0.0).")


def problem_responses(*codes: int, **descriptions: str) -> dict[Any, OpenApiResponse]:
    """`{(code, application/problem+json): ...}` for each code, for `extend_schema`."""
    return {
        (code, PROBLEM_JSON): OpenApiResponse(
            ProblemSerializer, description=descriptions.get(f"d{code}", DESCRIPTIONS.get(
                code, "Fout.")))
        for code in codes
    }


_VERSION_HEADER_OBJECT = {
    "description": "De volledige versie van de API (NL API Design Rules).",
    "schema": {"type": "string", "example": "1.0.0"},
}


def add_nl_api_headers(result: dict, generator: Any, request: Any, public: bool) -> dict:
    """drf-spectacular POSTPROCESSING_HOOK, true to what the API does at runtime:

    - API-Version on every success response (ApiMiddleware sends it on all of them);
    - error responses as application/problem+json (the exception handler turns every API
      error into problem+json, whatever a view's annotation said);
    - CORS on the OpenAPI document's own response;
    - every tag an operation uses is declared globally (described in TAGS when known).
    """
    used_tags: list[str] = []
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            used_tags.extend(t for t in operation.get("tags", []) if t not in used_tags)
            for code, response in operation["responses"].items():
                if str(code)[:1] in {"2", "3"}:
                    headers = response.setdefault("headers", {})
                    headers.setdefault("API-Version", _VERSION_HEADER_OBJECT)
                    if path == "/openapi.json" and method == "get":
                        headers.setdefault("access-control-allow-origin", {
                            "description": "Het document is voor iedereen leesbaar: *.",
                            "schema": {"type": "string", "example": "*"}})
                elif str(code)[:1] in {"4", "5"}:
                    content = response.get("content", {})
                    if "application/json" in content and PROBLEM_JSON not in content:
                        content[PROBLEM_JSON] = content.pop("application/json")
    declared = result.setdefault("tags", [])
    names = {tag["name"] for tag in declared}
    declared.extend({"name": tag} for tag in used_tags if tag not in names)
    return result


class LoketAutoSchema(AutoSchema):
    """Documents the errors every operation can answer with, so the document is complete.

    Views document their domain errors (`problem_responses`); the generic ones that DRF and
    our middleware produce for *any* operation are added here, as problem+json: 400 for
    operations with input, 401/403 behind authentication, 404 (unknown object, page or
    format), 406 (unsupported Accept), 413/415 for request bodies, 429 when throttled.
    Found by fuzzing the API against its own document (tests/fuzz).
    """

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        codes = {404, 406}
        has_body = self.method in {"POST", "PUT", "PATCH"}
        has_input = has_body or bool(self._get_parameters()) or bool(
            getattr(self.view, "filterset_class", None))
        if has_input or "{" in self.path:
            codes.add(400)
        if has_body:
            codes |= {413, 415}
        if self.view.get_authenticators() or not all(
                isinstance(p, AllowAny) for p in self.view.get_permissions()):
            codes |= {401, 403}
        if self.view.get_throttles():
            codes.add(429)
        for code in sorted(codes):
            key = str(code)
            content = self._get_response_for_code(
                ProblemSerializer, key, media_types=[PROBLEM_JSON], direction=direction)
            content["description"] = DESCRIPTIONS.get(code, "Fout.")
            if key not in responses:
                responses[key] = content
            else:
                responses[key].setdefault("content", {}).setdefault(
                    PROBLEM_JSON, content["content"][PROBLEM_JSON])
        return responses
