"""No secrets or personal data in logs."""

from __future__ import annotations

import io
import json
import logging
import logging.config

import pytest
from django.conf import settings

from loket.core.logging import MASK, JsonFormatter, RedactingFilter, redact

TOKEN = "B5wrzxGqTTC_gWbrfsdx5kV7cvF0EXAnETPXFONEt_k"  # fixed: xdist needs stable test ids


@pytest.mark.parametrize(("text", "secret"), [
    ("mail naar anna.de-boer+loket@example.org gestuurd", "anna.de-boer+loket@example.org"),
    ("bel 06-12345678 terug", "06-12345678"),
    ("bel 06 12 34 56 78 terug", "06 12 34 56 78"),
    ("tel +31 6 1234 5678", "+31 6 1234 5678"),
    ("tel 0031612345678", "0031612345678"),
    ("vast (010) 123 45 67", "(010) 123 45 67"),
    (f"Not Found: /api/v1/tracking/{TOKEN}/data", TOKEN),
    (f"GET /volgen/{TOKEN}/aanvulling", TOKEN),
    ("https://loket.example/volgen/abc?x=1", "abc"),
    ("headers {'Authorization': 'Token 9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b'}",
     "9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b"),
    ("HTTP_AUTHORIZATION=Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc",
     "eyJhbGciOiJIUzI1NiJ9"),
    ("Cookie: sessionid=k3jh45kj3h45; csrftoken=abcDEF123", "k3jh45kj3h45"),
    ("Cookie: sessionid=k3jh45kj3h45; csrftoken=abcDEF123", "abcDEF123"),
    ("login password=hunter2&username=x", "hunter2"),
    ("/oidc/callback/?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj", "SplxlOBeZQQYbYS6WxSbIA"),
    (f"bare token {TOKEN} in text", TOKEN),
])
def test_redact_masks_secrets_and_personal_data(text: str, secret: str) -> None:
    masked = redact(text)
    assert secret not in masked
    assert MASK in masked


@pytest.mark.parametrize("text", [
    "initiative 3f2b8c1e-8d4a-4c3e-9b7a-1c2d3e4f5a6b submitted",
    "reference INI-2026-00042 at 2026-03-01T12:00:00.123+00:00",
    "stall scan raised=3 cleared=12 status_code=404",
    "loket.routing.tasks.propose_routing took 0.0123 s",
])
def test_redact_keeps_what_operators_need(text: str) -> None:
    assert redact(text) == text


def _capture(msg: str, args: tuple, extra: dict) -> dict:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("test.redaction")
    logger.handlers, logger.propagate, logger.level = [handler], False, logging.INFO
    try:
        logger.info(msg, *args, extra=extra)
    finally:
        logger.handlers, logger.propagate = [], True
    return json.loads(stream.getvalue())


def test_json_log_line_masks_message_args_and_extra_fields() -> None:
    line = _capture("Not Found: %s for %s", (f"/api/v1/tracking/{TOKEN}/data", "anna@example.org"),
                    {"to": "kees@example.org", "phone": "0612345678", "count": 3})
    text = json.dumps(line)
    for secret in (TOKEN, "anna@example.org", "kees@example.org", "0612345678"):
        assert secret not in text
    assert line["count"] == 3
    assert line["message"].startswith("Not Found: /api/v1/tracking/")


def test_tracebacks_are_masked_too() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("test.redaction.exc")
    logger.handlers, logger.propagate = [handler], False
    try:
        raise ValueError("could not mail anna@example.org")
    except ValueError:
        logger.exception("mail failed")
    logger.handlers, logger.propagate = [], True
    line = json.loads(stream.getvalue())
    assert "anna@example.org" not in line["exc"] and "ValueError" in line["exc"]


def test_configured_handler_redacts_real_django_404_logs(client, capsys) -> None:
    """The settings' LOGGING wires the filter; django.request logs 404 paths with tokens."""
    logging.config.dictConfig(settings.LOGGING)
    try:
        client.get(f"/api/v1/tracking/{TOKEN}/nonexistent-path")
        logging.getLogger("django.request").warning("Not Found: %s",
                                                    f"/volgen/{TOKEN}", extra={"status_code": 404})
    finally:
        logging.config.dictConfig(settings.LOGGING)
    out = capsys.readouterr().out
    assert "Not Found" in out
    assert TOKEN not in out
