"""`manage.py suggest --jsonl FILE`: departments and ranked policy carriers per initiative.

Reads lines {"id", "title", "description", "requested_budget"} and writes one JSON line
per input to stdout: {"id", "departments": [codes], "carriers": [{"code", "score",
"evidence", "message"}, ...]} with carriers best first. It uses the municipality configured
in the database (routing rules, policy carriers, learned weights), stores nothing and
needs no network. A line that is not valid JSON gets {"id": null, "error": ...} so the
output stays aligned with the input.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from loket.coupling import engine


def _budget(value: Any) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


class Command(BaseCommand):
    help = "Suggest departments and policy carriers for initiatives in a JSONL file (- = stdin)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--jsonl", required=True, help="input file, one JSON object a line")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["jsonl"]
        try:
            handle = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc}") from exc
        suggester = engine.suggester()
        out = self.stdout
        with handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    item = json.loads(line)
                    if not isinstance(item, dict):
                        raise ValueError("not an object")
                except ValueError as exc:
                    out.write(json.dumps({"id": None, "line": number,
                                          "error": f"invalid JSON: {exc}"}))
                    continue
                suggestion = suggester.suggest(str(item.get("title") or ""),
                                               str(item.get("description") or ""),
                                               _budget(item.get("requested_budget")))
                result = suggestion.as_dict()
                out.write(json.dumps({"id": item.get("id"),
                                      "departments": result["departments"],
                                      "carriers": result["carriers"]}, ensure_ascii=False))
