# ruff: noqa: E501 - the matrix is a table, one endpoint a line
"""Every API endpoint x every role: the status each one gets, written down.

Rows come from the OpenAPI document; `test_every_endpoint_has_a_row` fails when an endpoint
is added without a row here (and when a URL under /api/v1 is missing from the document), so
nobody ships an endpoint whose access nobody decided on.

The world: initiative A (in consultation, broker `broker`, routed to department "verkeer",
with a question, a coupling suggestion and a proposal) and initiative B (another resident's).
Roles:

| column | who | how they call |
|---|---|---|
| anon  | anonymous | no credentials; tracking URLs with a guessed token |
| own   | A's initiators | tracking URLs with A's token; elsewhere that token as `Authorization` |
| other | B's initiators | tracking URLs with B's token (they see B, never A); elsewhere as header |
| brok  | A's broker | API token |
| offA  | official of the department A was routed to (verkeer) | API token |
| offB  | official of another department (groen) | API token |
| mgr   | manager | API token |

A cell is the expected HTTP status. 400 in a cell for a staff role means the request passed
the permission check and was then refused on its (deliberately minimal) body. Every cell
also checks that no initiator's name, e-mail or phone appears in a response to someone not
entitled to it (entitled: A's initiators for A; staff who may see A).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from rest_framework.authtoken.models import Token

from loket.coupling.models import CouplingSuggestion, PolicyCarrier
from loket.intake.tokens import new_tracking_token
from loket.routing.models import RoutedRequest, RoutingRule
from loket.workflow.states import BALL_HOLDER, State
from tests.factories import (
    BrokerFactory,
    DepartmentFactory,
    InitiativeFactory,
    InitiatorFactory,
    ManagerFactory,
    OfficialFactory,
    QuestionFactory,
    submission_payload,
)

ROLES = ("anon", "own", "other", "brok", "offA", "offB", "mgr")
STAFF = {"brok", "offA", "offB", "mgr"}

# Personal data of the initiators of A and B: must never reach anyone not entitled.
A_PEOPLE = ("Anna Afzender", "anna.a@example.org", "0611111111")
B_PEOPLE = ("Bert Buurman", "bert.b@example.org", "0622222222")

# (method, path in the OpenAPI document): body, then the expected status per role
# in the order anon, own, other, brok, offA, offB, mgr.
MATRIX: dict[tuple[str, str], tuple[Any, tuple[int, ...]]] = {}


@dataclass
class World:
    a: Any
    b: Any
    token_a: str
    token_b: str
    headers: dict[str, dict[str, str]]
    ids: dict[str, Any]


@pytest.fixture
def world(db: None) -> World:
    cache.clear()  # throttles count per test, not per session
    verkeer = DepartmentFactory(code="verkeer", name="Verkeer")
    groen = DepartmentFactory(code="groen", name="Groen")
    broker, manager = BrokerFactory(), ManagerFactory()
    off_a, off_b = OfficialFactory(department=verkeer), OfficialFactory(department=groen)
    token_a, token_b = new_tracking_token(), new_tracking_token()
    now = timezone.now()
    a = InitiativeFactory(token=token_a, reference="TEST-A", state=State.CONSULTATION, broker=broker,
                          ball_holder=BALL_HOLDER[State.CONSULTATION], state_entered_at=now)
    InitiatorFactory(initiative=a, name=A_PEOPLE[0], email=A_PEOPLE[1], phone=A_PEOPLE[2])
    b = InitiativeFactory(token=token_b, reference="TEST-B", state=State.INTAKE, broker=broker,
                          ball_holder=BALL_HOLDER[State.INTAKE], state_entered_at=now)
    InitiatorFactory(initiative=b, name=B_PEOPLE[0], email=B_PEOPLE[1], phone=B_PEOPLE[2])
    request = RoutedRequest.objects.create(initiative=a, department=verkeer, question="Kan dit?",
                                           due_date=date(2030, 1, 1))
    question_a = QuestionFactory(initiative=a, asked_by=broker)
    question_b = QuestionFactory(initiative=b, asked_by=broker)
    carrier = PolicyCarrier.objects.create(code="vergroening", name="Vergroening",
                                           scope="Groen in de wijk", key_terms={"groen": 1})
    CouplingSuggestion.objects.create(initiative=a, carrier=carrier, rank=1, score=1.0)
    rule = RoutingRule.objects.create(department=verkeer, name="Verkeer", terms={"verkeer": 1})
    headers = {"anon": {}, "own": {"HTTP_AUTHORIZATION": f"Token {token_a}"},
               "other": {"HTTP_AUTHORIZATION": f"Token {token_b}"}}
    for role, user in (("brok", broker), ("offA", off_a), ("offB", off_b), ("mgr", manager)):
        headers[role] = {"HTTP_AUTHORIZATION": f"Token {Token.objects.create(user=user).key}"}
    return World(a=a, b=b, token_a=token_a, token_b=token_b, headers=headers, ids={
        "initiative_id": a.pk, "request_id": request.pk, "code": None, "rule_id": rule.pk,
        "carrier_code": carrier.code, "question_id": question_a.pk,
        "question_id_b": question_b.pk, "name": "pause", "department_code": verkeer.code})


def _url(world: World, method: str, path: str, role: str) -> str:
    ids = dict(world.ids)
    if path.startswith("/tracking/"):
        ids["token"] = {"own": world.token_a, "other": world.token_b}.get(
            role, new_tracking_token())
        if role == "other":
            ids["question_id"] = ids["question_id_b"]
    if path.startswith("/departments/"):
        ids["code"] = ids["department_code"]
    elif path.startswith("/policy-carriers/"):
        ids["code"] = ids["carrier_code"]
    if path.endswith("/transitions/{name}") and path.startswith("/initiatives/"):
        ids["name"] = "mark_not_feasible"
    return "/api/v1" + re.sub(r"\{(\w+)\}", lambda m: str(ids[m.group(1)]), path)


def call(world: World, method: str, path: str, role: str, body: Any) -> Any:
    client = Client()
    url = _url(world, method, path, role)
    kwargs: dict[str, Any] = dict(world.headers[role])
    if path.startswith("/tracking/"):
        kwargs = {}  # the link is the credential
    if method in {"POST", "PUT", "PATCH"}:
        return getattr(client, method.lower())(url, json.dumps(body or {}),
                                               content_type="application/json", **kwargs)
    return getattr(client, method.lower())(url, **kwargs)


def openapi_operations() -> set[tuple[str, str]]:
    document = Client().get("/api/v1/openapi.json").json()
    return {(method.upper(), path) for path, item in document["paths"].items()
            for method in item if method in {"get", "post", "put", "patch", "delete"}}



# Bodies: valid where a role may act, so a cell shows the permission decision, not a typo.
BODIES: dict[tuple[str, str], Any] = {
    ("POST", "/auth/token"): {"username": "niemand", "password": "fout"},
    ("POST", "/initiatives"): "SUBMISSION",
    ("POST", "/departments"): {"code": "nieuw", "name": "Nieuwe afdeling"},
    ("PATCH", "/departments/{code}"): {"answer_term_days": 12},
    ("POST", "/initiatives/{initiative_id}/transitions/{name}"): {
        "motivation": "Te duur.", "alternative": "Kleiner."},
    ("POST", "/initiatives/{initiative_id}/questions"): {"text": "Hoeveel buren doen mee?"},
    ("PUT", "/initiatives/{initiative_id}/routing"): {"departments": ["verkeer"]},
    ("PATCH", "/initiatives/{initiative_id}/routing"): {"add": ["groen"]},
    ("POST", "/policy-carriers"): {"code": "nieuw", "name": "Nieuw", "scope": "Alles",
                                   "key_terms": {"nieuw": 1}},
    ("PATCH", "/policy-carriers/{code}"): {"name": "Vergroening 2.0"},
    ("POST", "/requests/{request_id}/answer"): {"decision": "approved", "motivation": "Prima."},
    ("POST", "/routing-rules"): {"department": "verkeer", "name": "Drempels",
                                 "terms": {"drempel": 2}},
    ("PATCH", "/routing-rules/{rule_id}"): {"name": "Verkeer (aangepast)"},
    ("POST", "/routing/dry-run"): {"title": "Drempel", "description": "Verkeer rijdt te hard."},
    ("PATCH", "/tracking/{token}"): {"title": "Moestuin op het veld (aangepast)"},
    ("POST", "/tracking/{token}/notes"): {"text": "Nog een aanvulling."},
    ("POST", "/tracking/{token}/questions/{question_id}/answer"): {"text": "Twaalf."},
    ("POST", "/tracking/{token}/transitions/{name}"): {},
}

#            anon own  other brok offA offB mgr
MATRIX.update({
    ("GET", "/health"):                                          (200, 200, 200, 200, 200, 200, 200),
    ("GET", "/openapi.json"):                                    (200, 200, 200, 200, 200, 200, 200),
    ("POST", "/auth/token"):                                     (400, 400, 400, 400, 400, 400, 400),
    # residents submit without an account; the tracking link is their only key
    ("POST", "/initiatives"):                                    (201, 201, 201, 201, 201, 201, 201),
    ("GET", "/tracking/{token}"):                                (404, 200, 200, 404, 404, 404, 404),
    ("PATCH", "/tracking/{token}"):                              (404, 409, 200, 404, 404, 404, 404),
    ("GET", "/tracking/{token}/data"):                           (404, 200, 200, 404, 404, 404, 404),
    ("POST", "/tracking/{token}/notes"):                         (404, 201, 201, 404, 404, 404, 404),
    ("POST", "/tracking/{token}/questions/{question_id}/answer"): (404, 200, 200, 404, 404, 404, 404),
    ("GET", "/tracking/{token}/transitions"):                    (404, 200, 200, 404, 404, 404, 404),
    ("POST", "/tracking/{token}/transitions/{name}"):            (404, 200, 200, 404, 404, 404, 404),
    # staff: brokers and managers see everything, officials only what was routed to them
    ("GET", "/initiatives"):                                     (401, 401, 401, 200, 200, 200, 200),
    ("GET", "/initiatives/{initiative_id}"):                     (401, 401, 401, 200, 200, 404, 200),
    ("POST", "/initiatives/{initiative_id}/questions"):          (401, 401, 401, 201, 201, 404, 201),
    ("GET", "/initiatives/{initiative_id}/history"):             (401, 401, 401, 200, 200, 404, 200),
    ("GET", "/initiatives/{initiative_id}/transitions"):         (401, 401, 401, 200, 200, 404, 200),
    ("POST", "/initiatives/{initiative_id}/transitions/{name}"): (401, 401, 401, 200, 403, 404, 200),
    ("GET", "/initiatives/{initiative_id}/couplings"):           (401, 401, 401, 200, 200, 404, 200),
    ("POST", "/initiatives/{initiative_id}/couplings/{carrier_code}/accept"):
                                                                 (401, 401, 401, 200, 403, 404, 200),
    ("POST", "/initiatives/{initiative_id}/couplings/{carrier_code}/reject"):
                                                                 (401, 401, 401, 200, 403, 404, 200),
    # routing: the broker decides where it goes (409: A is already routed), officials answer
    ("GET", "/initiatives/{initiative_id}/routing"):             (401, 401, 401, 200, 403, 403, 200),
    ("PUT", "/initiatives/{initiative_id}/routing"):             (401, 401, 401, 409, 403, 403, 409),
    ("PATCH", "/initiatives/{initiative_id}/routing"):           (401, 401, 401, 409, 403, 403, 409),
    ("GET", "/requests"):                                        (401, 401, 401, 200, 200, 200, 200),
    ("GET", "/requests/{request_id}"):                           (401, 401, 401, 200, 200, 404, 200),
    ("POST", "/requests/{request_id}/answer"):                   (401, 401, 401, 403, 201, 403, 201),
    ("POST", "/routing/dry-run"):                                (401, 401, 401, 200, 200, 200, 200),
    # configuration: every staff member reads it, managers change it
    ("GET", "/departments"):                                     (401, 401, 401, 200, 200, 200, 200),
    ("POST", "/departments"):                                    (401, 401, 401, 403, 403, 403, 201),
    ("GET", "/departments/{code}"):                              (401, 401, 401, 200, 200, 200, 200),
    ("PATCH", "/departments/{code}"):                            (401, 401, 401, 403, 403, 403, 200),
    ("GET", "/routing-rules"):                                   (401, 401, 401, 200, 200, 200, 200),
    ("POST", "/routing-rules"):                                  (401, 401, 401, 403, 403, 403, 201),
    ("GET", "/routing-rules/{rule_id}"):                         (401, 401, 401, 200, 200, 200, 200),
    ("PATCH", "/routing-rules/{rule_id}"):                       (401, 401, 401, 403, 403, 403, 200),
    ("DELETE", "/routing-rules/{rule_id}"):                      (401, 401, 401, 403, 403, 403, 204),
    ("GET", "/policy-carriers"):                                 (401, 401, 401, 200, 200, 200, 200),
    ("POST", "/policy-carriers"):                                (401, 401, 401, 403, 403, 403, 201),
    ("GET", "/policy-carriers/{code}"):                          (401, 401, 401, 200, 200, 200, 200),
    ("PATCH", "/policy-carriers/{code}"):                        (401, 401, 401, 403, 403, 403, 200),
    # managers and brokers watch the flow
    ("GET", "/dashboard/stalled"):                               (401, 401, 401, 200, 403, 403, 200),
    ("GET", "/dashboard/summary"):                               (401, 401, 401, 200, 403, 403, 200),
})  # fmt: skip

# Who may read whose personal data (names, e-mail addresses, phone numbers).
ENTITLED = {"A": {"own", "brok", "mgr"}, "B": {"other", "brok", "mgr"}}


def _api_paths_from_urlconf() -> set[str]:
    """Every route under /api/v1 in the URL configuration, in OpenAPI spelling."""
    found: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for entry in patterns:
            route = prefix + str(entry.pattern)
            if isinstance(entry, URLResolver):
                walk(entry.url_patterns, route)
            elif isinstance(entry, URLPattern) and route.startswith("api/v1/"):
                found.add(re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route.removeprefix("api/v1")))

    walk(get_resolver().url_patterns, "")
    return found


@pytest.mark.django_db
def test_every_endpoint_has_a_row() -> None:
    operations = openapi_operations()
    assert operations - set(MATRIX) == set(), "endpoints without a row in the matrix"
    assert set(MATRIX) - operations == set(), "rows for endpoints that no longer exist"
    documented = {path for _, path in operations}
    assert _api_paths_from_urlconf() - documented == set(), "API URLs missing from OpenAPI"


CELLS = [(method, path, role, MATRIX[(method, path)][index])
         for (method, path) in MATRIX for index, role in enumerate(ROLES)]


@pytest.mark.parametrize(("method", "path", "role", "expected"), CELLS,
                         ids=[f"{m} {p} {r}" for m, p, r, _ in CELLS])
def test_cell(world: World, method: str, path: str, role: str, expected: int) -> None:
    body = BODIES.get((method, path))
    if body == "SUBMISSION":
        body = submission_payload()
    response = call(world, method, path, role, body)
    assert response.status_code == expected, response.content[:300]
    text = response.content.decode(errors="replace")
    if response.status_code >= 400:
        assert response["Content-Type"] == "application/problem+json"
        assert "Traceback" not in text
    for initiative, people in (("A", A_PEOPLE), ("B", B_PEOPLE)):
        if role not in ENTITLED[initiative]:
            leaked = [value for value in people if value in text]
            assert not leaked, f"{role} sees personal data of {initiative}'s initiators"


def test_entitled_roles_really_see_personal_data(world: World) -> None:
    """The leak check above is not vacuous: the same responses carry the data for those
    entitled to it."""
    assert A_PEOPLE[1] in call(world, "GET", "/tracking/{token}/data", "own", None).content.decode()
    detail = call(world, "GET", "/initiatives/{initiative_id}", "brok", None).content.decode()
    assert A_PEOPLE[0] in detail
    official = call(world, "GET", "/initiatives/{initiative_id}", "offA", None)
    assert official.status_code == 200 and A_PEOPLE[0] not in official.content.decode()
