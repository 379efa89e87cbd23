"""Evaluating routing rules: which rules fire for an initiative, and why (no database).

Rules are ordered data (see models.RoutingRule). The text condition is scored through the
shared Dutch text module (via the adapter in .text); to keep a long story from dragging in
every department that is mentioned in passing, a text condition also needs a score of at
least `relative` times the best text score of this initiative (capped at `sure`: a score
that high always suffices), and at most `max_text_departments` departments come from text
(the text module's tuned thresholds). If no rule fires at all, the best-scoring text rule
fires as a fallback: every initiative goes somewhere, and the broker corrects it during
intake.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _g
from django.utils.translation import gettext_lazy as _

from . import text

MAX_TERM_WEIGHT = 10.0
MAX_TERMS = 300


@dataclass(frozen=True)
class RuleSpec:
    """A rule as plain data (loaded by selectors.rule_specs)."""

    id: int
    order: int
    name: str
    department: str  # code
    department_name: str = ""
    explanation: str = ""
    terms: Mapping[str, float] = field(default_factory=dict)
    min_score: float = 1.0
    support_kinds: Sequence[str] = ()
    min_requested_budget: int | None = None
    areas: Sequence[str] = ()  # area codes
    learns: bool = True

    @property
    def text_only(self) -> bool:
        return bool(self.terms) and not (self.support_kinds or self.areas
                                         or self.min_requested_budget is not None)


@dataclass(frozen=True)
class Facts:
    """What routing looks at in an initiative."""

    title: str = ""
    description: str = ""
    requested_budget: int = 0
    support: Sequence[str] = ()
    area: str | None = None  # area code


@dataclass
class Condition:
    kind: str  # text, support, budget, area, fallback
    holds: bool
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "holds": self.holds, "detail": self.detail}


@dataclass
class RuleResult:
    rule: RuleSpec
    fired: bool
    conditions: list[Condition]
    score: float = 0.0
    evidence: list[text.TermHit] = field(default_factory=list)

    def reason(self) -> dict[str, Any]:
        """The stored, explainable reason of a fired rule."""
        return {
            "rule_id": self.rule.id, "rule": self.rule.name,
            "explanation": self.rule.explanation,
            "conditions": [c.as_dict() for c in self.conditions if c.holds],
            "score": round(self.score, 3),
            "evidence": [e.as_dict() for e in self.evidence],
        }

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule_id": self.rule.id, "rule": self.rule.name, "order": self.rule.order,
            "department": self.rule.department, "fired": self.fired,
            "explanation": self.rule.explanation,
            "conditions": [c.as_dict() for c in self.conditions],
            "score": round(self.score, 3),
            "evidence": [e.as_dict() for e in self.evidence],
        }


@dataclass
class DepartmentProposal:
    department: str
    score: float
    reasons: list[dict[str, Any]]


@dataclass
class Evaluation:
    results: list[RuleResult]
    departments: list[DepartmentProposal]

    def department_codes(self) -> list[str]:
        return [d.department for d in self.departments]


def rule_adjustments(rules: Iterable[RuleSpec],
                     learned: Mapping[str, Mapping[str, float]]) -> dict[str, dict[str, float]]:
    """Department-level learned deltas -> per-rule deltas (keyed by rule id as text).

    A delta on a configured term applies to every learning rule of the department with
    that term; a newly learned word applies only to the department's pure text rules (a
    rule that also asks for, say, a permission keeps its narrow meaning).
    """
    rules = list(rules)
    configured: dict[str, set[str]] = {}
    for r in rules:
        configured.setdefault(r.department, set()).update(r.terms)
    out: dict[str, dict[str, float]] = {}
    for r in rules:
        deltas = learned.get(r.department) or {}
        if not (r.learns and r.terms and deltas):
            continue
        mine = {t: float(d) for t, d in deltas.items()
                if t in r.terms or (r.text_only and t not in configured[r.department])}
        if mine:
            out[str(r.id)] = mine
    return out


def _money(amount: int) -> str:
    return f"€ {amount:,}".replace(",", ".")


def evaluate(rules: Iterable[RuleSpec], facts: Facts, *,
             learned: Mapping[str, Mapping[str, float]] | None = None,
             thresholds: text.Thresholds | None = None, fingerprint: str | None = None,
             support_labels: Mapping[str, str] | None = None) -> Evaluation:
    """Evaluate ordered rules against an initiative; departments in the order of their
    first firing rule."""
    rules = sorted(rules, key=lambda r: (r.order, r.id))
    limits = thresholds or text.thresholds()
    labels = support_labels or {}
    profiles = {str(r.id): dict(r.terms) for r in rules if r.terms}
    adjustments = rule_adjustments(rules, learned or {})
    scores = text.score(profiles, facts.title, facts.description, adjustments=adjustments,
                        fingerprint=fingerprint and f"{fingerprint}:{sorted(adjustments)}")
    best = max((s for s, _e in scores.values()), default=0.0)
    relative_needed = min(limits.relative * best, limits.sure)
    # The strongest text departments first, at most max_text_departments of them.
    strong: dict[str, float] = {}
    for r in rules:
        value = scores.get(str(r.id), (0.0, []))[0]
        if r.terms and value > 0 and value >= max(r.min_score, relative_needed):
            strong[r.department] = max(strong.get(r.department, 0.0), value)
    allowed = set(sorted(strong, key=lambda d: -strong[d])[:limits.max_text_departments])
    results: list[RuleResult] = []
    for rule in rules:
        conditions: list[Condition] = []
        score, evidence = scores.get(str(rule.id), (0.0, []))
        if rule.terms:
            holds = (score > 0 and score >= rule.min_score and score >= relative_needed
                     and rule.department in allowed)
            found = ", ".join(dict.fromkeys(f"{e.found} ({e.term})" for e in evidence))
            detail = (_g("tekstscore %(score).2f (nodig: %(min).2f, en %(needed).2f naast de "
                         "hoogste score %(best).2f); gevonden: %(found)s")
                      % {"score": score, "min": rule.min_score, "needed": relative_needed,
                         "best": best, "found": found or "-"})
            conditions.append(Condition("text", holds, detail))
        if rule.support_kinds:
            asked = [k for k in rule.support_kinds if k in set(facts.support)]
            conditions.append(Condition("support", bool(asked), _g(
                "gevraagde ondersteuning: %(asked)s") % {"asked": ", ".join(
                    str(labels.get(k, k)) for k in asked) or "-"}))
        if rule.min_requested_budget is not None:
            holds = (facts.requested_budget or 0) >= max(rule.min_requested_budget, 0)
            conditions.append(Condition("budget", holds, _g(
                "gevraagd budget %(budget)s (minimaal %(min)s)") % {
                    "budget": _money(facts.requested_budget or 0),
                    "min": _money(rule.min_requested_budget)}))
        if rule.areas:
            holds = facts.area is not None and facts.area in set(rule.areas)
            conditions.append(Condition("area", holds, _g("gebied: %(area)s") % {
                "area": facts.area or "-"}))
        fired = bool(conditions) and all(c.holds for c in conditions)
        results.append(RuleResult(rule, fired, conditions, score, evidence))

    if not any(r.fired for r in results):
        text_results = [r for r in results if r.rule.text_only and r.score > 0]
        if text_results:
            top = max(text_results, key=lambda r: (r.score, -r.rule.order))
            top.fired = True
            top.conditions.append(Condition("fallback", True, _g(
                "geen regel was van toepassing; dit is de beste tekstmatch")))
            for c in top.conditions:
                if c.kind == "text":
                    c.holds = True

    departments: dict[str, DepartmentProposal] = {}
    for r in results:
        if not r.fired:
            continue
        proposal = departments.setdefault(r.rule.department,
                                          DepartmentProposal(r.rule.department, 0.0, []))
        proposal.score += r.score if r.rule.terms else 0.0
        proposal.reasons.append(r.reason())
    return Evaluation(results, list(departments.values()))


def validate_rule(*, terms: Any, min_score: Any, support_kinds: Any,
                  min_requested_budget: Any, has_areas: bool,
                  allow_no_condition: bool = False) -> dict[str, list[str | Promise]]:
    """Every problem with a rule's data at once (field -> Dutch messages)."""
    from loket.intake.models import SupportKind

    errors: dict[str, list[str | Promise]] = {}
    if not isinstance(terms, dict):
        errors["terms"] = [_("Geef de woorden als object: {\"woord\": gewicht}.")]
    else:
        problems: list[str | Promise] = []
        if len(terms) > MAX_TERMS:
            problems.append(_("Hoogstens %(max)d woorden per regel.") % {"max": MAX_TERMS})
        for term, weight in terms.items():
            if not str(term).strip() or len(str(term)) > 100:
                problems.append(_("Een woord mag niet leeg zijn of langer dan 100 tekens."))
            if isinstance(weight, bool) or not isinstance(weight, int | float) or not (
                    0 < float(weight) <= MAX_TERM_WEIGHT):
                problems.append(_("Het gewicht van ‘%(term)s’ moet een getal groter dan 0 en "
                                  "hoogstens %(max)d zijn.") % {"term": term,
                                                                "max": MAX_TERM_WEIGHT})
        if problems:
            errors["terms"] = problems
    if isinstance(min_score, bool) or not isinstance(min_score, int | float) or min_score < 0:
        errors["min_score"] = [_("De minimale tekstscore moet een getal van 0 of meer zijn.")]
    valid_kinds = set(SupportKind.values)
    if not isinstance(support_kinds, list) or any(k not in valid_kinds for k in support_kinds):
        errors["support_kinds"] = [_("Kies uit: %(kinds)s.") % {
            "kinds": ", ".join(sorted(valid_kinds))}]
    if min_requested_budget is not None and (
            isinstance(min_requested_budget, bool) or not isinstance(min_requested_budget, int)
            or min_requested_budget < 0):
        errors["min_requested_budget"] = [_("Het minimale budget moet een heel getal van 0 "
                                            "of meer zijn.")]
    has_condition = bool(terms) or bool(support_kinds) or has_areas or (
        min_requested_budget is not None)
    if not has_condition and not allow_no_condition and not errors:
        errors["terms"] = [_("Een regel heeft minstens één voorwaarde nodig: woorden, "
                             "ondersteuning, minimaal budget of gebieden.")]
    return errors
