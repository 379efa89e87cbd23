"""Security headers (NL API Design Rules list) on the API and on pages, and CSRF on forms."""

from __future__ import annotations

import pytest
from django.test import Client

from loket.intake.tokens import new_tracking_token
from tests.factories import BrokerFactory, InitiativeFactory, InitiatorFactory

pytestmark = pytest.mark.django_db

TOKEN = "B5wrzxGqTTC_gWbrfsdx5kV7cvF0EXAnETPXFONEt_k"  # fixed: xdist needs stable test ids


def assert_baseline(response) -> None:
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/api/v1/health"),
    ("get", "/api/v1/openapi.json"),
    ("get", f"/api/v1/tracking/{TOKEN}/data"),
    ("get", "/api/v1/tracking/onbekend/data"),  # 404 problem
    ("get", "/api/v1/bestaat-niet"),  # 404 handler outside DRF
    ("post", "/api/v1/health"),  # 405
    ("get", "/api/v1/departments"),  # 401/403
])
def test_api_responses_have_the_headers_and_no_store(method: str, path: str) -> None:
    InitiatorFactory(initiative=InitiativeFactory(token=TOKEN))
    response = getattr(Client(), method)(path)
    assert_baseline(response)
    assert response["Cache-Control"] == "no-store"
    assert response["API-Version"]


@pytest.mark.parametrize("path", ["/", "/login", "/initiatief/nieuw", "/bestaat-niet",
                                  "/admin/login/"])
def test_pages_have_the_headers(path: str) -> None:
    assert_baseline(Client().get(path))


def test_tracking_pages_are_never_cached() -> None:
    from loket.intake import selectors

    InitiatorFactory(initiative=InitiativeFactory(token=TOKEN))
    paths = [f"/volgen/{new_tracking_token()}"]  # unknown link: 404 page
    if hasattr(selectors, "tracking_overview"):  # the page itself, once intake's API landed
        paths.append(f"/volgen/{TOKEN}")
    for path in paths:
        response = Client().get(path)
        assert response.status_code in (200, 404)
        assert_baseline(response)
        assert "no-store" in response["Cache-Control"]


def test_session_cookie_is_http_only() -> None:
    from django.conf import settings

    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.SECURE_CONTENT_TYPE_NOSNIFF


# --- CSRF on every web form ----------------------------------------------------------------

def _csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


@pytest.mark.parametrize("path", ["/login", "/initiatief/nieuw", "/logout"])
def test_forms_refuse_a_post_without_csrf_token(path: str) -> None:
    response = _csrf_client().post(path, {"username": "x", "password": "y", "title": "t"})
    assert response.status_code == 403


def test_resident_forms_behind_the_link_refuse_a_post_without_csrf_token() -> None:
    InitiatorFactory(initiative=InitiativeFactory(token=TOKEN))
    client = _csrf_client()
    for path in (f"/volgen/{TOKEN}/aanvulling", f"/volgen/{TOKEN}/stap/withdraw",
                 f"/volgen/{TOKEN}/vragen/1"):
        assert client.post(path, {"text": "x"}).status_code == 403, path


def test_login_form_works_with_its_csrf_token() -> None:
    BrokerFactory(username="mila").set_password("geheim-wachtwoord")
    from django.contrib.auth.models import User

    user = User.objects.get(username="mila")
    user.set_password("geheim-wachtwoord")
    user.save()
    client = _csrf_client()
    page = client.get("/login")
    token = page.cookies["csrftoken"].value
    response = client.post("/login", {"username": "mila", "password": "geheim-wachtwoord",
                                      "csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_api_with_a_session_needs_csrf_for_writes() -> None:
    """A logged-in browser session cannot be ridden by another site to fire transitions."""
    broker = BrokerFactory()
    initiative = InitiativeFactory()
    client = _csrf_client()
    client.force_login(broker)
    response = client.post(f"/api/v1/initiatives/{initiative.pk}/transitions/take_on", {},
                           content_type="application/json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"


def test_database_down_is_a_503_problem_with_retry_after(monkeypatch) -> None:
    from django.db import OperationalError

    from loket.intake import selectors

    def down(token: str) -> None:
        raise OperationalError("connection to server failed: Connection refused")

    monkeypatch.setattr("loket.privacy.api.views.initiative_for_token", down)
    assert selectors  # the view imports the selector by name
    response = Client(raise_request_exception=False).get(f"/api/v1/tracking/{TOKEN}/data")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/problem+json"
    assert response["Retry-After"] == "5"
    assert "Connection refused" not in response.content.decode()
