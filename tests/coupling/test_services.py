from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from loket.core.actors import Actor, Role
from loket.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from loket.coupling import selectors, services
from loket.coupling.models import CouplingLearning, CouplingSuggestion, PolicyCarrier
from loket.workflow.states import State
from tests.factories import BrokerFactory, InitiativeFactory, ManagerFactory

pytestmark = pytest.mark.usefixtures("demo")

ENERGY = dict(title="zonnepanelen op het dak van de school",
              description="we willen met de buurt zonnepaneeltjes op het schooldak en samen "
                          "energie besparen, ook voor gezinnen met een krappe beurs")
GARDEN = dict(title="Buurtmoestuin", description="met buren samen groente kweken op het "
                                                  "grasveld, gezond eten voor de kinderen")


def codes(initiative) -> list[str]:
    return [c.carrier.code for c in selectors.couplings_for(initiative)]


def test_suggestions_are_ranked_with_evidence_and_one_dutch_sentence():
    initiative = InitiativeFactory(**ENERGY)
    stored = services.suggest_couplings(str(initiative.pk))
    rows = list(selectors.couplings_for(initiative))
    assert stored == len(rows) >= 2
    assert rows[0].carrier.code == "energietransitie"
    assert [r.rank for r in rows] == sorted(r.rank for r in rows)
    assert rows[0].score >= rows[1].score
    found = {e["found"].lower() for e in rows[0].evidence}
    assert "zonnepanelen" in found or "zonnepaneeltjes" in found
    assert rows[0].message.startswith("Het initiatief ‘zonnepanelen op het dak van de school’")
    assert rows[0].message.count(".") == 1 and "Energietransitie" in rows[0].message
    assert "armoedebestrijding" in codes(initiative)  # "krappe beurs"


def test_recomputation_is_idempotent_and_keeps_decisions():
    broker = BrokerFactory()
    initiative = InitiativeFactory(broker=broker, **ENERGY)
    services.suggest_couplings(str(initiative.pk))
    first = {c.carrier.code: (c.pk, c.score, c.rank) for c in selectors.couplings_for(initiative)}
    services.suggest_couplings(str(initiative.pk))
    again = {c.carrier.code: (c.pk, c.score, c.rank) for c in selectors.couplings_for(initiative)}
    assert first == again

    actor = Actor.for_user(broker)
    services.decide_coupling(actor, initiative.pk, "energietransitie", "rejected", "past niet")
    services.decide_coupling(actor, initiative.pk, "armoedebestrijding", "accepted")
    # The plan is rewritten into something else entirely.
    initiative.title, initiative.description = GARDEN["title"], GARDEN["description"]
    initiative.save()
    services.suggest_couplings(str(initiative.pk))
    rows = {c.carrier.code: c for c in selectors.couplings_for(initiative)}
    assert rows["energietransitie"].status == "rejected"
    assert rows["energietransitie"].reason == "past niet"
    assert rows["armoedebestrijding"].status == "accepted"
    assert rows["armoedebestrijding"].decided_by == broker
    # the decided rows keep the evidence they were decided on
    assert any("zonne" in e["found"].lower() for e in rows["energietransitie"].evidence)
    open_rows = [c for c in rows.values() if c.status == "suggested"]
    assert open_rows and all(c.score >= 0.3 for c in open_rows)
    assert "gezonde-wijk" in rows


def test_stale_open_suggestions_below_threshold_are_removed(settings):
    initiative = InitiativeFactory(**ENERGY)
    services.suggest_couplings(str(initiative.pk))
    assert "energietransitie" in codes(initiative)
    initiative.title, initiative.description = "Kerstboom", "een kerstboom op het plein"
    initiative.save()
    services.suggest_couplings(str(initiative.pk))
    assert "energietransitie" not in codes(initiative)
    settings.LOKET_COUPLING_MIN_SCORE = 0.99
    services.suggest_couplings(str(initiative.pk))
    assert codes(initiative) == []


def test_inactive_carriers_are_not_suggested():
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    PolicyCarrier.objects.filter(code="energietransitie").update(active_until=yesterday,
                                                                 updated_at=timezone.now())
    initiative = InitiativeFactory(**ENERGY)
    services.suggest_couplings(str(initiative.pk))
    assert "energietransitie" not in codes(initiative)


def test_carrier_edits_invalidate_the_cached_ranking():
    initiative = InitiativeFactory(title="jeu de boules baan", description="een jeu de "
                                   "boules baan bij de flat")
    services.suggest_couplings(str(initiative.pk))
    assert "inclusie" not in codes(initiative)[:1]
    carrier = PolicyCarrier.objects.get(code="inclusie")
    services.save_carrier(Actor.for_user(ManagerFactory()),
                          {"key_terms": {**carrier.key_terms, "jeu de boules": 5.0}}, carrier)
    services.suggest_couplings(str(initiative.pk))
    assert codes(initiative)[0] == "inclusie"


def test_learning_and_department_edits_invalidate_the_compiled_suggester():
    from loket.coupling import engine
    from loket.routing.models import Department

    first = engine.suggester()
    assert engine.suggester() is first  # compiled once per configuration
    CouplingLearning.objects.update_or_create(pk=1, defaults={
        "adjustments": {}, "computed_at": timezone.now()})
    second = engine.suggester()
    assert second is not first
    Department.objects.filter(code="verkeer").update(active=False)
    third = engine.suggester()
    assert third is not second
    assert "verkeer" not in {p.code for p in third.departments.profiles}


