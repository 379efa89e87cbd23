"""The OpenAPI document: valid OpenAPI 3.0, every intake endpoint documented with
problem+json errors, and (when the Spectral CLI is installed) lint-clean for the NL GOV
API Design Rules. CI always runs the lint itself (scripts/lint_openapi.sh)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
SPECTRAL = ROOT / "tools" / "spectral" / "node_modules" / ".bin" / "spectral"
RULESET = Path(os.environ.get("SPECTRAL_RULESET", ROOT.parent / "shared" / "adr" / "spectral.yml"))

INTAKE_OPERATIONS = {
    ("/initiatives", "post"), ("/initiatives", "get"), ("/initiatives/{initiative_id}", "get"),
    ("/initiatives/{initiative_id}/questions", "post"), ("/tracking/{token}", "get"),
    ("/tracking/{token}", "patch"), ("/tracking/{token}/notes", "post"),
    ("/tracking/{token}/questions/{question_id}/answer", "post"), ("/auth/token", "post"),
}


@pytest.fixture
def document(client: Client) -> dict:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    return json.loads(response.content)


def test_document_is_valid_openapi_3(document: dict) -> None:
    assert document["openapi"].startswith("3.0")
    validate_schema(document)
    assert {"name", "email", "url"} <= set(document["info"]["contact"])
    assert document["servers"][0]["url"].endswith("/api/v1")


def test_every_intake_operation_is_documented_with_problem_errors(document: dict) -> None:
    operations = {(path, method) for path, item in document["paths"].items()
                  for method in item if method in {"get", "post", "patch", "put", "delete"}}
    assert operations >= INTAKE_OPERATIONS
    ids = [document["paths"][p][m]["operationId"] for p, m in INTAKE_OPERATIONS]
    assert len(set(ids)) == len(ids)
    for path, method in INTAKE_OPERATIONS:
        operation = document["paths"][path][method]
        assert operation["summary"] and operation["description"] and operation["tags"]
        for code, response in operation["responses"].items():
            if code.startswith(("4", "5")):
                assert list(response["content"]) == ["application/problem+json"], (path, code)
            else:
                assert "API-Version" in response["headers"], (path, code)
    post = document["paths"]["/initiatives"]["post"]["responses"]
    assert {"201", "200", "400", "413", "415", "429"} <= set(post)
    assert not any(path.endswith("/") for path in document["paths"])


@pytest.mark.skipif(not SPECTRAL.exists() or not RULESET.exists(),
                    reason="Spectral CLI or ruleset missing: run scripts/lint_openapi.sh")
def test_spectral_nl_gov_ruleset_reports_no_errors(document: dict, tmp_path: Path) -> None:
    spec = tmp_path / "openapi.json"
    spec.write_text(json.dumps(document))
    node = shutil.which("node")
    assert node
    result = subprocess.run([str(SPECTRAL), "lint", "-r", str(RULESET), "--format", "json",
                             "--fail-severity", "error", str(spec)],
                            capture_output=True, text=True, timeout=120, check=False)
    findings = json.loads(result.stdout or "[]")
    errors = [f for f in findings if f["severity"] == 0]
    assert errors == [], errors
    assert result.returncode == 0, result.stderr
