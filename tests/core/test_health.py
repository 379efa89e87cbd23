from unittest import mock

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_health_reports_each_part(client: Client) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["broker"] in {"embedded", "ok"}
    assert response["API-Version"] == "1.0.0"
    assert response["Cache-Control"] == "no-store"


def test_health_names_the_part_that_is_down(client: Client) -> None:
    with mock.patch("loket.core.health.check_broker", return_value="down"):
        response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["broker"] == "down"
    assert "broker" in body["detail"]


def test_health_when_database_is_down_is_503_not_a_traceback(client: Client) -> None:
    with mock.patch("loket.core.health.check_database", return_value="down"):
        response = client.get("/api/v1/health")
    assert response.status_code == 503
    assert response.json()["database"] == "down"


def test_trailing_slash_is_404_problem_not_redirect(client: Client) -> None:
    response = client.get("/api/v1/health/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


def test_security_headers_everywhere(client: Client) -> None:
    response = client.get("/api/v1/health")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_openapi_document_is_public_with_cors(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    doc = response.json()
    assert doc["openapi"].startswith("3.0")
    assert {"name", "email", "url"} <= set(doc["info"]["contact"])
    assert "/api/v1/health" in doc["paths"] or "/health" in doc["paths"]
