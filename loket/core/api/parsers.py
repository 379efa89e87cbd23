"""A JSON parser that enforces the 1 MB body limit itself.

DRF reads `request.stream` directly, so Django's DATA_UPLOAD_MAX_MEMORY_SIZE never applies
to JSON bodies; ApiMiddleware refuses a too large Content-Length, and this parser refuses
a body without one (chunked) that turns out too large, without reading more than the limit.
"""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.parsers import JSONParser


class RequestTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("De aanvraag mag hoogstens 1 MB groot zijn.")
    default_code = "too_large"


class LimitedJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None,
              parser_context: dict | None = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        body = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(body) > limit:
            raise RequestTooLarge()
        return super().parse(io.BytesIO(body), media_type, parser_context)
