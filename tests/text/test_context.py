"""Context in the analysis: venue versus subject, "already have / not needed" clauses, and
departments implied by combinations (structure + public ground, target groups)."""

from __future__ import annotations

import pytest

from loket.demo.lexicon import carrier_profiles, department_profiles
from loket.text.dutch import VENUE_FACTOR, Matcher, analyze
from loket.text.scoring import Profile, Suggester


@pytest.fixture(scope="module")
def suggester() -> Suggester:
    return Suggester(department_profiles(), carrier_profiles())


def _words(text: str, attr: str) -> list[str]:
    a = analyze(text)
    return [a.tokens[i].word for i in sorted(getattr(a, attr))]


@pytest.mark.parametrize(
    ("text", "venues"),
    [
        ("elke dinsdag koffie in het buurthuis", ["buurthuis"]),
        ("In de kantine van de voetbalclub koken we samen", ["kantine", "voetbalclub"]),
        ("bij ons oude dorpshuis", ["dorpshuis"]),
        ("sportweek in sportkantine de Bongerd", ["sportkantine"]),  # compound head
        ("het buurthuis opknappen en in zelfbeheer nemen", []),  # the building is the subject
        ("zonnepanelen op het dak van de gemeentelijke sporthal", []),  # "dak" is no venue
        ("een taalcafe in de bibliotheek", []),  # an institution, not a room
        ("een skatebaan in het park", []),  # public ground is never a mere venue
    ],
)
def test_venue_is_a_building_after_a_locative(text: str, venues: list[str]) -> None:
    assert _words(text, "venues") == venues


def test_a_venue_match_counts_for_a_fraction_and_says_so() -> None:
    profiles = [Profile("vastgoed", terms={"buurthuis": 2.0}), Profile("x", terms={"y": 1.0})]
    s = Suggester(profiles, [], budget_department="none")
    venue = {r.code: r for r in s.suggest("", "koffie in het buurthuis", 0).department_scores}
    subject = {r.code: r for r in s.suggest("", "het buurthuis opknappen", 0).department_scores}
    assert venue["vastgoed"].raw == pytest.approx(2.0 * VENUE_FACTOR)
    assert venue["vastgoed"].evidence[0].kind == "plaats"
    assert subject["vastgoed"].raw == pytest.approx(2.0)


def test_a_combination_keeps_its_weight_on_a_venue() -> None:
    m = Matcher(["buurthuis + zelfbeheer"])
    (match,) = m.match("wij willen zelfbeheer in het buurthuis")
    assert match.kind == "combinatie" and match.factor == 1.0


def test_venues_stop_pulling_in_building_departments(suggester: Suggester) -> None:
    text = "Elke week een kookavond voor mensen met weinig geld in het buurthuis."
    assert "vastgoed" not in suggester.suggest("Samen koken", text, 0).department_codes()
    text = "Het buurthuis staat leeg. Wij willen het in zelfbeheer nemen en opknappen."
    assert "vastgoed" in suggester.suggest("Buurthuis", text, 0).department_codes()


@pytest.mark.parametrize(
    ("text", "ignored"),
    [
        ("we hebben al buurtbudget gekregen. zebrapad graag", ["we", "hebben", "al",
                                                              "buurtbudget", "gekregen"]),
        ("geld is niet nodig", ["geld", "is", "niet", "nodig"]),
        ("van de gemeente hoeft er geen geld bij", ["van", "de", "gemeente", "hoeft", "er",
                                                   "geen", "geld", "bij"]),
        ("we hebben al jaren last van hardrijders", []),  # "al jaren": a complaint
        ("ik zorg al 6 jaar voor mijn man", []),
        ("er is geen zebrapad", []),  # a missing thing is what is asked for
        ("we hebben al een groep en willen een moestuin", ["we", "hebben", "al", "een",
                                                          "groep"]),
    ],
)
def test_already_have_or_not_needed_clauses_are_ignored(text: str, ignored: list[str]) -> None:
    assert _words(text, "ignored") == ignored


def test_money_already_received_does_not_ask_for_money(suggester: Suggester) -> None:
    text = "Graag een zebrapad bij de school. We hebben al buurtbudget gekregen."
    assert "subsidies" not in suggester.suggest("Zebrapad", text, None).department_codes()
    asked = "Graag een zebrapad bij de school. We vragen buurtbudget aan."
    assert "subsidies" in suggester.suggest("Zebrapad", asked, None).department_codes()


@pytest.mark.parametrize(
    ("title", "text", "department"),
    [
        # A structure on public ground needs public space, even when sport dominates.
        ("skatebaan", "wij willen een skatebaan in het park", "openbare-ruimte"),
        ("", "graag een bushokje in het centrum, nu staan we in de regen", "openbare-ruimte"),
        # A new sport structure on open ground must fit the zoning plan.
        ("skatebaan", "wij willen een skatebaan in het park", "omgevingsplan"),
        # Welfare when the initiative is for a target group, also without care words.
        ("", "veel mensen zitten de hele dag alleen achter de geraniums", "sociaal-domein"),
        ("", "een kookavond voor mensen met een kleine beurs", "sociaal-domein"),
        ("", "gym op muziek voor 70-plussers, zodat ze fit blijven", "sociaal-domein"),
    ],
)
def test_implied_departments(suggester: Suggester, title: str, text: str,
                             department: str) -> None:
    assert department in suggester.suggest(title, text, 0).department_codes()


def test_elderly_in_passing_is_not_welfare(suggester: Suggester) -> None:
    text = "Een zebrapad bij de school: kinderen, ouders en ouderen steken daar over."
    assert "sociaal-domein" not in suggester.suggest("Zebrapad", text, 0).department_codes()


def test_gym_is_exercise_not_a_building(suggester: Suggester) -> None:
    codes = suggester.suggest("", "twee keer per week gym op muziek voor ouderen", 0)
    assert "vastgoed" not in codes.department_codes()
    assert "sport-cultuur" in codes.department_codes()


def test_an_unchanged_configuration_reuses_the_compiled_vocabulary() -> None:
    first = Suggester(department_profiles(), carrier_profiles())
    second = Suggester(department_profiles(), carrier_profiles())
    assert second.vocabulary is first.vocabulary
    other = Suggester([Profile("a", terms={"kabouterpad": 2.0})], [])
    assert other.vocabulary is not first.vocabulary and "kabouterpad" in other.vocabulary
    text = ("Buurtmoestuin", "op het braakliggende veld willen we een moestuin, in het "
            "buurthuis houden we de les", 300)
    assert first.suggest(*text).as_dict() == second.suggest(*text).as_dict()
