"""The OpenAPI document names the generic errors of every operation as problem+json."""

from __future__ import annotations

import pytest
from django.test import Client

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def document() -> dict:
    return Client().get("/api/v1/openapi.json").json()


def operations(document: dict):
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_every_operation_documents_404_and_406_as_problem_json(document: dict) -> None:
    for path, method, operation in operations(document):
        for code in ("404", "406"):
            content = operation["responses"][code]["content"]
            assert "application/problem+json" in content, (method, path, code)


def test_operations_behind_login_document_401_and_403(document: dict) -> None:
    for path, method, operation in operations(document):
        public = operation.get("security") in (None, [], [{}]) or {} in operation["security"]
        if not public:
            assert {"401", "403"} <= set(operation["responses"]), (method, path)


def test_operations_with_a_body_document_400_413_415(document: dict) -> None:
    for path, method, operation in operations(document):
        if "requestBody" in operation:
            assert {"400", "413", "415"} <= set(operation["responses"]), (method, path)
