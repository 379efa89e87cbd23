"""The layout, log-in, log-out and the language switch."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_home_has_landmarks_skip_link_and_municipality(client: Client, settings: object) -> None:
    settings.LOKET_MUNICIPALITY_NAME = "Gemeente Proefdorp"  # type: ignore[attr-defined]
    html = client.get("/").content.decode()
    assert '<html lang="nl">' in html
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html
    assert 'aria-label="Hoofdmenu"' in html
    assert "Gemeente Proefdorp" in html
    assert html.count("<h1>") == 1
    assert 'href="/initiatief/nieuw"' in html  # residents see the intake in the menu ...
    assert "/makelaar" not in html  # ... and no staff pages


def test_pages_have_strict_csp_and_no_inline_script_or_style(client: Client) -> None:
    response = client.get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)", html), "inline script"
    assert "<style" not in html and " style=" not in html


def test_language_switch_to_english_and_back(client: Client) -> None:
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    client.post("/i18n/setlang/", {"language": "nl", "next": "/"})
    assert "Direct naar de inhoud" in client.get("/").content.decode()


def test_every_form_carries_a_csrf_token(client: Client) -> None:
    html = client.get("/login").content.decode()
    forms = html.count("<form")
    assert forms >= 2
    assert html.count('name="csrfmiddlewaretoken"') == forms


def test_login_page_labels_and_csrf_enforced_login(demo: None) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get("/login")
    html = page.content.decode()
    assert '<label for="id_username">' in html and '<label for="id_password">' in html
    assert client.post("/login", {"username": "makelaar", "password": "makelaar"}
                       ).status_code == 403  # no CSRF token
    token = page.cookies["csrftoken"].value
    response = client.post("/login", {"username": "makelaar", "password": "makelaar",
                                      "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "_auth_user_id" in client.session


def test_wrong_password_shows_error_linked_to_fields(demo: None, client: Client) -> None:
    response = client.post("/login", {"username": "makelaar", "password": "fout"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="login-error"' in html
    assert 'aria-describedby="login-error"' in html
    assert 'value="makelaar"' in html  # what was typed is kept


def test_login_is_throttled_with_the_login_rate(demo: None, client: Client,
                                                settings: object) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,  # type: ignore[attr-defined]
                               "DEFAULT_THROTTLE_RATES": {"login": "3/minute"}}
    for _ in range(3):
        assert client.post("/login", {"username": "x", "password": "y"}).status_code == 200
    response = client.post("/login", {"username": "makelaar", "password": "makelaar"})
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "Te veel inlogpogingen" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_is_a_post_and_ends_the_session(broker_client: Client) -> None:
    assert broker_client.get("/logout").status_code == 405
    response = broker_client.post("/logout")
    assert response.status_code == 302
    assert "_auth_user_id" not in broker_client.session


def test_unknown_page_is_a_friendly_404(client: Client) -> None:
    response = client.get("/bestaat-niet")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()
