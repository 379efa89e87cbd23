"""The intake API: submission, bad input, throttle, tracking, staff endpoints, log-in."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from loket.core.actors import Actor
from loket.coupling.models import CouplingSuggestion, PolicyCarrier
from loket.intake.models import Initiative, Initiator, Note, Question
from loket.routing.models import Answer, RoutedRequest
from loket.workflow.services import log_transition
from loket.workflow.states import State
from tests.factories import (
    AreaFactory,
    BrokerFactory,
    DepartmentFactory,
    InitiativeFactory,
    InitiatorFactory,
    ManagerFactory,
    OfficialFactory,
    QuestionFactory,
    UserFactory,
    submission_payload,
)

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def post(client: Client, path: str, body: Any, **extra: Any) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json", **extra)


def submit(client: Client, **overrides: Any) -> Any:
    return post(client, "/api/v1/initiatives", submission_payload(**overrides))


def invalid_names(response: Any) -> set[str]:
    return {p["name"] for p in response.json()["invalid_params"]}


# -- submission --------------------------------------------------------------------------------

def test_submit_returns_201_with_reference_token_and_url(
        client: Client, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["reference"].startswith("INI-")
    assert body["state"] == "submitted" and body["state_label"] == "ingediend"
    assert body["tracking_url"].endswith(f"/volgen/{body['tracking_token']}")
    assert response["API-Version"] == "1.0.0"
    assert response["Location"] == f"/api/v1/initiatives/{body['id']}"
    initiative = Initiative.objects.get(pk=body["id"])
    assert initiative.reference == body["reference"]
    assert len(mail.outbox) == 1
    assert body["tracking_url"] in mail.outbox[0].body


def test_submit_needs_no_csrf_even_with_a_staff_session(
        django_capture_on_commit_callbacks) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(BrokerFactory())
    assert submit(client).status_code == 201


def test_everything_wrong_at_once_is_listed_in_dutch(client: Client) -> None:
    response = post(client, "/api/v1/initiatives", {
        "title": "", "description": "x" * 10_001, "requested_budget": 1_000_001,
        "area": "nergens", "initiators": [{"name": "Anna", "email": "anna@"}],
    })
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == 400 and body["title"] == "De aanvraag bevat fouten."
    assert invalid_names(response) == {"title", "description", "requested_budget", "area",
                                       "initiators.0.email"}
    reasons = {p["name"]: p["reason"] for p in body["invalid_params"]}
    assert reasons["title"] == "Dit veld is verplicht."
    assert reasons["initiators.0.email"] == "Vul een geldig e-mailadres in."
    assert Initiative.objects.count() == 0 and Initiator.objects.count() == 0


def test_errors_in_english_with_accept_language(client: Client) -> None:
    response = post(client, "/api/v1/initiatives",
                    submission_payload(title="", requested_budget=-5), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    reasons = {p["name"]: p["reason"] for p in body["invalid_params"]}
    assert body["title"] == "The request contains errors."
    assert reasons["title"] == "This field is required."
    assert reasons["requested_budget"] == "The amount must not be negative."


@pytest.mark.parametrize(("overrides", "field"), [
    ({"title": None}, "title"),
    ({"description": "   "}, "description"),
    ({"description": "x" * 10_001}, "description"),
    ({"requested_budget": -1}, "requested_budget"),
    ({"requested_budget": 1_000_001}, "requested_budget"),
    ({"initiators": [{"name": "A", "email": "geen e-mail"}]}, "initiators.0.email"),
    ({"area": "onbekend"}, "area"),
    ({"initiators": []}, "initiators"),
    ({"initiators": [{"name": "A", "email": "a@example.org", "is_contact": True},
                     {"name": "B", "email": "b@example.org", "is_contact": True}]},
     "initiators"),
])
def test_each_bad_input_is_400_and_nothing_stored(client: Client, overrides: dict,
                                                  field: str) -> None:
    response = submit(client, **overrides)
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert field in invalid_names(response)
    assert Initiative.objects.count() == 0


def test_missing_fields_are_listed(client: Client) -> None:
    response = post(client, "/api/v1/initiatives", {})
    assert response.status_code == 400
    assert invalid_names(response) == {"title", "description", "initiators"}


def test_malformed_json_is_400(client: Client) -> None:
    response = client.post("/api/v1/initiatives", '{"title": "kapot",',
                           content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"] == PROBLEM
    assert response.json()["detail"] == "De inhoud is geen geldige JSON."


def test_json_that_is_not_an_object_is_400(client: Client) -> None:
    response = post(client, "/api/v1/initiatives", ["title"])
    assert response.status_code == 400
    assert invalid_names(response) == {"body"}


def test_wrong_content_type_is_415(client: Client) -> None:
    response = client.post("/api/v1/initiatives", {"title": "form"})  # multipart form
    assert response.status_code == 415
    assert response["Content-Type"] == PROBLEM
    response = client.post("/api/v1/initiatives", "title=x", content_type="text/plain")
    assert response.status_code == 415


def test_body_over_one_megabyte_is_413(client: Client) -> None:
    body = json.dumps(submission_payload(description="x" * (1024 * 1024)))
    response = client.post("/api/v1/initiatives", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == PROBLEM
    assert response["API-Version"] == "1.0.0"
    assert Initiative.objects.count() == 0


def test_chunked_body_over_one_megabyte_is_413_too(client: Client) -> None:
    """Without Content-Length the parser stops reading at the limit."""
    body = json.dumps(submission_payload(description="x" * (1024 * 1024))).encode()
    with mock.patch("loket.core.middleware.ApiMiddleware.too_large", return_value=False):
        response = client.post("/api/v1/initiatives", body, content_type="application/json")
    assert response.status_code == 413
    assert response["Content-Type"] == PROBLEM


def test_markup_is_returned_as_json_text_never_html(client: Client) -> None:
    token = submit(client, title="<script>alert('x')</script>",
                   description="<img src=x onerror=alert(1)>").json()["tracking_token"]
    response = client.get(f"/api/v1/tracking/{token}")
    assert response["Content-Type"] == "application/json"
    assert response.json()["title"] == "<script>alert('x')</script>"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_duplicate_gives_200_without_any_token(
        client: Client, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        first = submit(client).json()
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client)
    assert response.status_code == 200
    body = response.json()
    assert body["duplicate"] is True
    assert body["reference"] == first["reference"]
    assert "tracking_token" not in body and "tracking_url" not in body and "id" not in body
    assert first["tracking_token"] not in response.content.decode()
    assert "gemaild" in body["detail"]
    assert Initiative.objects.count() == 1
    assert len(mail.outbox) == 2 and mail.outbox[1].to == ["anna@example.org"]


# -- throttle ----------------------------------------------------------------------------------

def test_submissions_are_throttled_per_client_with_retry_after(client: Client) -> None:
    with mock.patch("loket.intake.api.throttling.IntakeThrottle.get_rate",
                    return_value="2/hour"):
        assert submit(client, title="een").status_code == 201
        assert submit(client, title="twee").status_code == 201
        response = submit(client, title="drie")
        other = post(client, "/api/v1/initiatives", submission_payload(title="vier"),
                     REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert response["Content-Type"] == PROBLEM
    assert int(response["Retry-After"]) > 0
    assert other.status_code == 201  # another client has its own budget
    assert Initiative.objects.count() == 3


def test_throttle_fails_open_when_the_cache_is_down(client: Client) -> None:
    from django.core.cache.backends.redis import RedisCache

    dead = RedisCache("redis://127.0.0.1:1/0", {"OPTIONS": {"socket_connect_timeout": 0.2}})
    with mock.patch("loket.intake.api.throttling.IntakeThrottle.cache", dead):
        response = submit(client)
    assert response.status_code == 201


def test_login_is_throttled(client: Client) -> None:
    with mock.patch("loket.intake.api.throttling.LoginThrottle.get_rate",
                    return_value="2/minute"):
        codes = [post(client, "/api/v1/auth/token", {"username": "x", "password": "y"})
                 .status_code for _ in range(3)]
    assert codes == [400, 400, 429]


# -- tracking ----------------------------------------------------------------------------------

def tracked(client: Client) -> tuple[Initiative, str]:
    token = submit(client).json()["tracking_token"]
    return Initiative.objects.get(tracking_token_hash__isnull=False,
                                  title=submission_payload()["title"]), token


def test_tracking_shows_the_residents_view(client: Client) -> None:
    initiative, token = tracked(client)
    response = client.get(f"/api/v1/tracking/{token}")
    assert response.status_code == 200
    body = response.json()
    assert body["reference"] == initiative.reference
    assert body["state_label"] == "ingediend"
    assert body["at_turn"] == {"holder": "broker", "label": "de initiatiefmakelaar",
                               "departments": []}
    assert body["broker_first_name"] is None
    assert [e["summary"] for e in body["timeline"]] == ["Initiatief ingediend"]
    assert "initiatiefmakelaar" in body["next_step"]
    assert body["can_edit_plan"] is True
    assert {a["name"] for a in body["actions"]} == {"pause", "withdraw"}
    text = response.content.decode()
    assert "anna@example.org" not in text and "Anna" not in text  # no personal data


def test_tracking_in_consultation_names_departments_answers_and_couplings(client: Client) -> None:
    broker = BrokerFactory(first_name="Fatima", last_name="El Amrani",
                           email="fatima@gemeente.example")
    initiative, token = tracked(client)
    Initiative.objects.filter(pk=initiative.pk).update(
        state=State.CONSULTATION, ball_holder="departments", broker=broker)
    log_transition(initiative, transition="take_on", source="submitted", target="intake",
                   actor=Actor.for_user(broker), public_note="Welkom!",
                   internal_note="GEHEIM intern")
    traffic, green = DepartmentFactory(name="Verkeer"), DepartmentFactory(name="Groen")
    official = OfficialFactory(department=traffic, first_name="Jan", last_name="Ambtenaar")
    RoutedRequest.objects.create(initiative=initiative, department=green, question="?",
                                 due_date=timezone.localdate())
    answered = RoutedRequest.objects.create(
        initiative=initiative, department=traffic, question="?", due_date=timezone.localdate(),
        status=RoutedRequest.Status.ANSWERED)
    old = Answer.objects.create(request=answered, decision="declined", motivation="Oud")
    Answer.objects.create(request=answered, decision="declined", supersedes=old,
                          motivation="Te smal voor een hulpdienst",
                          alternative="Gebruik het pleintje ernaast", answered_by=official)
    carrier = PolicyCarrier.objects.create(code="groen", name="Groene wijken", scope="groen")
    CouplingSuggestion.objects.create(initiative=initiative, carrier=carrier, rank=1, score=1,
                                      status="accepted")
    other = PolicyCarrier.objects.create(code="x", name="Niet gekozen", scope="x")
    CouplingSuggestion.objects.create(initiative=initiative, carrier=other, rank=2, score=0.5)
    QuestionFactory(initiative=initiative, asked_by=broker, text="Hoeveel buren?")

    body = client.get(f"/api/v1/tracking/{token}").json()
    assert body["state_label"] == "in afstemming"
    assert body["at_turn"]["holder"] == "departments"
    assert body["at_turn"]["departments"] == ["Groen"]  # only the open one
    assert "Groen" in body["at_turn"]["label"]
    assert body["broker_first_name"] == "Fatima"
    answers = [e for e in body["timeline"] if e["kind"] == "answer"]
    assert len(answers) == 1  # the superseded answer is not shown
    assert answers[0]["department"] == "Verkeer"
    assert answers[0]["decision_label"] == "niet akkoord"
    assert answers[0]["motivation"] == "Te smal voor een hulpdienst"
    assert answers[0]["alternative"] == "Gebruik het pleintje ernaast"
    assert any(e["text"] == "Welkom!" for e in body["timeline"])
    assert [c["name"] for c in body["couplings"]] == ["Groene wijken"]
    assert body["open_questions"][0]["text"] == "Hoeveel buren?"
    assert body["open_questions"][0]["asked_by"] == "de initiatiefmakelaar"
    assert body["next_step"].startswith("Er staan vragen voor u open")
    text = json.dumps(body)
    for secret in ("GEHEIM", "El Amrani", "fatima@", "Jan", "Ambtenaar", "Niet gekozen"):
        assert secret not in text


def test_unknown_token_is_404_problem(client: Client) -> None:
    tracked(client)
    for token in ["x" * 43, "kort"]:
        response = client.get(f"/api/v1/tracking/{token}")
        assert response.status_code == 404
        assert response["Content-Type"] == PROBLEM


def test_plan_update_through_token(client: Client, django_capture_on_commit_callbacks) -> None:
    initiative, token = tracked(client)
    with mock.patch("loket.coupling.services.suggest_couplings") as coupling, \
            mock.patch("loket.routing.services.propose_routing") as routing, \
            django_capture_on_commit_callbacks(execute=True):
        response = client.patch(f"/api/v1/tracking/{token}",
                                json.dumps({"description": "Nu met kas"}),
                                content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["description"] == "Nu met kas"
    coupling.assert_called_once_with(str(initiative.pk))
    routing.assert_called_once_with(str(initiative.pk))


def test_plan_update_refused_after_plan_submitted(client: Client) -> None:
    initiative, token = tracked(client)
    Initiative.objects.filter(pk=initiative.pk).update(state=State.CONSULTATION)
    response = client.patch(f"/api/v1/tracking/{token}", json.dumps({"title": "Anders"}),
                            content_type="application/json")
    assert response.status_code == 409
    assert response["Content-Type"] == PROBLEM
    response = client.patch(f"/api/v1/tracking/{token}", json.dumps({"title": ""}),
                            content_type="application/json")
    assert response.status_code == 400


def test_notes_and_answers_through_token(client: Client) -> None:
    initiative, token = tracked(client)
    response = post(client, f"/api/v1/tracking/{token}/notes", {"text": "Foto's volgen"})
    assert response.status_code == 201
    question = QuestionFactory(initiative=initiative)
    path = f"/api/v1/tracking/{token}/questions/{question.pk}/answer"
    response = post(client, path, {"text": "Twaalf buren"})
    assert response.status_code == 200
    assert response.json()["answer"] == "Twaalf buren"
    assert post(client, path, {"text": "Nog eens"}).status_code == 409
    assert post(client, f"/api/v1/tracking/{token}/notes", {"text": ""}).status_code == 400
    body = client.get(f"/api/v1/tracking/{token}").json()
    kinds = [e["kind"] for e in body["timeline"]]
    assert {"note", "question", "question_answered"} <= set(kinds)
    assert body["open_questions"] == []


def test_a_token_cannot_read_or_act_on_another_initiative(client: Client) -> None:
    mine_token = submit(client).json()["tracking_token"]
    other = submit(client, title="Ander plan",
                   initiators=[{"name": "Bert", "email": "bert@example.org"}]).json()
    other_initiative = Initiative.objects.get(pk=other["id"])
    foreign_question = QuestionFactory(initiative=other_initiative)
    mine = client.get(f"/api/v1/tracking/{mine_token}").json()
    assert mine["title"] != "Ander plan"
    response = post(client, f"/api/v1/tracking/{mine_token}/questions/{foreign_question.pk}"
                    "/answer", {"text": "gekaapt"})
    assert response.status_code == 404
    assert Question.objects.get(pk=foreign_question.pk).answer == ""
    client.patch(f"/api/v1/tracking/{mine_token}", json.dumps({"title": "Nieuw"}),
                 content_type="application/json")
    other_initiative.refresh_from_db()
    assert other_initiative.title == "Ander plan"
    post(client, f"/api/v1/tracking/{mine_token}/notes", {"text": "x"})
    assert not Note.objects.filter(initiative=other_initiative).exists()


def test_tracking_ignores_staff_sessions(client: Client) -> None:
    """A logged-in broker gains nothing on a resident's endpoint (no CSRF bypass either)."""
    token = submit(client).json()["tracking_token"]
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(ManagerFactory())
    response = post(csrf_client, f"/api/v1/tracking/{token}/notes", {"text": "hoi"})
    assert response.status_code == 201  # acted as the link holder, not as the manager


