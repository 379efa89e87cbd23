"""Rules as ordered data: when they fire and what they say about why."""

from __future__ import annotations

from loket.routing.rules import Facts, RuleSpec, evaluate, rule_adjustments, validate_rule

VERKEER = RuleSpec(id=1, order=100, name="Tekst verkeer", department="verkeer",
                   terms={"zebrapad": 3.0, "drempel": 2.0, "verkeer": 2.0})
GROEN = RuleSpec(id=2, order=110, name="Tekst groen", department="openbare-ruimte",
                 terms={"speeltuin": 2.5, "bloembak": 2.0, "bankje": 1.0})
BUDGET = RuleSpec(id=3, order=10, name="Budget", department="subsidies",
                  min_requested_budget=1)
PERMIT = RuleSpec(id=4, order=20, name="Vergunning", department="vergunningen",
                  support_kinds=("permission",))
AREA = RuleSpec(id=5, order=30, name="Centrum", department="economie", areas=("centrum",),
                terms={"markt": 1.0})
RULES = [GROEN, VERKEER, BUDGET, PERMIT, AREA]


def test_text_rule_fires_on_inflections_and_compounds_and_shows_the_words_found() -> None:
    result = evaluate(RULES, Facts(title="Zebrapaden bij school",
                                   description="Er moeten verkeersdrempels komen."))
    assert result.department_codes() == ["verkeer"]
    fired = next(r for r in result.results if r.rule.id == 1)
    found = {e.term: e.found for e in fired.evidence}
    assert found["zebrapad"] == "Zebrapaden"
    assert "drempel" in found and "verkeersdrempels" in found["drempel"].lower()
    text = next(c for c in fired.conditions if c.kind == "text")
    assert text.holds and "Zebrapaden" in text.detail


def test_structural_rules_budget_and_support() -> None:
    facts = Facts(title="Speeltuin", description="Een nieuwe speeltuin.", requested_budget=500,
                  support=("permission",))
    result = evaluate(RULES, facts)
    assert result.department_codes() == ["subsidies", "vergunningen", "openbare-ruimte"]
    budget = next(r for r in result.results if r.rule.id == 3)
    assert budget.conditions[0].kind == "budget" and "€ 500" in budget.conditions[0].detail
    assert not evaluate(RULES, Facts("Speeltuin", "Nieuw.", 0)).results[0].fired


def test_all_conditions_of_a_rule_must_hold() -> None:
    market = Facts(title="Markt", description="Een markt op het plein.", area="west")
    assert "economie" not in evaluate(RULES, market).department_codes()
    in_centre = Facts(title="Markt", description="Een markt op het plein.", area="centrum")
    assert "economie" in evaluate(RULES, in_centre).department_codes()


def test_a_weak_mention_next_to_a_strong_department_does_not_fire() -> None:
    facts = Facts(title="Zebrapad en drempels voor veilig verkeer",
                  description="Een zebrapad, drempels en minder verkeer. Misschien een bankje.")
    result = evaluate(RULES, facts)
    assert result.department_codes() == ["verkeer"]
    groen = next(r for r in result.results if r.rule.id == 2)
    assert groen.score > 0 and not groen.fired


def test_min_score_of_a_rule_is_respected() -> None:
    strict = RuleSpec(id=9, order=1, name="Streng", department="openbare-ruimte",
                      terms={"bankje": 1.0}, min_score=5.0)
    result = evaluate([strict, BUDGET], Facts("Bankje", "Een bankje.", requested_budget=10))
    assert result.department_codes() == ["subsidies"]


def test_fallback_best_text_match_when_nothing_fires() -> None:
    weak = RuleSpec(id=9, order=1, name="Zwak", department="openbare-ruimte",
                    terms={"bankje": 0.5})
    result = evaluate([weak], Facts("Iets", "Misschien een bankje hier."))
    assert result.department_codes() == ["openbare-ruimte"]
    assert any(c.kind == "fallback" for c in result.results[0].conditions)
    assert evaluate([weak], Facts("Iets", "Niets relevants.")).department_codes() == []


def test_learned_deltas_apply_to_configured_terms_and_new_words_to_pure_text_rules() -> None:
    learned = {"verkeer": {"zebrapad": -0.5, "oversteekplaats": 1.0},
               "vergunningen": {"feest": 1.0}}
    adj = rule_adjustments([VERKEER, PERMIT], learned)
    assert adj == {"1": {"zebrapad": -0.5, "oversteekplaats": 1.0}}
    result = evaluate([VERKEER], Facts("Oversteekplaats", "Een veilige oversteekplaats."),
                      learned=learned)
    assert result.department_codes() == ["verkeer"]
    assert result.results[0].evidence[0].kind == "geleerd"


def test_validation_reports_every_problem_at_once() -> None:
    errors = validate_rule(terms={"": 0, "boom": "zwaar"}, min_score=-1,
                           support_kinds=["vliegen"], min_requested_budget=-5, has_areas=False)
    assert set(errors) == {"terms", "min_score", "support_kinds", "min_requested_budget"}
    no_condition = validate_rule(terms={}, min_score=1, support_kinds=[],
                                 min_requested_budget=None, has_areas=False)
    assert "minstens één voorwaarde" in str(no_condition["terms"][0])
    assert validate_rule(terms={"boom": 1}, min_score=1, support_kinds=["money"],
                         min_requested_budget=0, has_areas=False) == {}
