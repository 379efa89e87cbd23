"""Managers: the stalled overview, the summary with charts and tables, and the area map."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from loket.monitoring.models import Flag

from .conftest import Story, login, submitted

pytestmark = pytest.mark.django_db

PAGES = ["/manager/vastgelopen", "/manager/overzicht", "/manager/kaart"]


@pytest.mark.parametrize("path", PAGES)
@pytest.mark.parametrize(("username", "status"), [("makelaar", 403), ("verkeer", 403),
                                                  ("manager", 200)])
def test_manager_pages_are_for_managers(demo: None, client: Client, path: str, username: str,
                                        status: int) -> None:
    assert client.get(path).status_code == 302  # anonymous: to the log-in page
    assert login(client, username).get(path).status_code == status


@pytest.fixture
def stalled_story(demo: None, django_capture_on_commit_callbacks: Any) -> Story:
    with django_capture_on_commit_callbacks(execute=True):
        story = submitted(title="Bloembakken tegen hardrijders")
    now = timezone.now()
    Flag.objects.create(initiative=story.initiative, kind=Flag.Kind.STALLED, cause="test",
                        legacy_reason="Al 12 werkdagen niemand heeft het opgepakt.",
                        ball_holder=Flag.BallHolder.BROKER, since=now, created_at=now)
    return story


def test_stalled_overview_shows_reason_and_ball_holder(stalled_story: Story,
                                                      client: Client) -> None:
    html = login(client, "manager").get("/manager/vastgelopen").content.decode()
    assert "Bloembakken tegen hardrijders" in html
    assert "Al 12 werkdagen niemand heeft het opgepakt." in html
    assert "de initiatiefmakelaar" in html
    filtered = client.get("/manager/vastgelopen?ball_holder=department").content.decode()
    assert "Bloembakken tegen hardrijders" not in filtered


def test_a_flag_reason_follows_the_language_switch(stalled_story: Story,
                                                  client: Client) -> None:
    """The same flag reads in Dutch, and in English after the language switch, on the
    stalled overview, the board and the initiative's page."""
    from django.conf import settings

    initiative = stalled_story.initiative
    now = timezone.now()
    Flag.objects.create(initiative=initiative, kind=Flag.Kind.BLOCKED, cause="no_broker",
                        reason_code="no_broker", reason_params={"days": 5},
                        ball_holder=Flag.BallHolder.BROKER, since=now, created_at=now)
    dutch = "Na 5 werkdagen is er nog geen initiatiefmakelaar aan dit initiatief gekoppeld."
    english = ("After 5 working days, no initiative broker has been assigned to this "
               "initiative yet.")
    pages = ["/manager/vastgelopen", "/makelaar",
             f"/makelaar/initiatieven/{initiative.pk}"]
    login(client, "manager")
    for path in pages:
        html = client.get(path).content.decode()
        assert dutch in html and english not in html, path
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    for path in pages:
        html = client.get(path).content.decode()
        assert english in html and dutch not in html, path
        # the flag stored before reason codes reads as it was stored
        assert "Al 12 werkdagen niemand heeft het opgepakt." in html, path


def test_summary_has_svg_charts_with_data_tables(stalled_story: Story, client: Client) -> None:
    response = login(client, "manager").get("/manager/overzicht")
    html = response.content.decode()
    assert html.count('<svg viewBox=') >= 3
    assert 'role="img" aria-labelledby="chart-states-caption"' in html
    # the chart's numbers are in a table too
    assert re.search(r"<td>ingediend</td><td class=\"num\">1</td>", html)
    assert "<style" not in html and " style=" not in html


def test_map_shows_counts_per_area_and_no_personal_data(stalled_story: Story,
                                                        client: Client) -> None:
    html = login(client, "manager").get("/manager/kaart").content.decode()
    assert "<circle" in html
    assert re.search(r"<td>Centrum</td><td class=\"num\">1</td>", html)
    initiative = stalled_story.initiative
    for private in (initiative.address, "Anna de Boer", "anna@example.org", initiative.title):
        assert private not in html


def test_summary_labels_follow_the_language_switch(stalled_story: Story,
                                                   client: Client) -> None:
    """One stored summary: state and ball-holder labels in Dutch, then in English after the
    language switch, in the tables and in the charts."""
    from loket.monitoring.models import DashboardSnapshot
    from loket.monitoring.selectors import refresh_summary

    refresh_summary()
    login(client, "manager")
    html = client.get("/manager/overzicht").content.decode()
    assert re.search(r"<td>ingediend</td><td class=\"num\">1</td>", html)
    assert "<td>de initiatiefmakelaar</td>" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/manager/overzicht").content.decode()
    assert re.search(r"<td>submitted</td><td class=\"num\">1</td>", html)
    assert "<td>the initiative broker</td>" in html
    assert "de initiatiefmakelaar" not in html and "<td>ingediend</td>" not in html
    assert DashboardSnapshot.objects.count() == 1
