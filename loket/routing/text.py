"""The one adapter between routing and the shared Dutch text module (loket.text).

Routing scores each text rule as a profile of the text module's `Suggester` (stems,
compounds, typos, synonyms, title boost, learned weights) and learns with its
`compute_adjustments`. Nothing else in loket.routing imports loket.text, so a change in
its API stays here.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from loket.text import Profile, Suggester, compute_adjustments
from loket.text.scoring import Settings

_NO_BUDGET_DEPARTMENT = "\0"  # routing handles budget with structural rules, not the scorer


@dataclass(frozen=True)
class TermHit:
    """A configured term found in the text: the term, the words as written, and how."""

    term: str
    found: str
    kind: str  # woord, kop, deel, synoniem, tikfout, samengevoegd, geleerd, ...
    weight: float

    def as_dict(self) -> dict[str, Any]:
        return {"term": self.term, "found": self.found, "kind": self.kind,
                "weight": round(self.weight, 3)}


@dataclass(frozen=True)
class Thresholds:
    """The text module's selection thresholds, so routing selects as it was tuned."""

    relative: float  # a text rule needs this share of the best text score ...
    sure: float  # ... but this score always suffices
    max_text_departments: int


def thresholds() -> Thresholds:
    s = Settings()
    return Thresholds(s.relative_department_score, s.sure_department_score, s.max_departments)


_cache: dict[str, Suggester] = {}
_lock = threading.Lock()


def _suggester(profiles: Mapping[str, Mapping[str, float]],
               adjustments: Mapping[str, Mapping[str, float]], fingerprint: str) -> Suggester:
    """Building a suggester compiles a vocabulary: cache it per configuration fingerprint."""
    with _lock:
        cached = _cache.get(fingerprint)
    if cached is not None:
        return cached
    suggester = Suggester(
        [Profile(code=code, terms=dict(terms)) for code, terms in profiles.items()], [],
        {code: dict(adj) for code, adj in adjustments.items() if adj},
        budget_department=_NO_BUDGET_DEPARTMENT,
    )
    with _lock:
        if len(_cache) > 16:
            _cache.clear()
        _cache[fingerprint] = suggester
    return suggester


def score(profiles: Mapping[str, Mapping[str, float]], title: str, description: str, *,
          adjustments: Mapping[str, Mapping[str, float]] | None = None,
          fingerprint: str | None = None) -> dict[str, tuple[float, list[TermHit]]]:
    """Score every profile (code -> {term: weight}) against a text: (score, evidence)."""
    if not profiles:
        return {}
    adjustments = adjustments or {}
    key = fingerprint or repr((sorted((c, sorted(t.items())) for c, t in profiles.items()),
                               sorted((c, sorted(a.items())) for c, a in adjustments.items())))
    suggestion = _suggester(profiles, adjustments, key).suggest(title, description, None)
    return {
        ranked.code: (ranked.raw, [TermHit(e.term, e.found, e.kind, e.weight)
                                   for e in ranked.evidence])
        for ranked in suggestion.department_scores
    }


def learn(examples: Iterable[Mapping[str, Any]],
          department_profiles: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, float]]:
    """Bounded term-weight deltas per department learned from confirmed routings.

    An example: {"title", "description", "requested_budget", "departments": [codes]}.
    """
    profiles = [Profile(code=code, terms=dict(terms))
                for code, terms in department_profiles.items() if terms]
    if not profiles:
        return {}
    return compute_adjustments(list(examples), profiles, [])
