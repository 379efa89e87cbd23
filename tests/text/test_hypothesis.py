"""Arbitrary text never crashes the analysis or the suggester."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from loket.demo.lexicon import carrier_profiles, department_profiles
from loket.text.dutch import Matcher, analyze
from loket.text.scoring import Suggester

SUGGESTER = Suggester(department_profiles(), carrier_profiles())
MATCHER = Matcher(["speeltuin", "te hard rijden", "straat + dicht|afsluiten", "zon"])

budgets = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers())


@settings(max_examples=150, deadline=None)
@given(st.text(), st.text())
def test_analyze_and_match_never_crash(text: str, title: str) -> None:
    a = analyze(text, title=title)
    assert all(t.word for t in a.tokens)
    for m in MATCHER.match(a):
        assert m.term in MATCHER.terms


@settings(max_examples=100, deadline=None)
@given(st.text(), st.text(), budgets)
def test_suggest_never_crashes(title: str, description: str, budget: float | None) -> None:
    s = SUGGESTER.suggest(title, description, budget)
    assert len(s.carriers) == 8
    assert all(0.0 <= c.score <= 1.0 for c in s.carriers)
    assert len([d for d in s.departments if d.code != "subsidies"]) <= 4
