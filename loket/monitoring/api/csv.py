"""CSV for the dashboard (`?format=csv` or `Accept: text/csv`): headers and texts in the
request's language (Dutch unless asked otherwise), `;`-separated as Dutch spreadsheet
software expects, UTF-8 with a BOM so Excel reads the accents."""

from __future__ import annotations

import csv
import io
from typing import Any

from rest_framework.renderers import BaseRenderer, JSONRenderer


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data: Any, accepted_media_type: str | None = None,
               renderer_context: dict | None = None) -> bytes:
        if not isinstance(data, CsvTable):
            # Errors stay problem+json even when CSV was asked for.
            return JSONRenderer().render(data, accepted_media_type, renderer_context)
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow(data.header)
        writer.writerows(data.rows)
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")


class CsvTable:
    def __init__(self, header: list[str], rows: list[list[Any]]) -> None:
        self.header = header
        self.rows = rows
