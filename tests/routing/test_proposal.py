"""The proposal at submission, the broker's corrections, and learning from them."""

from __future__ import annotations

from typing import Any

import pytest

from loket.core.errors import Conflict, InvalidInput, NotPermitted
from loket.routing import services
from loket.routing.models import ProposedDepartment, RoutingLearning, RoutingProposal
from loket.workflow.states import State

from .conftest import Town, initiative_in


def rows(initiative: Any) -> dict[str, tuple[str, str]]:
    return {p.department.code: (p.source, p.decision) for p in
            ProposedDepartment.objects.filter(proposal__initiative=initiative)
            .select_related("department")}


def test_proposal_has_departments_with_reasons_and_evidence(town: Town, flower_boxes: Any) -> None:
    services.propose_routing(str(flower_boxes.pk))
    assert rows(flower_boxes) == {"verkeer": ("machine", "pending"),
                                  "openbare-ruimte": ("machine", "pending"),
                                  "subsidies": ("machine", "pending")}
    verkeer = ProposedDepartment.objects.get(department=town.verkeer)
    reason = verkeer.reasons[0]
    assert reason["rule"] == "Tekst verkeer"
    assert any(e["term"] == "te hard rijden" for e in reason["evidence"])
    subsidies = ProposedDepartment.objects.get(department=town.subsidies)
    assert subsidies.reasons[0]["conditions"][0]["kind"] == "budget"


def test_recompute_replaces_only_unconfirmed_machine_suggestions(town: Town,
                                                                 flower_boxes: Any) -> None:
    services.propose_routing(str(flower_boxes.pk))
    broker = town.actor(town.broker)
    services.update_routing(broker, flower_boxes.pk, remove=["openbare-ruimte"],
                            add=["vergunningen"])
    # The text changes so that the machine no longer sees traffic at all.
    type(flower_boxes).objects.filter(pk=flower_boxes.pk).update(
        title="Bankjes", description="Een speeltuin met bankjes.", requested_budget=0)
    services.propose_routing(str(flower_boxes.pk))
    assert rows(flower_boxes) == {
        "openbare-ruimte": ("machine", "removed"),  # the broker's decision stands
        "vergunningen": ("broker", "added"),
    }
    services.propose_routing(str(flower_boxes.pk))  # idempotent
    assert len(rows(flower_boxes)) == 2


def test_put_sets_the_whole_set_and_patch_adds_and_removes(town: Town, flower_boxes: Any) -> None:
    broker = town.actor(town.broker)
    proposal = services.update_routing(broker, flower_boxes.pk,
                                       departments=["verkeer", "vergunningen"])
    assert sorted(d.department.code for d in proposal.departments.all() if d.confirmed) == [
        "vergunningen", "verkeer"]
    assert rows(flower_boxes)["verkeer"] == ("machine", "kept")
    assert rows(flower_boxes)["subsidies"] == ("machine", "removed")
    services.update_routing(broker, flower_boxes.pk, add=["subsidies"], remove=["vergunningen"])
    assert rows(flower_boxes)["subsidies"] == ("machine", "kept")
    assert rows(flower_boxes)["vergunningen"] == ("broker", "removed")
    row = ProposedDepartment.objects.get(department=town.verkeer)
    assert row.decided_by == town.broker and row.decided_at is not None


def test_corrections_are_validated_all_at_once(town: Town, flower_boxes: Any) -> None:
    with pytest.raises(InvalidInput) as exc:
        services.update_routing(town.actor(town.broker), flower_boxes.pk,
                                add=["bestaat-niet", "verkeer"], remove=["verkeer", "ook-niet"])
    assert set(exc.value.errors) == {"add", "remove"}
    assert len(exc.value.errors["remove"]) == 2


def test_only_brokers_and_managers_correct_and_only_before_consultation(town: Town) -> None:
    initiative = initiative_in(State.CONSULTATION)
    with pytest.raises(NotPermitted):
        services.update_routing(town.actor(town.official), initiative.pk, add=["verkeer"])
    with pytest.raises(Conflict):
        services.update_routing(town.actor(town.manager), initiative.pk, add=["verkeer"])


def test_routing_of_computes_a_missing_proposal(town: Town, flower_boxes: Any) -> None:
    proposal = services.routing_of(town.actor(town.manager), flower_boxes.pk)
    assert proposal.computed_at is not None and proposal.departments.count() == 3


def test_corrections_teach_later_initiatives(town: Town,
                                             django_capture_on_commit_callbacks: Any) -> None:
    """A department brokers keep adding for a word becomes a learned, explained reason."""
    broker = town.actor(town.broker)
    for n in range(3):
        initiative = initiative_in(
            State.INTAKE, title=f"Gevaarlijke kruising {n}",
            description="De kruising bij de Dorpsstraat is gevaarlijk en onoverzichtelijk.")
        with django_capture_on_commit_callbacks(execute=True):
            services.update_routing(broker, initiative.pk, departments=["verkeer"])
    learning = RoutingLearning.objects.get(pk=1)
    assert learning.dirty_at is None and learning.examples == 3
    assert learning.adjustments["verkeer"]["kruising"] > 0  # a learned word for traffic
    later = initiative_in(State.INTAKE, title="Kruising",
                          description="Een onoverzichtelijke kruising.")
    services.propose_routing(str(later.pk))
    row = ProposedDepartment.objects.get(proposal__initiative=later, department=town.verkeer)
    kinds = {e["kind"] for r in row.reasons for e in r["evidence"]}
    assert "geleerd" in kinds


def test_propose_ignores_closed_or_unknown_initiatives(town: Town) -> None:
    services.propose_routing("00000000-0000-0000-0000-000000000000")
    closed = initiative_in(State.WITHDRAWN)
    services.propose_routing(str(closed.pk))
    assert not RoutingProposal.objects.filter(initiative=closed).exists()


def test_cached_rules_follow_every_configuration_change(town: Town) -> None:
    """The compiled rules are cached per process; every edit must still take effect."""
    from loket.routing import rules as rules_engine
    from loket.routing.models import RoutingRule

    facts = rules_engine.Facts("Zebrapad bij de school", "Kinderen moeten veilig oversteken.",
                               0, (), None)

    def routed() -> list[str]:
        return services.evaluate(facts).department_codes()

    assert routed() == ["verkeer"]
    assert routed() == ["verkeer"]  # from the cache
    town.verkeer.name = "Mobiliteit"
    town.verkeer.save()
    assert {r.rule.department_name for r in services.evaluate(facts).results} >= {"Mobiliteit"}
    town.verkeer.active = False
    town.verkeer.save()
    assert "verkeer" not in routed()
    town.verkeer.active = True
    town.verkeer.save()
    rule = RoutingRule.objects.get(name="Tekst verkeer")
    rule.terms = {"verkeer": 2.0}
    rule.save()
    assert "verkeer" not in routed()  # "zebrapad" is no longer a term
    rule.terms = {"zebrapad": 3.0}
    rule.save()
    assert routed() == ["verkeer"]
    rule.delete()
    assert "verkeer" not in routed()