# -- staff --------------------------------------------------------------------------------------

def test_staff_list_requires_a_staff_role(client: Client) -> None:
    response = client.get("/api/v1/initiatives")
    assert response.status_code == 401
    assert response["Content-Type"] == PROBLEM
    client.force_login(UserFactory())  # account without a role
    assert client.get("/api/v1/initiatives").status_code == 403


def test_staff_list_filters_and_stable_order(client: Client) -> None:
    broker = BrokerFactory(username="fatima")
    centrum = AreaFactory(code="centrum")
    now = timezone.now()
    a = InitiativeFactory(title="Moestuin", area=centrum, created_at=now, broker=broker)
    b = InitiativeFactory(title="Skatebaan", state=State.INTAKE, created_at=now)
    c = InitiativeFactory(title="Bankjes", description="Bij de moestuin",
                          created_at=now - timedelta(days=1))
    department = DepartmentFactory(code="verkeer")
    RoutedRequest.objects.create(initiative=b, department=department, question="?",
                                 due_date=timezone.localdate())
    client.force_login(ManagerFactory())

    def ids(query: str) -> list[str]:
        response = client.get(f"/api/v1/initiatives{query}")
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["results"]]

    expected_first = sorted([str(a.pk), str(b.pk)])
    assert ids("") == [*expected_first, str(c.pk)]
    assert ids("?state=intake") == [str(b.pk)]
    assert ids("?state=submitted,intake") == [*expected_first, str(c.pk)]
    assert ids("?area=centrum") == [str(a.pk)]
    assert ids("?department=verkeer") == [str(b.pk)]
    assert ids("?broker=fatima") == [str(a.pk)]
    assert sorted(ids("?broker=none")) == sorted([str(b.pk), str(c.pk)])
    assert sorted(ids("?q=moestuin")) == sorted([str(a.pk), str(c.pk)])
    assert ids(f"?q={c.reference}") == [str(c.pk)]
    page = client.get("/api/v1/initiatives?page_size=2").json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    bad = client.get("/api/v1/initiatives?state=kwijt&stalled=misschien")
    assert bad.status_code == 400


