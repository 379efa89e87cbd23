"""Route initiatives to departments and rank policy carriers, with evidence and learning.

Profiles are plain data supplied by the caller (in the app they come from the database,
in the demo from :mod:`loket.demo.lexicon`): a code, a Dutch name, weighted terms and,
for carriers, a short Dutch clause for the combined message. Scoring is additive and
explainable: every point of a score comes from a matched term that is shown as evidence.

Public API::

    Profile(code: str, name: str = "", terms: dict[str, float] = {},
            phrases: dict[str, float] = {}, goal: str = "", prior: float = 0.0)
    Profile.coerce(value: Profile | Mapping[str, Any], code: str | None = None) -> Profile

    Suggester(dept_profiles, carrier_profiles, adjustments=None, *,
              budget_department="subsidies", settings=None)
        .suggest(title: str, description: str, requested_budget: float | None = None)
            -> Suggestion
    Suggestion.departments        # list[Ranked]: chosen departments, best first
    Suggestion.department_scores  # list[Ranked]: every department, best first
    Suggestion.carriers           # list[Ranked]: every carrier, best first
    Suggestion.department_codes() -> list[str]
    Suggestion.as_dict() -> dict  # JSON: {"departments": [...], "carriers": [{code, score,
                                  #   evidence: [{term, found, kind, weight}], message}], ...}

    compute_adjustments(examples, dept_profiles, carrier_profiles, *, rate=0.3, cap=1.5,
                        epochs=3, new_term_rate=0.15, min_support=2,
                        previous=None) -> dict[str, dict[str, float]]

``dept_profiles`` / ``carrier_profiles`` are a sequence of :class:`Profile` or mappings
with a ``"code"`` key, or a mapping ``code -> Profile | mapping`` (the lexicon's shape).
An example for learning is a mapping with ``title``, ``description``, optional
``requested_budget``, ``departments`` (the final routing), ``carriers`` (accepted
couplings, best first) and optional ``rejected_carriers``. Adjustments map a profile code
to ``{term: delta}``; a delta on a configured term shifts its weight, a term not configured
is a learned term with that weight. They are bounded by ``cap`` and meant to be stored as
JSON and passed back to ``Suggester``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from loket.text.dutch import (
    Analysis,
    Match,
    Matcher,
    Vocabulary,
    analyze,
    default_vocabulary,
    tokenize,
)


@dataclass(frozen=True)
class Settings:
    """Thresholds of the suggester, kept together so a municipality can tune them."""

    title_boost: float = 1.25
    min_department_score: float = 1.0  # about one clear term
    relative_department_score: float = 0.4  # of the best department's score...
    sure_department_score: float = 2.0  # ...but this much always suffices
    max_departments: int = 4
    carrier_scale: float = 2.5  # raw score at which a carrier's score is about 0.63
    # Carrier ranking only (departments keep the logic above; routing shares it):
    # Chosen by leave-one-set-out over our older labelled sets (docs/coupling.md).
    carrier_title_boost: float = 1.5  # the title names what the initiative is
    purpose_boost: float = 1.25  # a word in the goal ("zodat ...", "voor ouderen") counts more
    helper_factor: float = 0.5  # a word naming who helps ("de ouders helpen mee") counts less
    one_count_per_word: bool = True  # a word matching two terms of a carrier counts once


@dataclass
class Profile:
    """A department or carrier: what it is called and which words point to it."""

    code: str
    name: str = ""
    terms: dict[str, float] = field(default_factory=dict)
    phrases: dict[str, float] = field(default_factory=dict)
    goal: str = ""
    prior: float = 0.0  # base score, e.g. for a carrier that fits most initiatives

    @classmethod
    def coerce(cls, value: Profile | Mapping[str, Any], code: str | None = None) -> Profile:
        """Build from a Profile or a plain mapping ({"code", "name", "terms", ...})."""
        if isinstance(value, Profile):
            return value
        return cls(
            code=str(value.get("code") or code or ""),
            name=str(value.get("name") or code or value.get("code") or ""),
            terms={str(t): float(w) for t, w in dict(value.get("terms") or {}).items()},
            phrases={str(t): float(w) for t, w in dict(value.get("phrases") or {}).items()},
            goal=str(value.get("goal") or ""),
            prior=float(value.get("prior") or 0.0),
        )

    def all_terms(self) -> dict[str, float]:
        return {**self.terms, **self.phrases}


def _profiles(value: Any) -> list[Profile]:
    if isinstance(value, Mapping):
        return [Profile.coerce(v, code=str(k)) for k, v in value.items()]
    return [Profile.coerce(v) for v in value]


@dataclass(frozen=True)
class Evidence:
    """One matched term: the configured term, the words found, how, and what it added."""

    term: str
    found: str
    kind: str
    weight: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "found": self.found,
            "kind": self.kind,
            "weight": round(self.weight, 3),
        }


@dataclass
class Ranked:
    """A department or carrier with its score and the evidence behind it."""

    code: str
    name: str
    score: float
    raw: float
    evidence: list[Evidence]
    message: str = ""
    selected: bool = False

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "score": round(self.score, 4),
            "evidence": [e.as_dict() for e in self.evidence],
        }
        if self.message:
            out["message"] = self.message
        return out


@dataclass
class Suggestion:
    """What the suggester proposes for one initiative."""

    departments: list[Ranked]
    department_scores: list[Ranked]
    carriers: list[Ranked]

    def department_codes(self) -> list[str]:
        return [d.code for d in self.departments]

    def carrier_codes(self) -> list[str]:
        return [c.code for c in self.carriers]

    def as_dict(self) -> dict[str, Any]:
        return {
            "departments": self.department_codes(),
            "department_details": [d.as_dict() for d in self.departments],
            "carriers": [c.as_dict() for c in self.carriers],
        }


class _Group:
    """Profiles of one kind (departments or carriers) sharing one matcher."""

    def __init__(
        self,
        profiles: list[Profile],
        adjustments: Mapping[str, Mapping[str, float]],
        vocabulary: Vocabulary,
    ) -> None:
        self.profiles = profiles
        self.weights: dict[str, dict[str, float]] = {}
        self.learned: dict[str, set[str]] = {}
        for p in profiles:
            weights = dict(p.all_terms())
            adj = adjustments.get(p.code, {})
            learned = set()
            for term, delta in adj.items():
                if term in weights:
                    weights[term] = max(0.0, weights[term] + float(delta))
                elif float(delta) > 0:
                    weights[term] = float(delta)
                    learned.add(term)
            self.weights[p.code] = weights
            self.learned[p.code] = learned
        terms = [t for w in self.weights.values() for t in w]
        self.matcher = Matcher(terms, vocabulary, extend=False)

    def score(
        self, analysis: Analysis, settings: Settings, *, carriers: bool = False
    ) -> list[tuple[Profile, float, list[Evidence]]]:
        """Every profile's raw score and evidence.

        ``carriers`` switches on the ranking refinements of :class:`Settings` that concern
        coupling only (title, purpose, helpers, one count per word); departments are scored
        exactly as routing expects.
        """
        matches: dict[str, Match] = {m.term: m for m in self.matcher.match(analysis)}
        title_boost = settings.carrier_title_boost if carriers else settings.title_boost
        out = []
        for p in self.profiles:
            best: dict[str, Evidence] = {}  # one per word key: word forms count once
            tokens_of: dict[str, tuple[int, ...]] = {}
            for term, weight in self.weights[p.code].items():
                m = matches.get(term)
                if m is None or weight <= 0:
                    continue
                value = weight * m.factor * (title_boost if m.in_title else 1.0)
                kind = "geleerd" if term in self.learned[p.code] else m.kind
                if m.venue and kind != "geleerd":
                    kind = "plaats"
                if (
                    carriers
                    and settings.purpose_boost != 1.0
                    and not m.in_title
                    and m.tokens
                    and all(t in analysis.purposes for t in m.tokens)
                ):
                    value *= settings.purpose_boost
                    if kind in ("woord", "synoniem", "tikfout", "zinsdeel", "combinatie"):
                        kind = "doel"
                elif (
                    carriers
                    and settings.helper_factor != 1.0
                    and m.tokens
                    and all(t in analysis.helpers for t in m.tokens)
                ):
                    value *= settings.helper_factor
                    kind = "helpers"
                k = self.matcher.term_key(term)
                if k not in best or value > best[k].weight:
                    best[k] = Evidence(term, m.found, kind, value)
                    tokens_of[k] = m.tokens
            if carriers and settings.one_count_per_word:
                best = _one_per_word(best, tokens_of)
            evidence = sorted(best.values(), key=lambda e: (-e.weight, e.term))
            raw = sum(e.weight for e in evidence) + p.prior
            out.append((p, raw, evidence))
        return out


def _one_per_word(
    best: dict[str, Evidence], tokens_of: Mapping[str, tuple[int, ...]]
) -> dict[str, Evidence]:
    """Keep, for every single word of the text, only its strongest term.

    "kids" matches both "kids" and (as a synonym) "kinderen", "dorpshuis" both "dorpshuis"
    and "buurthuis": one word is one piece of evidence. Phrases and combinations (several
    words) are left alone.
    """
    kept: dict[str, Evidence] = {}
    by_token: dict[int, str] = {}
    for k, e in sorted(best.items(), key=lambda kv: (-kv[1].weight, kv[0])):
        toks = tokens_of.get(k, ())
        if len(toks) == 1 and toks[0] in by_token:
            continue
        if len(toks) == 1:
            by_token[toks[0]] = k
        kept[k] = e
    return kept


def _join_nl(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def combined_message(title: str, carrier: Profile, evidence: Sequence[Evidence]) -> str:
    """One Dutch sentence coupling the initiative to a carrier (seed 003, §2.3 exercise)."""
    subject = f"Het initiatief ‘{title.strip()}’" if title.strip() else "Dit initiatief"
    name = carrier.name or carrier.code
    if not evidence:
        return f"{subject} heeft (nog) geen duidelijke aanknopingspunten met {name}."
    found = list(dict.fromkeys(e.found.lower() for e in evidence))[:4]
    goal = carrier.goal.strip().rstrip(".") or "het sluit aan bij deze beleidsopgave"
    return f"{subject} draagt bij aan {name}: {goal} (aanknopingspunten: {_join_nl(found)})."


class Suggester:
    """Suggests departments and ranks carriers for an initiative; see the module docstring."""

    def __init__(
        self,
        dept_profiles: Any,
        carrier_profiles: Any,
        adjustments: Mapping[str, Mapping[str, float]] | None = None,
        *,
        budget_department: str = "subsidies",
        settings: Settings | None = None,
    ) -> None:
        self.settings = settings or Settings()
        self.budget_department = budget_department
        adjustments = adjustments or {}
        depts = _profiles(dept_profiles)
        carriers = _profiles(carrier_profiles)
        words: list[str] = []
        for p in [*depts, *carriers]:
            for term in [*p.all_terms(), *adjustments.get(p.code, {})]:
                words.extend(tokenize(term))
        self.vocabulary = default_vocabulary().extended(words)
        self.departments = _Group(depts, adjustments, self.vocabulary)
        self.carriers = _Group(carriers, adjustments, self.vocabulary)

    def analyze(self, title: str, description: str) -> Analysis:
        return analyze(description or "", title=title or "", vocabulary=self.vocabulary)

    def suggest(
        self, title: str, description: str, requested_budget: float | None = None
    ) -> Suggestion:
        """Departments (multi-label, with evidence) and all carriers ranked best first."""
        s = self.settings
        analysis = self.analyze(title, description)
        dept_scores = self.departments.score(analysis, s)
        budget_known = requested_budget is not None
        ranked_depts: list[Ranked] = []
        for p, raw, evidence in dept_scores:
            if p.code == self.budget_department and budget_known:
                amount = float(requested_budget or 0)
                evidence = (
                    [
                        Evidence(
                            "aangevraagd budget",
                            f"€ {amount:,.0f}".replace(",", "."),
                            "budget",
                            10.0,
                        )
                    ]
                    if amount > 0
                    else []
                )
                raw = 10.0 if amount > 0 else 0.0
            ranked_depts.append(
                Ranked(p.code, p.name or p.code, 1 - math.exp(-raw / 2.0), raw, evidence)
            )
        order = {p.code: i for i, p in enumerate(self.departments.profiles)}
        ranked_depts.sort(key=lambda r: (-r.raw, order[r.code]))
        sector = [r for r in ranked_depts if r.code != self.budget_department]
        top = sector[0].raw if sector else 0.0
        for r in sector:
            needed = max(
                s.min_department_score,
                min(s.relative_department_score * top, s.sure_department_score),
            )
            if r.raw >= needed and sum(x.selected for x in sector) < s.max_departments:
                r.selected = True
        if sector and top > 0 and not any(r.selected for r in sector):
            sector[0].selected = True  # every initiative goes somewhere
        for r in ranked_depts:
            if r.code == self.budget_department:
                r.selected = r.raw >= (0.01 if budget_known else s.min_department_score)
        chosen = [r for r in ranked_depts if r.selected]

        title_text = title or ""
        carriers: list[Ranked] = []
        corder = {p.code: i for i, p in enumerate(self.carriers.profiles)}
        for p, raw, evidence in self.carriers.score(analysis, s, carriers=True):
            score = 1 - math.exp(-raw / s.carrier_scale)
            carriers.append(
                Ranked(
                    p.code,
                    p.name or p.code,
                    score,
                    raw,
                    evidence,
                    combined_message(title_text, p, evidence),
                )
            )
        carriers.sort(key=lambda r: (-r.raw, corder[r.code]))
        return Suggestion(chosen, ranked_depts, carriers)


def compute_adjustments(
    examples: Iterable[Mapping[str, Any]],
    dept_profiles: Any,
    carrier_profiles: Any,
    *,
    rate: float = 0.3,
    cap: float = 1.5,
    epochs: int = 3,
    new_term_rate: float = 0.15,
    min_support: int = 2,
    previous: Mapping[str, Mapping[str, float]] | None = None,
) -> dict[str, dict[str, float]]:
    """Learn bounded term-weight deltas from confirmed routings and couplings.

    Mistake-driven (perceptron-style) so that what already works is left alone:
    - a department in the final routing that was not suggested: its matched terms gain
      ``rate``, and the text's content words become candidate learned terms;
    - a suggested department that was removed: its matched terms lose ``rate``;
    - an accepted carrier outside the top three, or a wrong first carrier: the same, for
      the accepted carrier up and the wrongly first (or rejected) carrier down.
    Learned words count only once they were seen for the same code in ``min_support``
    different examples, so one odd initiative cannot teach a word. Every delta stays within
    ``[-cap, cap]``; the result is deterministic for the same input.
    """
    examples = list(examples)
    adj: dict[str, dict[str, float]] = {c: dict(t) for c, t in (previous or {}).items()}
    support: dict[tuple[str, str], set[int]] = {}
    candidate: dict[tuple[str, str], float] = {}

    def bump(code: str, term: str, delta: float) -> None:
        bucket = adj.setdefault(code, {})
        bucket[term] = max(-cap, min(cap, bucket.get(term, 0.0) + delta))

    def learn_words(code: str, words: Iterable[str], idx: int) -> None:
        for w in dict.fromkeys(words):
            support.setdefault((code, w), set()).add(idx)
            candidate[(code, w)] = min(cap, candidate.get((code, w), 0.0) + new_term_rate)

    budget_dept = "subsidies"
    for _ in range(max(1, epochs)):
        current = _with_learned(adj, support, candidate, min_support)
        suggester = Suggester(dept_profiles, carrier_profiles, current)
        budget_dept = suggester.budget_department
        configured = {
            p.code: set(p.all_terms())
            for p in [*suggester.departments.profiles, *suggester.carriers.profiles]
        }
        changed = False
        for idx, ex in enumerate(examples):
            title = str(ex.get("title") or "")
            description = str(ex.get("description") or "")
            sug = suggester.suggest(title, description, ex.get("requested_budget"))
            words = [w for w in suggester.analyze(title, description).content_words if len(w) >= 4]
            by_code = {r.code: r for r in sug.department_scores}
            gold = {d for d in ex.get("departments") or () if d != budget_dept}
            predicted = {d for d in sug.department_codes() if d != budget_dept}
            for code in sorted(gold - predicted):
                if code in by_code:
                    changed = True
                    for e in by_code[code].evidence:
                        bump(code, e.term, rate)
                    learn_words(code, (w for w in words if w not in configured[code]), idx)
            for code in sorted(predicted - gold):
                changed = True
                for e in by_code[code].evidence:
                    bump(code, e.term, -rate)
            accepted = [c for c in ex.get("carriers") or () if c in configured]
            rejected = set(ex.get("rejected_carriers") or ())
            ranking = sug.carriers
            cby = {r.code: r for r in ranking}
            top3 = [r.code for r in ranking[:3]]
            raise_codes = [c for c in accepted if c not in top3]
            lower_codes = [r for r in top3 if r in rejected]
            if accepted and ranking and ranking[0].code not in accepted:
                raise_codes = list(dict.fromkeys([accepted[0], *raise_codes]))
                lower_codes = list(dict.fromkeys([ranking[0].code, *lower_codes]))
            for code in raise_codes:
                changed = True
                for e in cby[code].evidence:
                    bump(code, e.term, rate)
                learn_words(code, (w for w in words if w not in configured[code]), idx)
            for code in lower_codes:
                changed = True
                for e in cby[code].evidence:
                    bump(code, e.term, -rate)
        if not changed:
            break
    final = _with_learned(adj, support, candidate, min_support)
    return {
        c: {t: round(v, 3) for t, v in sorted(terms.items()) if abs(v) >= 1e-9}
        for c, terms in sorted(final.items())
        if any(abs(v) >= 1e-9 for v in terms.values())
    }


def _with_learned(
    adj: Mapping[str, Mapping[str, float]],
    support: Mapping[tuple[str, str], set[int]],
    candidate: Mapping[tuple[str, str], float],
    min_support: int,
) -> dict[str, dict[str, float]]:
    out = {c: dict(t) for c, t in adj.items()}
    for (code, word), value in candidate.items():
        if len(support.get((code, word), ())) >= min_support:
            bucket = out.setdefault(code, {})
            bucket[word] = bucket.get(word, 0.0) + value
    return out
