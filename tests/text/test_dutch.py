"""Dutch analysis: folding, stemming, compounds, typos, informal words, matching evidence."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from loket.text.dutch import (
    Matcher,
    Vocabulary,
    analyze,
    default_vocabulary,
    fold,
    key,
    match_key,
    stem,
    tokenize,
)


def _matches(terms: list[str], text: str) -> dict[str, tuple[str, str]]:
    return {m.term: (m.found, m.kind) for m in Matcher(terms).match(text)}


def test_fold_strips_accents_and_case() -> None:
    assert fold("Coöperatie CAFÉ") == "cooperatie cafe"


def test_tokenize_keeps_apostrophe_words_and_splits_hyphens() -> None:
    assert tokenize("Auto's op de 30-kilometerzone!") == [
        "autos",
        "op",
        "de",
        "30",
        "kilometerzone",
    ]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("drempels", "drempel"),
        ("zonnepanelen", "zonnepaneel"),
        ("zonnepaneeltjes", "zonnepanelen"),
        ("bomen", "boom"),
        ("fietsen", "fiets"),
        ("huizen", "huis"),
        ("straten", "straat"),
        ("bankjes", "bank"),
    ],
)
def test_word_forms_share_a_key(a: str, b: str) -> None:
    assert key(a) == key(b)


@pytest.mark.parametrize(("a", "b"), [("gezond", "zon"), ("ouders", "ouderen"), ("kind", "kant")])
def test_different_words_keep_different_keys(a: str, b: str) -> None:
    # The newer Snowball "dutch" stemmer strips ge- (gezond -> zon); the classic one is used.
    assert key(a) != key(b)


def test_stem_is_the_dutch_porter_stem() -> None:
    assert stem("vergroenen") == "vergroen"
    assert stem("bewoners") == "bewoner"


@pytest.mark.parametrize(
    ("word", "parts"),
    [
        ("buurtmoestuin", ("buurt", "moes", "tuin")),
        ("fietscrossbaan", ("fiets", "cross", "baan")),
        ("speeltuin", ("spelen", "tuin")),
        ("zonnedaken", ("zon", "dak")),
        ("verkeersdrempel", ("verkeer", "drempel")),  # linking -s-
        ("ontmoetingsplek", ("ontmoeting", "plek")),
        ("boerentrekkers", ("boeren", "trekker")),  # plural modifier, inflected head
    ],
)
def test_compound_splitting(word: str, parts: tuple[str, ...]) -> None:
    assert default_vocabulary().split(word) == parts


def test_unknown_word_is_not_split() -> None:
    assert default_vocabulary().split("bibliotheek") == ("bibliotheek",)


def test_analysis_exposes_tokens_stems_compounds_and_terms() -> None:
    a = analyze("De buurtmoestuin bij de Drempels", title="Groen")
    assert [t.word for t in a.tokens][:2] == ["groen", "de"]
    assert a.tokens[0].in_title and not a.tokens[2].in_title
    assert a.compounds["buurtmoestuin"] == ("buurt", "moes", "tuin")
    assert "drempel" in a.stems
    assert {key("moestuin"), key("tuin"), key("drempel")} <= a.terms
    assert "de" not in a.content_words


def test_compound_head_and_modifier_matches_carry_their_kind() -> None:
    found = _matches(["moestuin", "buurt"], "wij willen een buurtmoestuin")
    assert found == {"moestuin": ("buurtmoestuin", "kop"), "buurt": ("buurtmoestuin", "deel")}


def test_part_of_a_longer_match_is_dropped() -> None:
    found = _matches(["moestuin", "tuin", "fietspad", "pad"], "buurtmoestuin langs het fietspad")
    assert set(found) == {"moestuin", "fietspad"}


def test_a_part_still_counts_where_it_stands_alone() -> None:
    found = _matches(["moestuin", "tuin"], "een moestuin en een tuin")
    assert set(found) == {"moestuin", "tuin"}
    assert found["tuin"] == ("tuin", "woord")


def test_no_capitals_and_all_capitals_match_alike() -> None:
    # The term is reported as configured, the word as written.
    assert _matches(["Zebrapad"], "ZEBRAPAD bij school") == {"Zebrapad": ("ZEBRAPAD", "woord")}
    assert _matches(["zebrapad"], "zebrapad bij school") == {"zebrapad": ("zebrapad", "woord")}


def test_inflected_forms_match_as_words() -> None:
    assert _matches(["drempel"], "graag drempels in de straat") == {
        "drempel": ("drempels", "woord")
    }
    assert _matches(["zonnepanelen"], "zonnepaneeltjes op het dak") == {
        "zonnepanelen": ("zonnepaneeltjes", "woord")
    }


@pytest.mark.parametrize(
    ("text", "term"),
    [
        ("skatbaan", "skatebaan"),
        ("een buurtmoestiun", "moestuin"),
        ("zonnepanleen", "zonnepanelen"),
    ],
)
def test_typos_in_longer_words_are_tolerated(text: str, term: str) -> None:
    found = _matches([term], text)
    assert found[term][1] == "tikfout"


def test_short_words_and_inflections_are_not_typo_corrected() -> None:
    assert _matches(["trekkers"], "we trekken samen op") == {}
    assert _matches(["stoep"], "een stoel") == {}


def test_informal_words() -> None:
    assert _matches(["kinderen"], "de kids spelen hier")["kinderen"] == ("kids", "synoniem")
    assert _matches(["jongeren"], "hangjongeren bij de snackbar")["jongeren"][1] == "kop"
    assert _matches(["jeu de boules"], "een baan voor Jeu de Boules")["jeu de boules"][1] == (
        "zinsdeel"
    )
    assert _matches(["barbecue"], "bbq op het plein") == {"barbecue": ("bbq", "synoniem")}


def test_compound_written_apart_matches() -> None:
    assert _matches(["speeltuin"], "de speel tuin is kapot") == {
        "speeltuin": ("speel tuin", "samengevoegd")
    }


def test_stopwords_do_not_match_content_terms() -> None:
    # "het" stems like "heet", "bij" like "bijen".
    assert _matches(["heet", "bijen"], "het is bij de school") == {}
    assert _matches(["bijen"], "een hotel voor bijen") == {"bijen": ("bijen", "woord")}


def test_a_term_may_be_a_stopword() -> None:
    assert _matches(["samen"], "Samen de buurt in") == {"samen": ("Samen", "woord")}


def test_phrase_words_must_be_near_each_other() -> None:
    assert "te hard rijden" in _matches(["te hard rijden"], "auto's rijden veel te hard")
    far = "te veel mensen rijden door de straat naar school en dat gaat hard"
    assert _matches(["te hard rijden"], far) == {}


def test_combination_needs_every_part_and_takes_alternatives() -> None:
    term = "straat + afsluiten|dicht"
    assert _matches([term], "de straat moet die middag dicht")[term] == (
        "straat … dicht",
        "combinatie",
    )
    assert _matches([term], "de straat is mooi") == {}
    assert _matches([term], "de deur moet dicht") == {}


def test_combination_parts_are_not_reported_on_their_own() -> None:
    assert _matches(["straat + dicht"], "onze straat") == {}


def test_title_matches_are_marked() -> None:
    (m,) = Matcher(["speeltuin"]).match("ouders willen helpen", title="Speeltuin opknappen")
    assert m.in_title and m.found == "Speeltuin"


def test_vocabulary_extension_lets_new_compounds_split() -> None:
    base = Vocabulary(["buurt"])
    assert base.split("buurtkompost") == ("buurtkompost",)
    assert base.extended(["kompost"]).split("buurtkompost") == ("buurt", "kompost")


def test_match_key_marks_stopwords() -> None:
    assert match_key("het") == "=het"
    assert match_key("heet") == key("heet")


def test_loket_text_does_not_import_django() -> None:
    root = Path(__file__).resolve().parents[2] / "loket" / "text"
    for path in root.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n.split(".")[0] == "django" for n in names), path