def test_stalled_filter_uses_the_registered_condition(client: Client) -> None:
    from django.db.models import Q

    from loket.intake import selectors

    client.force_login(ManagerFactory())
    with mock.patch.object(selectors, "_stalled_conditions", []):
        response = client.get("/api/v1/initiatives?stalled=true")
    assert response.status_code == 400  # nothing registered: say so, don't guess
    stuck = InitiativeFactory(title="Vast")
    InitiativeFactory(title="Loopt")
    with mock.patch.object(selectors, "_stalled_conditions", [lambda: Q(title="Vast")]):
        stalled = client.get("/api/v1/initiatives?stalled=true").json()["results"]
        moving = client.get("/api/v1/initiatives?stalled=false").json()["results"]
    assert [i["id"] for i in stalled] == [str(stuck.pk)]
    assert [i["title"] for i in moving] == ["Loopt"]


def test_official_sees_only_initiatives_routed_to_their_department_without_personal_data(
        client: Client) -> None:
    department = DepartmentFactory()
    official = OfficialFactory(department=department)
    routed, unrelated = InitiativeFactory(), InitiativeFactory()
    InitiatorFactory(initiative=routed, name="Anna Geheim", email="anna@example.org")
    RoutedRequest.objects.create(initiative=routed, department=department, question="?",
                                 due_date=timezone.localdate())
    client.force_login(official)
    listed = client.get("/api/v1/initiatives").json()["results"]
    assert [i["id"] for i in listed] == [str(routed.pk)]
    detail = client.get(f"/api/v1/initiatives/{routed.pk}")
    assert detail.status_code == 200
    assert detail.json()["initiators"] is None
    assert "anna@example.org" not in detail.content.decode()
    assert client.get(f"/api/v1/initiatives/{unrelated.pk}").status_code == 404


