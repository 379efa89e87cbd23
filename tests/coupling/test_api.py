from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from loket.coupling import services
from loket.coupling.models import CouplingSuggestion, PolicyCarrier
from tests.factories import (
    BrokerFactory,
    InitiativeFactory,
    ManagerFactory,
    OfficialFactory,
)

pytestmark = pytest.mark.usefixtures("demo")
PROBLEM = "application/problem+json"


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def initiative():
    broker = BrokerFactory()
    item = InitiativeFactory(broker=broker, title="Hangplek en drugsoverlast",
                             description="bij het winkelcentrum wordt gedeald en jongeren "
                                         "hangen rond; we willen buurtpreventie beginnen")
    services.suggest_couplings(str(item.pk))
    return item


def routed_official(initiative):
    """An official of a department the initiative was routed to (others do not see it)."""
    from datetime import date

    from loket.routing.models import RoutedRequest

    official = OfficialFactory()
    RoutedRequest.objects.create(initiative=initiative, department=official.departments.first(),
                                 question="Kan dit?", due_date=date(2030, 1, 1))
    return official


def test_staff_read_ranked_couplings(initiative):
    response = client_for(routed_official(initiative)).get(
        f"/api/v1/initiatives/{initiative.pk}/couplings")
    assert response.status_code == 200
    body = response.json()
    assert body[0]["carrier"] == "veilige-wijk" and body[0]["rank"] == 1
    assert body[0]["evidence"] and {"term", "found", "kind", "weight"} <= set(
        body[0]["evidence"][0])
    assert body[0]["message"].endswith(".") and body[0]["status"] == "suggested"


def test_anonymous_and_unknown(initiative):
    url = f"/api/v1/initiatives/{initiative.pk}/couplings"
    assert client_for().get(url).status_code == 401  # not logged in
    missing = client_for(ManagerFactory()).get(
        "/api/v1/initiatives/00000000-0000-0000-0000-000000000000/couplings")
    assert missing.status_code == 404 and missing["Content-Type"] == PROBLEM


def test_broker_accepts_and_rejects_with_reason(initiative):
    client = client_for(initiative.broker)
    base = f"/api/v1/initiatives/{initiative.pk}/couplings"
    accepted = client.post(f"{base}/veilige-wijk/accept", format="json")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    assert accepted.json()["decided_by"]
    rejected = client.post(f"{base}/sociale-cohesie/reject", {"reason": "geen ontmoeting"},
                           format="json")
    assert rejected.status_code == 200, rejected.json()
    row = CouplingSuggestion.objects.get(initiative=initiative, carrier__code="sociale-cohesie")
    assert row.status == "rejected" and row.reason == "geen ontmoeting"
    assert row.decided_by == initiative.broker


def test_decision_refusals_are_problems(initiative):
    base = f"/api/v1/initiatives/{initiative.pk}/couplings"
    other = client_for(BrokerFactory()).post(f"{base}/veilige-wijk/accept")
    assert other.status_code == 403 and other["Content-Type"] == PROBLEM
    official = client_for(routed_official(initiative)).post(f"{base}/veilige-wijk/accept")
    assert official.status_code == 403
    unknown = client_for(initiative.broker).post(f"{base}/niets/accept")
    assert unknown.status_code == 404 and unknown["Content-Type"] == PROBLEM
    type(initiative).objects.filter(pk=initiative.pk).update(state="realized")
    closed = client_for(initiative.broker).post(f"{base}/veilige-wijk/accept")
    assert closed.status_code == 409 and closed["Content-Type"] == PROBLEM


def test_policy_carriers_manager_writes_staff_reads():
    manager = client_for(ManagerFactory())
    listed = client_for(OfficialFactory()).get("/api/v1/policy-carriers")
    assert listed.status_code == 200
    codes = {c["code"] for c in listed.json()}
    assert {"energietransitie", "inclusie"} <= codes and len(codes) == 8
    energy = next(c for c in listed.json() if c["code"] == "energietransitie")
    assert energy["key_terms"]["zonnepanelen"] > 0 and energy["owner"] == "duurzaamheid"
    assert energy["active"] is True

    created = manager.post("/api/v1/policy-carriers", {
        "code": "cultuur-voor-iedereen", "name": "Cultuur voor iedereen",
        "scope": "Kunst en cultuur dichtbij", "key_terms": {"kunst": 2.5, "muziek": 2},
        "owner": "sport-cultuur", "active_from": "2026-01-01"}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["key_terms"] == {"kunst": 2.5, "muziek": 2.0}

    refused = client_for(BrokerFactory()).post("/api/v1/policy-carriers", {
        "code": "x", "name": "x", "scope": "x"}, format="json")
    assert refused.status_code == 403 and refused["Content-Type"] == PROBLEM

    invalid = manager.post("/api/v1/policy-carriers", {"code": "energietransitie",
                                                      "key_terms": {"a": 0}}, format="json")
    assert invalid.status_code == 400 and invalid["Content-Type"] == PROBLEM
    names = {p["name"] for p in invalid.json()["invalid_params"]}
    assert names == {"code", "name", "scope", "key_terms"}

    patched = manager.patch("/api/v1/policy-carriers/cultuur-voor-iedereen",
                            {"active_until": "2025-12-31", "active_from": None}, format="json")
    assert patched.status_code == 200 and patched.json()["active"] is False
    assert PolicyCarrier.objects.get(code="cultuur-voor-iedereen").active_until.year == 2025
    assert manager.patch("/api/v1/policy-carriers/onbekend", {}, format="json").status_code == 404
    assert client_for().get("/api/v1/policy-carriers").status_code == 401


def test_openapi_documents_the_coupling_operations():
    schema = client_for().get("/api/v1/openapi.json")
    if schema.status_code != 200:
        pytest.skip("OpenAPI document not served here")
    paths = {p.removeprefix("/api/v1") for p in schema.json()["paths"]}
    assert "/initiatives/{initiative_id}/couplings/{carrier_code}/accept" in paths
    assert "/policy-carriers/{code}" in paths
