"""The initiators' data download through their tracking link."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from loket.core.models import OutboxMail
from loket.intake.models import Note, TrackingLink
from loket.intake.tokens import hash_tracking_token, new_tracking_token
from loket.privacy import services
from loket.routing.models import Answer, RoutedRequest
from loket.workflow.models import TransitionLog
from loket.workflow.states import State
from tests.factories import (
    BrokerFactory,
    DepartmentFactory,
    InitiativeFactory,
    InitiatorFactory,
    QuestionFactory,
)

pytestmark = pytest.mark.django_db
TOKEN = "B5wrzxGqTTC_gWbrfsdx5kV7cvF0EXAnETPXFONEt_k"  # fixed: xdist needs stable test ids


@pytest.fixture
def initiative():
    broker = BrokerFactory(first_name="Mila", last_name="Makelaar")
    initiative = InitiativeFactory(token=TOKEN, broker=broker, state=State.CONSULTATION)
    InitiatorFactory(initiative=initiative, name="Anna de Boer", email="anna@example.org",
                     phone="06 12345678", is_contact=True)
    InitiatorFactory(initiative=initiative, name="Kees Jansen", email="kees@example.org",
                     is_contact=False)
    Note.objects.create(initiative=initiative, text="We hebben 12 handtekeningen.",
                        created_at=timezone.now())
    QuestionFactory(initiative=initiative, asked_by=broker, text="Wie onderhoudt de bakken?",
                    answer="De buurtvereniging.", answered_at=timezone.now())
    TransitionLog.objects.create(initiative=initiative, transition="take_on",
                                 source=State.SUBMITTED, target=State.INTAKE,
                                 actor_role="broker", actor_user=broker, at=timezone.now(),
                                 public_note="Welkom!", internal_note="GEHEIM-INTERN")
    request = RoutedRequest.objects.create(initiative=initiative,
                                           department=DepartmentFactory(name="Verkeer"),
                                           question="Kan dit?", due_date=date(2026, 6, 1))
    Answer.objects.create(request=request, decision="declined", motivation="Te smal.",
                          alternative="Het pleintje.")
    OutboxMail.objects.create(key="mail-1", initiative=initiative, to=["anna@example.org"],
                              to_initiators=True, subject="Uw volglink", sent_at=timezone.now())
    OutboxMail.objects.create(key="mail-2", initiative=initiative, to=["verkeer@gemeente.nl"],
                              subject="Nieuwe vraag", sent_at=timezone.now())  # not to them
    return initiative


def download(token: str):
    return APIClient().get(f"/api/v1/tracking/{token}/data")


def test_download_contains_everything_stored_about_them(initiative) -> None:
    response = download(TOKEN)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response["Cache-Control"] == "no-store"
    assert initiative.reference in response["Content-Disposition"]
    data = response.json()
    assert data["initiative"]["reference"] == initiative.reference
    assert data["initiative"]["state"] == State.CONSULTATION
    assert data["initiative"]["broker"] == "Mila"
    assert [(i["name"], i["email"], i["phone"]) for i in data["initiators"]] == [
        ("Anna de Boer", "anna@example.org", "06 12345678"),
        ("Kees Jansen", "kees@example.org", ""),
    ]
    assert [n["text"] for n in data["notes"]] == ["We hebben 12 handtekeningen."]
    assert data["questions"][0]["answer"] == "De buurtvereniging."
    assert data["history"][0]["public_note"] == "Welkom!"
    assert data["requests"][0]["department"] == "Verkeer"
    assert data["requests"][0]["answers"][0]["alternative"] == "Het pleintje."
    assert data["emails"] == [{"to": ["anna@example.org"], "subject": "Uw volglink",
                               "sent_at": data["emails"][0]["sent_at"]}]


def test_download_does_not_leak_staff_internals(initiative) -> None:
    body = download(TOKEN).content.decode()
    assert "GEHEIM-INTERN" not in body
    assert "Makelaar" not in body  # the broker's surname
    assert "@gemeente.example" not in body  # staff e-mail addresses


def test_extra_tracking_link_works_too(initiative) -> None:
    second = new_tracking_token()
    TrackingLink.objects.create(initiative=initiative, token_hash=hash_tracking_token(second))
    data = download(second).json()
    assert data["initiative"]["id"] == str(initiative.pk)
    assert len(data["tracking_links"]) == 1


UNKNOWN = "qf_WAUnO2SVrNv1AP_ONCMI3ZIn2tD26EKOdBFwnZSI"  # well-formed, never issued


@pytest.mark.parametrize("token", ["x" * 43, "kort", UNKNOWN, "%00" * 10])
def test_unknown_or_malformed_token_is_404_problem(initiative, token: str) -> None:
    response = download(token)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert "anna" not in response.content.decode()


def test_after_anonymisation_the_download_shows_it(initiative) -> None:
    type(initiative).objects.filter(pk=initiative.pk).update(
        state=State.WITHDRAWN, state_entered_at=timezone.now() - timedelta(days=400))
    services.anonymise_closed_initiatives()
    body = download(TOKEN).content.decode()
    assert "anna@example.org" not in body and "Anna de Boer" not in body
    assert download(TOKEN).json()["initiators"][0]["name"] == "geanonimiseerd"


def test_download_query_count_does_not_grow(initiative, django_assert_max_num_queries) -> None:
    for n in range(10):
        Note.objects.create(initiative=initiative, text=f"n{n}", created_at=timezone.now())
        QuestionFactory(initiative=initiative, asked_by=None)
    with django_assert_max_num_queries(14):
        assert download(TOKEN).status_code == 200


def test_download_is_in_the_openapi_document() -> None:
    schema = APIClient().get("/api/v1/openapi.json").json()
    assert schema["servers"][0]["url"].endswith("/api/v1")
    operation = schema["paths"]["/tracking/{token}/data"]["get"]
    assert operation["operationId"] == "tracking_data_retrieve"
    assert "404" in operation["responses"]
