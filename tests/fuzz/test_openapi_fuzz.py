"""Hostile input: schemathesis generates requests from /api/v1/openapi.json and checks that
no response is a 5xx and every response matches the document (status codes, content types
including application/problem+json, bodies, headers).

Run by `.ci/run` as its own step (LOKET_FUZZ=1); skipped in the ordinary suite because it
takes a while. Requests go to the WSGI app in-process, as a manager (the widest access), so
generation reaches past authentication; path parameters are sometimes swapped for ids that
exist, so the fuzzer reaches the code behind the 404s too.
"""

from __future__ import annotations

import os
import random
from datetime import date
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

pytestmark = [
    pytest.mark.skipif(os.environ.get("LOKET_FUZZ") != "1",
                       reason="fuzzing: set LOKET_FUZZ=1 (the separate step of .ci/run)"),
    pytest.mark.django_db,
]

EXAMPLES_PER_OPERATION = int(os.environ.get("LOKET_FUZZ_EXAMPLES", "40"))
MIN_TOTAL_CASES = 1000
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance, response_headers_conformance]

CASES: dict[str, int] = {}
OPERATIONS: set[str] = set()


@pytest.fixture
def known(db: None) -> dict[str, Any]:
    """Existing objects whose ids the fuzzer sometimes uses instead of random ones."""
    from rest_framework.authtoken.models import Token

    from loket.routing.models import RoutedRequest
    from tests.factories import (
        DepartmentFactory,
        InitiativeFactory,
        InitiatorFactory,
        ManagerFactory,
        OfficialFactory,
    )

    department = DepartmentFactory(code="verkeer", name="Verkeer")
    OfficialFactory(department=department)
    token = "fuzz" + "x" * 40
    initiative = InitiativeFactory(token=token)
    InitiatorFactory(initiative=initiative)
    request = RoutedRequest.objects.create(initiative=initiative, department=department,
                                           question="Kan dit?", due_date=date(2030, 1, 1))
    manager = ManagerFactory()
    return {
        "auth": f"Token {Token.objects.create(user=manager).key}",
        "path": {"initiative_id": str(initiative.pk), "token": token,
                 "request_id": request.pk, "code": department.code},
    }


@pytest.fixture
def api_schema(known: dict[str, Any], monkeypatch: pytest.MonkeyPatch,
               request: pytest.FixtureRequest) -> Any:
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from rest_framework.settings import api_settings

    from loket.wsgi import application

    # The WSGI app runs inside the test's transaction. Like Django's test client, keep the
    # request signals from closing that connection (PostgreSQL: "the connection is closed").
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    request.addfinalizer(lambda: (request_started.connect(close_old_connections),
                                  request_finished.connect(close_old_connections)))

    # The fuzzer is one client sending thousands of requests: lift the public throttles.
    for scope in list(api_settings.DEFAULT_THROTTLE_RATES):
        monkeypatch.setitem(api_settings.DEFAULT_THROTTLE_RATES, scope, "1000000/hour")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    rng = random.Random(0)

    @schema.hook
    def map_path_parameters(context: Any, path_parameters: dict[str, Any]) -> dict[str, Any]:
        if not path_parameters:
            return path_parameters
        for name, value in known["path"].items():
            if name in path_parameters and rng.random() < 0.5:
                path_parameters[name] = value
        return path_parameters

    return schema


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_holds_against_generated_requests(case: Any, known: dict[str, Any]) -> None:
    label = case.operation.label
    OPERATIONS.add(label)
    CASES[label] = CASES.get(label, 0) + 1
    case.call_and_validate(headers={"Authorization": known["auth"]}, checks=CHECKS)


def test_zz_enough_cases_were_generated() -> None:
    """At least 1000 generated cases in total (the issue's bar), over every operation."""
    if not CASES:
        pytest.skip("the fuzz tests did not run in this session")
    total = sum(CASES.values())
    print(f"\nfuzz: {total} cases over {len(OPERATIONS)} operations")
    assert total >= MIN_TOTAL_CASES, CASES
