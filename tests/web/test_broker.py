"""Brokers: the board, the initiative page, steps, routing corrections and koppelkansen."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from loket.intake.models import Initiative
from loket.workflow.states import State

from .conftest import Story, login, submitted

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(demo: None, django_capture_on_commit_callbacks: Any) -> Story:
    with django_capture_on_commit_callbacks(execute=True):
        return submitted(title="Buurtmoestuin bij de school")


@pytest.mark.parametrize(("username", "status"), [("makelaar", 200), ("manager", 200),
                                                  ("verkeer", 403)])
def test_board_and_initiative_page_permissions(story: Story, client: Client, username: str,
                                               status: int) -> None:
    login(client, username)
    assert client.get("/makelaar").status_code == status
    assert client.get(f"/makelaar/initiatieven/{story.initiative.pk}").status_code == status


def test_board_shows_new_initiatives_to_take_on(story: Story, client: Client) -> None:
    html = login(client, "makelaar").get("/makelaar").content.decode()
    assert "Buurtmoestuin bij de school" in html
    assert "nog geen makelaar" in html


def test_broker_takes_on_and_a_missing_field_is_shown_beside_it(story: Story,
                                                               client: Client) -> None:
    login(client, "makelaar")
    base = f"/makelaar/initiatieven/{story.initiative.pk}"
    assert client.post(f"{base}/stap/take_on").status_code == 302
    story.initiative.refresh_from_db()
    assert story.initiative.state == State.INTAKE
    response = client.post(f"{base}/stap/agree_expectations",
                           {"expectations_initiators": "Zij zaaien.",
                            "expectations_municipality": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="agree_expectations-expectations_municipality-error"' in html
    assert "Zij zaaien." in html  # kept
    assert Initiative.objects.get().state == State.INTAKE


def test_broker_corrects_the_routing_proposal(story: Story, client: Client) -> None:
    from loket.routing.services import routing_of

    from .conftest import staff

    login(client, "makelaar")
    base = f"/makelaar/initiatieven/{story.initiative.pk}"
    client.post(f"{base}/routering", {"add": "veiligheid"})
    client.post(f"{base}/routering", {"remove": "veiligheid"})
    client.post(f"{base}/routering", {"add": "wonen"})
    rows = routing_of(staff("makelaar"), story.initiative.pk).departments.all()
    chosen = {r.department.code for r in rows if r.confirmed}
    assert "wonen" in chosen and "veiligheid" not in chosen
    assert "Wonen" in client.get(base).content.decode()


def test_broker_accepts_a_coupling(story: Story, client: Client) -> None:
    from loket.coupling.models import CouplingSuggestion

    suggestion = CouplingSuggestion.objects.filter(initiative=story.initiative).first()
    if suggestion is None:
        pytest.skip("no suggestion for this text")
    login(client, "makelaar")
    base = f"/makelaar/initiatieven/{story.initiative.pk}"
    client.post(f"{base}/stap/take_on")
    assert suggestion.message in client.get(base).content.decode()
    client.post(f"{base}/koppelkansen/{suggestion.carrier.code}", {"decision": "accept"})
    suggestion.refresh_from_db()
    assert suggestion.status == CouplingSuggestion.Status.ACCEPTED
