"""Staff log-in is throttled on both doors: the API token endpoint and the web log-in."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.test import Client
from rest_framework.settings import api_settings

from tests.factories import BrokerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _rate(monkeypatch: pytest.MonkeyPatch) -> None:
    cache.clear()
    monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, "login", "5/minute")


def _broker() -> str:
    user = BrokerFactory(username="mila")
    user.set_password("juist-wachtwoord")
    user.save()
    return user.username


def test_api_token_endpoint_is_throttled_even_for_the_right_password() -> None:
    username, client = _broker(), Client()
    statuses = [client.post("/api/v1/auth/token", {"username": username, "password": "fout"},
                            content_type="application/json").status_code for _ in range(5)]
    assert statuses == [400] * 5
    blocked = client.post("/api/v1/auth/token",
                          {"username": username, "password": "juist-wachtwoord"},
                          content_type="application/json")
    assert blocked.status_code == 429
    assert blocked["Content-Type"] == "application/problem+json"
    assert int(blocked["Retry-After"]) > 0


def test_api_token_endpoint_gives_a_token_before_the_limit() -> None:
    username = _broker()
    response = Client().post("/api/v1/auth/token",
                             {"username": username, "password": "juist-wachtwoord"},
                             content_type="application/json")
    assert response.status_code == 200 and response.json()["token"]


def test_web_login_is_throttled() -> None:
    username, client = _broker(), Client()
    for _ in range(5):
        assert client.post("/login", {"username": username, "password": "fout"}
                           ).status_code == 200  # the form again, with an error
    blocked = client.post("/login", {"username": username, "password": "juist-wachtwoord"})
    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert "_auth_user_id" not in client.session


def test_throttle_counts_per_client_address() -> None:
    username = _broker()
    for _ in range(5):
        Client(REMOTE_ADDR="10.0.0.1").post("/login", {"username": username, "password": "x"})
    assert Client(REMOTE_ADDR="10.0.0.1").post(
        "/login", {"username": username, "password": "x"}).status_code == 429
    assert Client(REMOTE_ADDR="10.0.0.2").post(
        "/login", {"username": username, "password": "juist-wachtwoord"}).status_code == 302
