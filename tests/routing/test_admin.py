"""Configuration through the admin: rules are validated like through the API."""

from __future__ import annotations

from django.test import Client

from loket.routing.models import RoutingRule
from tests.factories import UserFactory

from .conftest import Town


def admin_client() -> Client:
    user = UserFactory(username="beheerder", is_superuser=True)
    client = Client()
    client.force_login(user)
    return client


def test_admin_pages_of_routing_load(town: Town) -> None:
    client = admin_client()
    for page in ("routingrule", "department", "routedrequest", "routingproposal",
                 "routinglearning"):
        assert client.get(f"/admin/routing/{page}/").status_code == 200, page
    rule = RoutingRule.objects.first()
    assert client.get(f"/admin/routing/routingrule/{rule.pk}/change/").status_code == 200


def test_admin_refuses_a_rule_without_conditions_or_with_bad_weights(town: Town) -> None:
    client = admin_client()
    base = {"order": 5, "department": town.verkeer.pk, "name": "Leeg", "explanation": "",
            "min_score": 1.0, "support_kinds": "[]", "learns": "on", "active": "on"}
    empty = client.post("/admin/routing/routingrule/add/", {**base, "terms": "{}"})
    assert empty.status_code == 200 and "minstens één voorwaarde" in empty.content.decode()
    bad = client.post("/admin/routing/routingrule/add/", {**base, "terms": '{"boom": 99}'})
    assert bad.status_code == 200 and "gewicht" in bad.content.decode()
    good = client.post("/admin/routing/routingrule/add/",
                       {**base, "name": "Schommels", "terms": '{"schommel": 2}'})
    assert good.status_code == 302
    assert RoutingRule.objects.filter(name="Schommels", terms={"schommel": 2}).exists()
