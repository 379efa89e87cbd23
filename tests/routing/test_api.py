"""Routing over HTTP: configuration, dry-run, the broker's routing, the department inbox."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.test import Client
from django.utils import timezone

from loket.routing import services
from loket.routing.models import Answer, RoutedRequest, RoutingRule
from loket.workflow.states import State
from tests.factories import UserFactory

from .conftest import Town, initiative_in

PROBLEM = "application/problem+json"


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def send(client: Client, method: str, url: str, body: Any = None, **headers: str) -> Any:
    return getattr(client, method)(url, body if body is not None else {},
                                   content_type="application/json", headers=headers)


def routed(town: Town, **kwargs: Any) -> Any:
    values = {"title": "Bloembakken tegen hardrijders",
              "description": "Auto's rijden te hard; bloembakken op de rijbaan.",
              "requested_budget": 350} | kwargs
    initiative = initiative_in(State.CONSULTATION, broker=town.broker, **values)
    services.route_to_departments(str(initiative.pk))
    return initiative


# -- configuration ---------------------------------------------------------------------

def test_departments_readable_by_staff_writable_by_managers(town: Town) -> None:
    listing = login(town.official).get("/api/v1/departments")
    assert listing.status_code == 200
    codes = [d["code"] for d in listing.json()["results"]]
    assert "verkeer" in codes
    body = {"code": "wonen", "name": "Wonen", "answer_term_days": 15,
            "officials": [town.official.username]}
    denied = send(login(town.broker), "post", "/api/v1/departments", body)
    assert denied.status_code == 403 and denied["Content-Type"] == PROBLEM
    created = send(login(town.manager), "post", "/api/v1/departments", body)
    assert created.status_code == 201, created.json()
    assert created.json()["officials"] == [town.official.username]
    patched = send(login(town.manager), "patch", "/api/v1/departments/wonen",
                   {"answer_term_days": 500})
    assert patched.status_code == 400 and patched["Content-Type"] == PROBLEM
    assert Client().get("/api/v1/departments").status_code in {401, 403}
    outsider = UserFactory()
    assert login(outsider).get("/api/v1/departments").status_code == 403


def test_rules_api_manager_writes_with_all_errors_at_once(town: Town) -> None:
    manager = login(town.manager)
    listing = manager.get("/api/v1/routing-rules").json()["results"]
    assert [r["order"] for r in listing] == sorted(r["order"] for r in listing)
    bad = send(manager, "post", "/api/v1/routing-rules",
               {"name": "", "department": "nope", "terms": {"boom": 0},
                "support_kinds": ["vliegen"]})
    assert bad.status_code == 400 and bad["Content-Type"] == PROBLEM
    names = {p["name"] for p in bad.json()["invalid_params"]}
    assert names == {"name", "department", "terms", "support_kinds"}
    good = send(manager, "post", "/api/v1/routing-rules",
                {"name": "Speelplekken", "department": "openbare-ruimte", "order": 5,
                 "terms": {"schommel": 2}, "areas": []})
    assert good.status_code == 201, good.json()
    rule_id = good.json()["id"]
    assert send(login(town.broker), "patch", f"/api/v1/routing-rules/{rule_id}",
                {"active": False}).status_code == 403
    patched = send(manager, "patch", f"/api/v1/routing-rules/{rule_id}", {"active": False})
    assert patched.status_code == 200 and patched.json()["active"] is False
    assert manager.delete(f"/api/v1/routing-rules/{rule_id}").status_code == 204
    assert not RoutingRule.objects.filter(pk=rule_id).exists()


def test_dry_run_shows_which_rules_fire_and_why(town: Town) -> None:
    response = send(login(town.official), "post", "/api/v1/routing/dry-run",
                    {"title": "Zebrapad", "description": "Er wordt te hard gereden bij "
                     "de school; wij willen een zebrapad.", "requested_budget": 100,
                     "support": ["permission"]})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["departments"] == ["subsidies", "vergunningen", "verkeer"]
    verkeer = next(r for r in body["rules"] if r["department"] == "verkeer")
    assert verkeer["fired"]
    assert {"term": "zebrapad", "found": "Zebrapad"}.items() <= verkeer["evidence"][0].items()
    assert any(c["kind"] == "text" and c["holds"] for c in verkeer["conditions"])
    groen = next(r for r in body["rules"] if r["department"] == "openbare-ruimte")
    assert groen["fired"] is False
    invalid = send(login(town.official), "post", "/api/v1/routing/dry-run",
                   {"support": ["vliegen"], "area": "nergens"})
    assert invalid.status_code == 400
    assert {p["name"] for p in invalid.json()["invalid_params"]} == {
        "support", "area", "description"}


# -- the broker's routing ----------------------------------------------------------------

def test_broker_sees_and_corrects_the_routing_before_consultation(town: Town) -> None:
    initiative = initiative_in(State.INTAKE, broker=town.broker, title="Zebrapad",
                               description="Een zebrapad bij de school.", requested_budget=0)
    broker = login(town.broker)
    url = f"/api/v1/initiatives/{initiative.pk}/routing"
    shown = broker.get(url)
    assert shown.status_code == 200
    assert shown.json()["editable"] is True
    assert [d["code"] for d in shown.json()["departments"]] == ["verkeer"]
    put = send(broker, "put", url, {"departments": ["verkeer", "openbare-ruimte"]})
    assert put.status_code == 200
    decisions = {d["code"]: d["decision"] for d in put.json()["departments"]}
    assert decisions == {"verkeer": "kept", "openbare-ruimte": "added"}
    patch = send(broker, "patch", url, {"remove": ["openbare-ruimte"]})
    assert {d["code"]: d["confirmed"] for d in patch.json()["departments"]} == {
        "verkeer": True, "openbare-ruimte": False}
    assert login(town.official).get(url).status_code == 403
    type(initiative).objects.filter(pk=initiative.pk).update(state=State.CONSULTATION)
    late = send(broker, "patch", url, {"add": ["subsidies"]})
    assert late.status_code == 409 and late["Content-Type"] == PROBLEM


# -- the inbox -----------------------------------------------------------------------------

def test_inbox_officials_see_only_their_department_overdue_first(town: Town) -> None:
    first = routed(town)
    second = routed(town, title="Zebrapad", description="Een zebrapad.", requested_budget=0)
    today = timezone.localdate()
    RoutedRequest.objects.filter(initiative=second, department=town.verkeer).update(
        due_date=today - timedelta(days=3))
    RoutedRequest.objects.filter(initiative=first, department=town.verkeer).update(
        due_date=today + timedelta(days=3))
    official = login(town.official)
    rows = official.get("/api/v1/requests").json()["results"]
    assert [(r["initiative"]["id"], r["overdue"]) for r in rows] == [
        (str(second.pk), True), (str(first.pk), False)]
    assert {r["department"]["code"] for r in rows} == {"verkeer"}
    overdue = official.get("/api/v1/requests?status=overdue").json()["results"]
    assert [r["initiative"]["id"] for r in overdue] == [str(second.pk)]
    everything = login(town.broker).get("/api/v1/requests").json()["results"]
    assert len(everything) == 4
    only_groen = login(town.manager).get("/api/v1/requests?department=openbare-ruimte")
    assert {r["department"]["code"] for r in only_groen.json()["results"]} == {
        "openbare-ruimte"}
    other = RoutedRequest.objects.get(initiative=first, department=town.groen)
    assert official.get(f"/api/v1/requests/{other.pk}").status_code == 404
    assert official.get("/api/v1/requests?status=whatever").status_code == 400
    assert login(UserFactory()).get("/api/v1/requests").status_code == 403


def test_answer_over_http_validation_permission_and_conflict(town: Town) -> None:
    initiative = routed(town)
    request = RoutedRequest.objects.get(initiative=initiative, department=town.verkeer)
    url = f"/api/v1/requests/{request.pk}/answer"
    official = login(town.official)
    invalid = send(official, "post", url, {"decision": "declined"})
    assert invalid.status_code == 400 and invalid["Content-Type"] == PROBLEM
    assert {p["name"] for p in invalid.json()["invalid_params"]} == {"motivation",
                                                                      "alternative"}
    english = send(official, "post", url, {"decision": "declined"},
                   **{"Accept-Language": "en"})
    assert english.status_code == 400
    assert send(login(town.groen_official), "post", url,
                {"decision": "approved"}).status_code == 403
    assert send(login(town.broker), "post", url, {"decision": "approved"}).status_code == 403
    ok = send(official, "post", url, {"decision": "approved_with_conditions",
                                      "motivation": "Bakken hoogstens 60 cm."})
    assert ok.status_code == 201, ok.json()
    again = send(official, "post", url, {"decision": "approved"})
    assert again.status_code == 409 and again["Content-Type"] == PROBLEM
    correction = send(official, "post", url, {"decision": "approved",
                                              "supersedes": ok.json()["id"]})
    assert correction.status_code == 201
    detail = official.get(f"/api/v1/requests/{request.pk}").json()
    assert [a["decision"] for a in detail["answers"]] == ["approved_with_conditions",
                                                          "approved"]
    assert detail["answer"]["decision"] == "approved" and detail["status"] == "answered"
    assert Answer.objects.filter(request=request).count() == 2
    meeting = send(login(town.manager), "post",
                   f"/api/v1/requests/{RoutedRequest.objects.get(initiative=initiative, department=town.groen).pk}/answer",  # noqa: E501
                   {"decision": "conversation_needed", "motivation": "Eerst praten.",
                    "meeting_proposal": "Dinsdagavond in het buurthuis.",
                    "meeting_planned_at": (timezone.now() + timedelta(days=2)).isoformat()})
    assert meeting.status_code == 201 and meeting.json()["meeting_planned_at"]


def test_due_dates_in_the_inbox_are_dates(town: Town) -> None:
    routed(town)
    row = login(town.official).get("/api/v1/requests").json()["results"][0]
    assert date.fromisoformat(row["due_date"]) > timezone.localdate()
    assert row["question"].startswith("Bewoners hebben het initiatief")


def test_inbox_and_routing_queries_do_not_grow_with_the_data(
        town: Town, django_assert_max_num_queries: Any) -> None:
    initiatives = [routed(town, title=f"Bloembakken {n}") for n in range(2)]
    for request in RoutedRequest.objects.filter(initiative=initiatives[0]):
        services.answer_request(town.actor(town.manager), request.pk, decision="approved")
    broker = login(town.broker)
    with django_assert_max_num_queries(12) as few:
        assert len(broker.get("/api/v1/requests").json()["results"]) == 6
    for n in range(4):
        routed(town, title=f"Meer bloembakken {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(broker.get("/api/v1/requests").json()["results"]) == 18
    with django_assert_max_num_queries(12):
        assert broker.get(f"/api/v1/initiatives/{initiatives[1].pk}/routing").status_code == 200