def test_broker_detail_has_initiators_and_everything(client: Client) -> None:
    initiative = InitiativeFactory()
    InitiatorFactory(initiative=initiative, name="Anna", email="anna@example.org")
    client.force_login(BrokerFactory())
    body = client.get(f"/api/v1/initiatives/{initiative.pk}").json()
    assert body["initiators"][0]["email"] == "anna@example.org"
    assert body["reference"] == initiative.reference
    assert client.get("/api/v1/initiatives/00000000-0000-0000-0000-000000000000"
                      ).status_code == 404


def test_staff_ask_a_question(client: Client) -> None:
    initiative = InitiativeFactory()
    client.force_login(BrokerFactory())
    response = post(client, f"/api/v1/initiatives/{initiative.pk}/questions",
                    {"text": "Wie doen er mee?"})
    assert response.status_code == 201
    assert Question.objects.get(initiative=initiative).text == "Wie doen er mee?"


def test_token_authentication_flow(client: Client) -> None:
    broker = BrokerFactory(username="makelaar1")
    broker.set_password("geheim-wachtwoord")
    broker.save()
    response = post(client, "/api/v1/auth/token",
                    {"username": "makelaar1", "password": "geheim-wachtwoord"})
    assert response.status_code == 200
    key = response.json()["token"]
    assert Token.objects.get(user=broker).key == key
    listed = Client().get("/api/v1/initiatives", HTTP_AUTHORIZATION=f"Token {key}")
    assert listed.status_code == 200
    wrong = post(client, "/api/v1/auth/token", {"username": "makelaar1", "password": "nee"})
    assert wrong.status_code == 400 and wrong["Content-Type"] == PROBLEM
    assert invalid_names(post(client, "/api/v1/auth/token", {})) == {"username", "password"}
    assert Client().get("/api/v1/initiatives",
                        HTTP_AUTHORIZATION="Token ongeldig").status_code == 401


def test_no_token_for_an_account_without_staff_role(client: Client) -> None:
    user = UserFactory(username="burger")
    user.set_password("wachtwoord123")
    user.save()
    response = post(client, "/api/v1/auth/token",
                    {"username": "burger", "password": "wachtwoord123"})
    assert response.status_code == 400
    assert not Token.objects.filter(user=user).exists()


def test_trailing_slash_is_404(client: Client) -> None:
    assert submit(client).status_code == 201
    response = client.post("/api/v1/initiatives/", "{}", content_type="application/json")
    assert response.status_code == 404
