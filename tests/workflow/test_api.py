"""The workflow over HTTP: staff endpoints, the initiators' tracking endpoints, problem+json."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from loket.intake.tokens import new_tracking_token
from loket.workflow.states import State
from tests.factories import InitiativeFactory, InitiatorFactory, UserFactory

from .conftest import Cast, initiative_in

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


def staff(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def post(client: Client, url: str, body: dict | None = None, **headers: str) -> object:
    return client.post(url, body or {}, content_type="application/json", headers=headers)


def test_broker_takes_on_and_agrees_expectations_over_http(
        cast: Cast, django_capture_on_commit_callbacks: object) -> None:
    initiative = initiative_in(State.SUBMITTED)
    broker = staff(cast.broker)
    url = f"/api/v1/initiatives/{initiative.pk}/transitions"
    listing = broker.get(url)
    assert listing.status_code == 200
    body = listing.json()
    assert body["state"] == "submitted" and body["ball_holder"] == "broker"
    assert [t["name"] for t in body["transitions"]] == ["take_on"]
    assert listing["API-Version"]

    response = post(broker, f"{url}/take_on", {"public_note": "Ik bel u deze week."})
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "intake"
    names = {t["name"]: t for t in response.json()["transitions"]}
    assert names["agree_expectations"]["required_fields"] == [
        "expectations_initiators", "expectations_municipality"]
    assert names["agree_expectations"]["target_label"] == "uitwerking"

    missing = post(broker, f"{url}/agree_expectations", {"expectations_initiators": " "})
    assert missing.status_code == 400 and missing["Content-Type"] == PROBLEM
    assert {p["name"] for p in missing.json()["invalid_params"]} == {
        "expectations_initiators", "expectations_municipality"}

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        done = post(broker, f"{url}/agree_expectations", {
            "expectations_initiators": "Wij zoeken tien buren die meedoen.",
            "expectations_municipality": "De gemeente levert de grond.",
            "internal_note": "Enthousiaste groep."})
    assert done.status_code == 200
    assert done.json()["ball_holder"] == "initiators"
    assert done.json()["transitions"] == [t for t in done.json()["transitions"]
                                          if t["name"] == "mark_not_feasible"]
    assert "De gemeente levert de grond." in mail.outbox[-1].body


def route_to_official(initiative: Any, official: Any) -> None:
    from datetime import date

    from loket.routing.models import RoutedRequest

    RoutedRequest.objects.create(initiative=initiative, department=official.departments.first(),
                                 question="Kan dit?", due_date=date(2030, 1, 1))


def test_history_for_staff_with_internal_notes(cast: Cast) -> None:
    initiative = initiative_in(State.INTAKE, broker=cast.broker)
    route_to_official(initiative, cast.official)  # officials see only what was routed to them
    url = f"/api/v1/initiatives/{initiative.pk}"
    post(staff(cast.manager), f"{url}/transitions/mark_not_feasible",
         {"motivation": "Geen plek.", "alternative": "Het buurthuis.",
          "internal_note": "Besproken in het MT.", "public_note": "Sorry."})
    for user in (cast.broker, cast.official, cast.manager):
        [entry] = staff(user).get(f"{url}/history").json()
        assert entry["internal_note"] == "Besproken in het MT."
        assert entry["details"] == {"motivation": "Geen plek.", "alternative": "Het buurthuis."}
        assert (entry["source"], entry["target"]) == ("intake", "not_feasible")
        assert entry["label"] == "Niet haalbaar" and "manager" in entry["actor"]
    nobody = staff(UserFactory())  # logged in, but in no group or department
    assert nobody.get(f"{url}/history").status_code == 403
    assert Client().get(f"{url}/history").status_code in {401, 403}
    assert staff(cast.broker).get(f"/api/v1/initiatives/{uuid.uuid4()}/history"
                                  ).status_code == 404


def test_refusals_are_problem_json_with_the_right_status(cast: Cast) -> None:
    initiative = initiative_in(State.ELABORATION, broker=cast.broker)
    route_to_official(initiative, cast.official)
    url = f"/api/v1/initiatives/{initiative.pk}/transitions"
    conflict = post(staff(cast.broker), f"{url}/send_to_consultation")
    assert conflict.status_code == 409 and conflict["Content-Type"] == PROBLEM
    assert conflict.json()["current_state"] == "elaboration"
    assert conflict.json()["allowed_transitions"] == ["mark_not_feasible"]
    forbidden = post(staff(cast.broker), f"{url}/withdraw")  # the initiators' decision
    assert forbidden.status_code == 403 and forbidden["Content-Type"] == PROBLEM
    assert post(staff(cast.other_broker), f"{url}/mark_not_feasible",
                {"motivation": "x", "alternative": "y"}).status_code == 403
    assert post(staff(cast.official), f"{url}/withdraw").status_code == 403
    assert post(staff(cast.broker), f"{url}/explode").status_code == 404
    english = post(staff(cast.broker), f"{url}/mark_not_feasible", {},
                   **{"Accept-Language": "en"})
    assert english.status_code == 400
    assert {p["name"] for p in english.json()["invalid_params"]} == {"motivation",
                                                                     "alternative"}
    unknown = post(staff(cast.broker), f"{url}/mark_not_feasible",
                   {"motivation": "x", "alternative": "y", "motivatoin": "typo"})
    assert unknown.status_code == 400
    assert [p["name"] for p in unknown.json()["invalid_params"]] == ["motivatoin"]
    initiative.refresh_from_db()
    assert initiative.state == "elaboration" and not initiative.history.exists()


def test_initiators_fire_their_own_steps_through_the_tracking_link(
        cast: Cast, django_capture_on_commit_callbacks: object) -> None:
    token = new_tracking_token()
    initiative = initiative_in(State.ELABORATION, broker=cast.broker, token=token)
    client = Client()
    url = f"/api/v1/tracking/{token}/transitions"
    listing = client.get(url)
    assert listing.status_code == 200
    assert [t["name"] for t in listing.json()["transitions"]] == [
        "pause", "submit_plan", "withdraw"]
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = post(client, f"{url}/submit_plan", {"public_note": "Tekening bijgevoegd."})
    assert response.status_code == 200
    assert response.json()["state"] == "plan_submitted"
    assert response.json()["ball_holder"] == "broker"
    assert response.json()["transitions"] == [
        {**response.json()["transitions"][0], "name": "pause"},
        {**response.json()["transitions"][1], "name": "withdraw"}]
    assert mail.outbox[-1].to == [cast.broker.email]  # the broker hears the initiators acted
    assert "Tekening bijgevoegd." in mail.outbox[-1].body
    log = initiative.history.get()
    assert (log.actor_role, log.actor_user) == ("initiators", None)

    assert post(client, f"{url}/send_to_consultation").status_code == 403  # the broker's
    assert post(client, f"{url}/submit_plan").status_code == 409
    internal = post(client, f"{url}/withdraw", {"internal_note": "x"})
    assert internal.status_code == 400  # residents cannot write internal notes


def test_a_token_only_reaches_its_own_initiative(cast: Cast) -> None:
    token = new_tracking_token()
    mine = initiative_in(State.ELABORATION, broker=cast.broker, token=token)
    other = InitiativeFactory(state=State.ELABORATION, broker=cast.broker)
    InitiatorFactory(initiative=other)
    client = Client()
    assert post(client, f"/api/v1/tracking/{token}/transitions/withdraw").status_code == 200
    mine.refresh_from_db()
    other.refresh_from_db()
    assert (mine.state, other.state) == ("withdrawn", "elaboration")
    for bad in (new_tracking_token(), "kort", "x" * 300):
        response = post(client, f"/api/v1/tracking/{bad}/transitions/withdraw")
        assert response.status_code == 404 and response["Content-Type"] == PROBLEM
        assert client.get(f"/api/v1/tracking/{bad}/transitions").status_code == 404


def test_tracking_endpoints_ignore_staff_sessions(cast: Cast) -> None:
    """A logged-in broker using a resident's link still acts as the initiators (the link is
    the key), and a broker cannot use staff powers through it."""
    token = new_tracking_token()
    initiative = initiative_in(State.PLAN_SUBMITTED, broker=cast.broker, token=token)
    broker = staff(cast.broker)
    response = post(broker, f"/api/v1/tracking/{token}/transitions/send_to_consultation")
    assert response.status_code == 403
    initiative.refresh_from_db()
    assert initiative.state == "plan_submitted"


def test_openapi_documents_the_workflow_with_problem_json(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    paths = {path.removeprefix("/api/v1"): item for path, item in document["paths"].items()}
    fire = paths["/initiatives/{initiative_id}/transitions/{name}"]["post"]
    assert fire["operationId"] == "initiative_transition_fire"
    for code in ("400", "403", "404", "409"):
        assert PROBLEM in fire["responses"][code]["content"], code
    assert "API-Version" in fire["responses"]["200"]["headers"]
    assert "/tracking/{token}/transitions/{name}" in paths
    assert "/initiatives/{initiative_id}/history" in paths
    assert document["components"]["schemas"]["InitiativeStateEnum"]["enum"][0] == "submitted"
