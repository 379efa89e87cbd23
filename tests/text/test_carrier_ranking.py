"""Carrier ranking: one count per word, purpose and helpers, title, base-rate priors.

These refinements concern coupling only; department scores (which routing shares) must not
move when they are tuned.
"""

from __future__ import annotations

import dataclasses

import pytest

from loket.demo.lexicon import carrier_profiles, department_profiles
from loket.text import analyze
from loket.text.scoring import Profile, Settings, Suggester


@pytest.fixture(scope="module")
def suggester() -> Suggester:
    return Suggester(department_profiles(), carrier_profiles())


def _words(analysis, indices) -> list[str]:  # type: ignore[no-untyped-def]
    return [analysis.tokens[i].word for i in sorted(indices)]


def test_a_word_matching_two_terms_of_a_carrier_counts_once() -> None:
    carriers = [Profile("jeugd", "Jeugd", {"kids": 2.0, "kinderen": 2.5})]
    once = Suggester({}, carriers).suggest("", "iets voor de kids", 0).carriers[0]
    assert [e.found for e in once.evidence] == ["kids"]
    assert once.raw == pytest.approx(max(e.weight for e in once.evidence))
    twice = Suggester({}, carriers, settings=Settings(one_count_per_word=False))
    assert len(twice.suggest("", "iets voor de kids", 0).carriers[0].evidence) == 2


def test_a_phrase_and_its_word_still_both_count() -> None:
    carriers = [Profile("samen", "Samen", {"elkaar": 1.0, "elkaar leren kennen": 3.0})]
    top = Suggester({}, carriers).suggest("", "zodat we elkaar leren kennen", 0).carriers[0]
    assert {e.term for e in top.evidence} == {"elkaar", "elkaar leren kennen"}


def test_purpose_clauses_and_beneficiaries_are_marked() -> None:
    a = analyze("we zetten bakken neer, zodat mensen in een rolstoel kunnen tuinieren")
    assert {"rolstoel", "tuinieren"} <= set(_words(a, a.purposes))
    assert "bakken" not in _words(a, a.purposes)
    a = analyze("we organiseren een middag om eenzaamheid tegen te gaan")
    assert "eenzaamheid" in _words(a, a.purposes)
    a = analyze("een middag om 3 uur in de zaal")  # "om" without "te" is a time
    assert not a.purposes
    a = analyze("een sportdag voor kinderen met een beperking, in de zomer")
    assert {"kinderen", "beperking"} <= set(_words(a, a.purposes))
    assert "zomer" not in _words(a, a.purposes)


def test_a_word_in_the_purpose_counts_more_and_says_so() -> None:
    carriers = [Profile("inclusie", "Inclusie", {"rolstoel": 3.0})]
    s = Suggester({}, carriers)
    goal = s.suggest("", "bakken neerzetten, zodat mensen in een rolstoel tuinieren", 0)
    means = s.suggest("", "bakken neerzetten. mensen in een rolstoel tuinieren", 0)
    assert goal.carriers[0].evidence[0].kind == "doel"
    assert goal.carriers[0].raw > means.carriers[0].raw


def test_helpers_are_the_means_not_the_target_group() -> None:
    a = analyze("Kinderen van de basisschool komen helpen. Studenten helpen kinderen.")
    helpers = _words(a, a.helpers)
    assert helpers.count("kinderen") == 1 and "studenten" in helpers  # only the first
    assert not analyze("buren die elkaar helpen").helpers
    carriers = [Profile("jeugd", "Jeugd", {"kinderen": 2.5})]
    top = Suggester({}, carriers).suggest("", "de kinderen helpen mee", 0).carriers[0]
    assert top.evidence[0].kind == "helpers" and top.raw == pytest.approx(1.25)


def test_an_initiative_for_wheelchair_users_that_children_help_with_is_inclusion(
    suggester: Suggester,
) -> None:
    s = suggester.suggest(
        "Hoge plantenbakken bij het zorgcentrum",
        "We willen hoge plantenbakken op het terras zetten, zodat bewoners in een rolstoel "
        "zelf kunnen tuinieren. Kinderen uit de straat helpen mee.",
        0,
    )
    assert s.carrier_codes()[0] == "inclusie"
    assert s.carriers[0].evidence[0].kind == "doel"  # rolstoel, in the purpose
    jeugd = next(c for c in s.carriers if c.code == "gezond-opgroeien")
    assert [e.kind for e in jeugd.evidence] == ["helpers"]
    assert s.carrier_codes().index("gezond-opgroeien") >= 2


def test_the_title_weighs_more_for_carriers_than_for_departments() -> None:
    carriers = [Profile("a", "A", {"feest": 2.0}), Profile("b", "B", {"kinderen": 2.0})]
    s = Suggester({}, carriers).suggest("Feest", "met iets voor kinderen", 0)
    assert s.carrier_codes()[0] == "a"
    assert s.carriers[0].raw == pytest.approx(2.0 * Settings().carrier_title_boost)


def test_carriers_without_evidence_follow_their_base_rate_prior(suggester: Suggester) -> None:
    s = suggester.suggest("Iets", "wij hebben een idee", 0)
    assert all(not c.evidence for c in s.carriers)
    assert s.carrier_codes()[:3] == ["sociale-cohesie", "gezonde-wijk", "gezond-opgroeien"]
    # A single clear term still beats any prior but the broad "Samen in de wijk" one.
    zon = suggester.suggest("", "zonnepanelen", 0)
    assert zon.carrier_codes()[0] == "energietransitie"


def test_carrier_settings_leave_department_scores_alone() -> None:
    text = (
        "Speeltuin voor de kids",
        "zodat kinderen veilig spelen; de ouders helpen mee en de straat gaat dicht",
        250,
    )
    default = Suggester(department_profiles(), carrier_profiles()).suggest(*text)
    extreme = dataclasses.replace(
        Settings(),
        carrier_title_boost=4.0,
        purpose_boost=3.0,
        helper_factor=0.1,
        one_count_per_word=False,
    )
    other = Suggester(department_profiles(), carrier_profiles(), settings=extreme).suggest(*text)
    assert [(d.code, d.raw) for d in other.department_scores] == [
        (d.code, d.raw) for d in default.department_scores
    ]
    assert other.department_codes() == default.department_codes()
    assert [c.raw for c in other.carriers] != [c.raw for c in default.carriers]
