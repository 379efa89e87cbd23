"""Residents' pages: the intake form, its confirmation, and the tracking page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from loket.core.actors import Actor
from loket.intake.models import Initiative
from loket.workflow.services import fire_transition
from loket.workflow.states import State

pytestmark = pytest.mark.django_db


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {
        "title": "Moestuin achter de school",
        "description": "Met de buurt een moestuin aanleggen op het veldje achter de school.",
        "area": "centrum",
        "address": "Schoolstraat 1",
        "support": ["space", "money"],
        "requested_budget": "1.500",
        "contact_name": "Anna de Boer",
        "contact_email": "anna@example.org",
        "contact_phone": "06 12345678",
        "partner_name": "", "partner_email": "", "partner_phone": "",
    }
    data.update(overrides)
    return data


def submit(client: Client, **overrides: Any) -> tuple[Any, str]:
    """Submit through the form and return the confirmation page and the tracking path."""
    response = client.post("/initiatief/nieuw", form_data(**overrides))
    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(response["Location"])
    match = re.search(r'id="tracking-link" href="http://testserver(/volgen/[^"]+)"',
                      page.content.decode())
    assert match, page.content.decode()
    return page, match.group(1)


def test_intake_form_labels_every_input(demo: None, client: Client) -> None:
    html = client.get("/initiatief/nieuw").content.decode()
    inputs = re.findall(r'<(?:input|textarea|select)\b[^>]*\bid="([^"]+)"', html)
    assert len(inputs) >= 10
    for input_id in inputs:
        assert f'for="{input_id}"' in html, f"no label for {input_id}"
    assert 'aria-describedby="id_title-hint"' in html
    assert '<option value="centrum">Centrum</option>' in html


def test_submission_stores_through_the_service_and_shows_the_tracking_link(
        demo: None, client: Client, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        page, tracking_path = submit(client, partner_name="Kees Jansen",
                                     partner_email="kees@example.org")
    initiative = Initiative.objects.get()
    assert initiative.requested_budget == 1500
    assert initiative.area.code == "centrum"
    assert sorted(initiative.support) == ["money", "space"]
    people = list(initiative.initiators.order_by("-is_contact"))
    assert [(p.name, p.is_contact) for p in people] == [("Anna de Boer", True),
                                                         ("Kees Jansen", False)]
    html = page.content.decode()
    assert initiative.reference in html
    assert page["Cache-Control"] == "no-store, private"
    assert any(tracking_path in m.body for m in mail.outbox)  # the same link by e-mail


def test_errors_are_shown_beside_the_fields_and_nothing_typed_is_lost(
        demo: None, client: Client) -> None:
    response = client.post("/initiatief/nieuw", form_data(
        title="", description="x" * 10_001, requested_budget="-5", contact_email="geen-mail",
        area="atlantis", partner_name="Kees"))
    assert response.status_code == 400
    html = response.content.decode()
    assert Initiative.objects.count() == 0
    # every invalid field at once, each linked to its message
    for field in ("title", "description", "requested_budget", "contact_email", "area",
                  "partner_email"):
        assert f'aria-describedby="id_{field}-hint id_{field}-error"' in html \
            or f'aria-describedby="id_{field}-error"' in html, field
        assert f'id="id_{field}-error"' in html, field
    assert "Dit veld is verplicht." in html
    assert "Het bedrag mag niet negatief zijn." in html
    assert "Vul een geldig e-mailadres in." in html
    # the summary links to the fields
    assert 'href="#id_title"' in html
    # what was typed is still there
    assert 'value="-5"' in html and 'value="geen-mail"' in html and 'value="Kees"' in html
    assert "x" * 100 in html
    assert 'value="space" checked' in html


def test_repeated_submission_does_not_show_a_link(demo: None, client: Client) -> None:
    submit(client)
    response = client.post("/initiatief/nieuw", form_data())
    page = client.get(response["Location"]).content.decode()
    assert Initiative.objects.count() == 1
    assert "U had dit initiatief al ingediend" in page
    assert "/volgen/" not in page


def test_confirmation_without_submission_redirects_to_the_form(client: Client) -> None:
    response = client.get("/initiatief/ontvangen")
    assert response.status_code == 302 and response["Location"] == "/initiatief/nieuw"


def test_intake_form_is_throttled_like_the_api(demo: None, client: Client,
                                               settings: Any) -> None:
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK,
                               "DEFAULT_THROTTLE_RATES": {"intake": "1/hour", "login": "9/minute"}}
    submit(client)
    response = client.post("/initiatief/nieuw", form_data(title="Nog een idee"))
    assert response.status_code == 429
    assert 'value="Nog een idee"' in response.content.decode()
    assert Initiative.objects.count() == 1


# -- tracking -----------------------------------------------------------------------------

def test_tracking_shows_state_turn_and_timeline(demo: None, client: Client) -> None:
    _, tracking_path = submit(client)
    response = client.get(tracking_path)
    html = response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert 'id="state">ingediend<' in html
    assert "de initiatiefmakelaar" in html  # who is at turn
    assert "Initiatief ingediend" in html  # the timeline
    assert "Anna de Boer" not in html and "anna@example.org" not in html


def test_unknown_token_is_404(client: Client, db: None) -> None:
    assert client.get("/volgen/" + "x" * 43).status_code == 404


def test_initiators_fire_their_own_transition_with_a_button(demo: None,
                                                            client: Client) -> None:
    from django.contrib.auth.models import User

    _, tracking_path = submit(client)
    initiative = Initiative.objects.get()
    broker = Actor.for_user(User.objects.get(username="makelaar"))
    fire_transition(initiative.pk, "take_on", broker)
    fire_transition(initiative.pk, "agree_expectations", broker,
                    expectations_initiators="Wij regelen de planten.",
                    expectations_municipality="De gemeente levert grond.")
    html = client.get(tracking_path).content.decode()
    assert "Wij regelen de planten." in html
    assert f'action="{tracking_path}/stap/submit_plan"' in html
    assert "/stap/take_on" not in html  # never a staff step
    response = client.post(f"{tracking_path}/stap/submit_plan")
    assert response.status_code == 302
    initiative.refresh_from_db()
    assert initiative.state == State.PLAN_SUBMITTED
    # a step that is not theirs is refused, nothing changes
    client.post(f"{tracking_path}/stap/send_to_consultation")
    initiative.refresh_from_db()
    assert initiative.state == State.PLAN_SUBMITTED


def test_a_token_cannot_act_on_another_initiative(demo: None, client: Client) -> None:
    _, first = submit(client)
    submit(client, title="Tweede idee", contact_email="piet@example.org")
    other = Initiative.objects.get(title="Tweede idee")
    response = client.post(f"{first}/stap/withdraw")
    assert response.status_code == 302
    other.refresh_from_db()
    assert other.state == State.SUBMITTED
    assert Initiative.objects.get(title="Moestuin achter de school").state == State.WITHDRAWN


def test_adding_a_note_keeps_the_text_on_an_error(demo: None, client: Client) -> None:
    _, tracking_path = submit(client)
    response = client.post(f"{tracking_path}/aanvulling", {"text": "   "})
    assert response.status_code == 400
    assert 'aria-describedby="note-text-hint note-text-error"' in response.content.decode()
    client.post(f"{tracking_path}/aanvulling", {"text": "Twintig buren tekenden."})
    assert "Twintig buren tekenden." in client.get(tracking_path).content.decode()


def test_markup_typed_by_a_resident_is_shown_as_text(demo: None, client: Client) -> None:
    _, tracking_path = submit(client, title="<script>alert(1)</script> Buurtfeest")
    html = client.get(tracking_path).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Buurtfeest" in html