def test_missing_initiative_is_a_no_op():
    assert services.suggest_couplings("00000000-0000-0000-0000-000000000000") == 0


def test_decisions_need_the_initiatives_broker_or_a_manager():
    broker, other = BrokerFactory(), BrokerFactory()
    initiative = InitiativeFactory(broker=broker, **ENERGY)
    services.suggest_couplings(str(initiative.pk))
    with pytest.raises(NotPermitted):
        services.decide_coupling(Actor.for_user(other), initiative.pk, "energietransitie",
                                 "accepted")
    with pytest.raises(NotPermitted):
        services.decide_coupling(Actor(Role.OFFICIAL), initiative.pk, "energietransitie",
                                 "accepted")
    row = services.decide_coupling(Actor.for_user(ManagerFactory()), initiative.pk,
                                   "energietransitie", "accepted")
    assert row.status == "accepted" and row.decided_at is not None


def test_decision_errors():
    broker = BrokerFactory()
    actor = Actor.for_user(broker)
    initiative = InitiativeFactory(broker=broker, **ENERGY)
    services.suggest_couplings(str(initiative.pk))
    with pytest.raises(NotFound):
        services.decide_coupling(actor, initiative.pk, "bestaat-niet", "accepted")
    with pytest.raises(NotFound):  # rejecting what was never suggested
        services.decide_coupling(actor, initiative.pk, "veilige-wijk", "rejected")
    with pytest.raises(InvalidInput):
        services.decide_coupling(actor, initiative.pk, "energietransitie", "maybe")
    type(initiative).objects.filter(pk=initiative.pk).update(state=State.WITHDRAWN)
    with pytest.raises(Conflict):
        services.decide_coupling(actor, initiative.pk, "energietransitie", "accepted")


def test_accepting_an_unsuggested_carrier_and_repeating_a_decision():
    broker = BrokerFactory()
    actor = Actor.for_user(broker)
    initiative = InitiativeFactory(broker=broker, **ENERGY)
    services.suggest_couplings(str(initiative.pk))
    row = services.decide_coupling(actor, initiative.pk, "veilige-wijk", "accepted")
    assert row.pk and row.status == "accepted"
    first_at = row.decided_at
    again = services.decide_coupling(actor, initiative.pk, "veilige-wijk", "accepted")
    assert again.decided_at == first_at
    assert [c.carrier.code for c in selectors.accepted_couplings(initiative)] == ["veilige-wijk"]
    changed = services.decide_coupling(actor, initiative.pk, "veilige-wijk", "rejected", "nee")
    assert changed.status == "rejected" and changed.reason == "nee"


def test_decisions_teach_later_rankings_boundedly(django_capture_on_commit_callbacks):
    """A carrier the brokers keep accepting for a kind of initiative rises for the next."""
    broker = BrokerFactory()
    actor = Actor.for_user(broker)
    text = "wekelijkse {0} in de {1} voor de wijk"
    places = ["bieb", "kerkzaal", "sporthal"]
    for place in places:
        initiative = InitiativeFactory(broker=broker, title=f"schaakclub {place}",
                                       description=text.format("schaakavond", place))
        services.suggest_couplings(str(initiative.pk))
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            services.decide_coupling(actor, initiative.pk, "inclusie", "accepted")
        assert callbacks  # the recomputation runs after the decision commits
    learning = CouplingLearning.objects.get(pk=1)
    assert learning.dirty_at is None and learning.examples == 3
    assert learning.adjustments.get("inclusie")
    assert all(abs(v) <= 1.5 for terms in learning.adjustments.values() for v in terms.values())
    fresh = InitiativeFactory(title="schaakclub", description=text.format("schaakavond", "aula"))
    services.suggest_couplings(str(fresh.pk))
    rows = list(selectors.couplings_for(fresh))
    inclusie = next(r for r in rows if r.carrier.code == "inclusie")
    assert rows[0].carrier.code == "inclusie"
    assert any(e["kind"] == "geleerd" for e in inclusie.evidence)


def test_accepted_per_carrier_counts_in_one_query(django_assert_num_queries):
    broker = BrokerFactory()
    for _ in range(2):
        initiative = InitiativeFactory(broker=broker, **ENERGY)
        services.suggest_couplings(str(initiative.pk))
        services.decide_coupling(Actor.for_user(broker), initiative.pk, "energietransitie",
                                 "accepted")
    with django_assert_num_queries(1):
        summary = selectors.accepted_per_carrier()
    first = summary[0]
    assert first["code"] == "energietransitie" and first["accepted"] == 2
    assert len(summary) == PolicyCarrier.objects.count()
    public = selectors.public_couplings(initiative)
    assert public[0]["name"] == "Energietransitie" and "Energietransitie" in public[0]["text"]
    assert CouplingSuggestion.objects.filter(status="accepted").count() == 2


def test_carrier_validation_reports_every_field():
    manager = Actor.for_user(ManagerFactory())
    with pytest.raises(InvalidInput) as err:
        services.save_carrier(manager, {"code": "Niet Goed", "name": "", "key_terms": {
            "x": -1, "y": "veel"}, "owner": "geen", "active_from": "2026-05-01",
            "active_until": "2026-01-01", "extra": 1})
    assert set(err.value.errors) == {"code", "name", "scope", "key_terms", "owner",
                                     "active_until", "extra"}
    with pytest.raises(NotPermitted):
        services.save_carrier(Actor.for_user(BrokerFactory()), {"code": "x"})
