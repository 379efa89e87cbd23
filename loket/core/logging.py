"""Structured logs: one JSON object per line on stdout, easy to ship and to grep.

Logs never carry secrets or personal data: `RedactingFilter` (on the stdout handler) and
`JsonFormatter` itself mask e-mail addresses, phone numbers, tracking tokens in links,
Authorization headers, session/CSRF cookies, passwords and long opaque tokens, in the message,
its arguments, extra fields and tracebacks. Django logs every 404 with its path, and a
tracking link's path *is* the key to an initiative, so this is not optional.
"""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}

MASK = "[verborgen]"

_RULES: list[tuple[re.Pattern[str], str]] = [
    # Authorization: Token abc / Bearer abc / Basic abc (headers, reprs of header dicts)
    (re.compile(r"(?i)\b(authorization['\"]?\s*[:=]\s*['\"]?)(?:\w+\s+)?[^\s'\",;}]+"),
     rf"\1{MASK}"),
    (re.compile(r"(?i)\b((?:token|bearer|basic)\s+)[A-Za-z0-9._~+/=-]{8,}"), rf"\1{MASK}"),
    # key=value secrets in query strings, cookies, form bodies, reprs
    (re.compile(r"(?i)\b((?:[\w-]*token|sessionid|csrftoken|csrfmiddlewaretoken|password|"
                r"passwd|secret|api[_-]?key)['\"]?\s*[=:]\s*['\"]?)"
                r"[^\s&'\",;}]+"), rf"\1{MASK}"),
    # OpenID Connect callback parameters
    (re.compile(r"([?&](?:code|state)=)[^\s&'\"#]+"), rf"\1{MASK}"),
    # tracking links: API and pages (/api/v1/tracking/<token>..., /volgen/<token>...)
    (re.compile(r"(/(?:tracking|volgen)/)[^/\s?#'\"]+"), rf"\1{MASK}"),
    # e-mail addresses
    (re.compile(r"[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"), MASK),
    # phone numbers: +31 6 1234 5678, 0031 6..., 06-12345678, (010) 123 45 67
    (re.compile(r"(?<![\w+-])(?:\+\d{1,3}[\s-]?|00\d{1,3}[\s-]?|\(?0)\(?\d{1,3}\)?"
                r"(?:[\s-]?\d){6,10}(?![\w-])"), MASK),
    # long opaque tokens (tracking tokens, API tokens, hashes), not UUIDs
    (re.compile(r"(?<![A-Za-z0-9_-])"
                r"(?![0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
                r"(?![A-Za-z0-9_-]))"
                r"(?=[A-Za-z_-]*\d)(?=[0-9_-]*[A-Za-z])[A-Za-z0-9_-]{32,}(?![A-Za-z0-9_-])"),
     MASK),
]


def redact(text: str) -> str:
    """The text with every secret and piece of personal data replaced by a mask."""
    for pattern, replacement in _RULES:
        text = pattern.sub(replacement, text)
    return text


def _redact_value(value: Any) -> Any:
    if isinstance(value, str):
        return redact(value)
    if isinstance(value, bool | int | float) or value is None:
        return value
    return redact(str(value))


class RedactingFilter(logging.Filter):
    """Masks secrets and personal data in a record before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not lose the record
            message = str(record.msg)
        record.msg, record.args = redact(message), None
        for key, value in list(vars(record).items()):
            # Objects (e.g. django.request's `request`) stay for other handlers; the
            # formatter masks their text.
            if key not in _STANDARD and not key.startswith("_") and isinstance(value, str):
                setattr(record, key, redact(value))
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        payload = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for key, value in vars(record).items():
            if key not in _STANDARD and not key.startswith("_"):
                payload[key] = _redact_value(value)
        if record.exc_info:
            payload["exc"] = redact(self.formatException(record.exc_info))
        elif record.exc_text:
            payload["exc"] = redact(record.exc_text)
        return json.dumps(payload, ensure_ascii=False)


class RedactingPlainFormatter(logging.Formatter):
    """The `plain` format, masked the same way (tracebacks included)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))
