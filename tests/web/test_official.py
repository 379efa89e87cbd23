"""Officials: the department inbox and the answer form (rules enforced by routing)."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.test import Client

from loket.routing.models import Answer, RoutedRequest
from loket.workflow.states import State

from .conftest import Story, login

pytestmark = pytest.mark.django_db


def test_inbox_is_for_officials_only(consultation: Story, client: Client) -> None:
    assert client.get("/afdeling")["Location"].startswith("/login?next=/afdeling")
    login(client, "makelaar")
    assert client.get("/afdeling").status_code == 403


def test_official_sees_only_their_departments_requests(consultation: Story,
                                                      client: Client) -> None:
    html = login(client, "verkeer").get("/afdeling").content.decode()
    assert consultation.initiative.title in html
    other = login(Client(), "wonen").get("/afdeling").content.decode()
    assert consultation.initiative.title not in other
    request = RoutedRequest.objects.get()
    assert login(Client(), "wonen").get(f"/afdeling/vragen/{request.pk}").status_code == 404


def test_inbox_lists_overdue_first_then_by_due_date(consultation: Story, client: Client,
                                                   django_capture_on_commit_callbacks) -> None:
    from .conftest import submitted, to_consultation

    with django_capture_on_commit_callbacks(execute=True):
        later = submitted(title="Later ingediend idee voor de buurt")
    with (time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=3), tick=False),
          django_capture_on_commit_callbacks(execute=True)):
        to_consultation(later)
    first = RoutedRequest.objects.get(initiative=consultation.initiative)
    second = RoutedRequest.objects.get(initiative=later.initiative)
    assert first.due_date < second.due_date
    # make the later one overdue: it must come first
    RoutedRequest.objects.filter(pk=second.pk).update(due_date=dt.date(2020, 1, 1))
    html = login(client, "verkeer").get("/afdeling").content.decode()
    links = re.findall(r'href="/afdeling/vragen/(\d+)"', html)
    assert links == [str(second.pk), str(first.pk)]
    assert "te laat" in html


def test_decline_needs_motivation_and_alternative(consultation: Story, client: Client) -> None:
    request = RoutedRequest.objects.get()
    login(client, "verkeer")
    page = client.get(f"/afdeling/vragen/{request.pk}").content.decode()
    assert '<legend>Uw besluit</legend>' in page
    response = client.post(f"/afdeling/vragen/{request.pk}",
                           {"decision": "declined", "motivation": "", "alternative": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_motivation-error"' in html and 'id="id_alternative-error"' in html
    assert 'aria-describedby="id_motivation-hint id_motivation-error"' in html
    assert 'value="declined" checked' in html  # the choice is kept
    assert not Answer.objects.exists()


def test_official_declines_with_motivation_and_alternative(consultation: Story,
                                                          client: Client,
                                                          django_capture_on_commit_callbacks
                                                          ) -> None:
    request = RoutedRequest.objects.get()
    login(client, "verkeer")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/afdeling/vragen/{request.pk}", {
            "decision": "declined",
            "motivation": "Een zebrapad kan hier niet: te weinig overstekers.",
            "alternative": "Wij plaatsen een verkeersdrempel en bloembakken.",
        })
    assert response.status_code == 302 and response["Location"] == "/afdeling"
    answer = Answer.objects.get()
    assert answer.decision == "declined" and answer.answered_by.username == "verkeer"
    consultation.initiative.refresh_from_db()
    assert consultation.initiative.state == State.ELABORATION  # back to the initiators
    page = client.get(f"/afdeling/vragen/{request.pk}").content.decode()
    assert "Wij plaatsen een verkeersdrempel" in page
    assert "Antwoord versturen" not in page  # final: no second answer form
