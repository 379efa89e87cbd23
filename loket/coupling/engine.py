"""The one adapter between coupling and the shared Dutch text module (loket.text).

It turns the configured municipality in the database into profiles for
:class:`loket.text.Suggester` and caches the compiled suggester per configuration
fingerprint: compiling a vocabulary takes tens of milliseconds, scoring an initiative
about one. The fingerprint is read from the database on every call (a few small queries,
routing's included), so an edit of a carrier, a routing rule, a department or the learned
weights in any process invalidates the cache in every process.

Department profiles come from the routing configuration (the text terms of the active
routing rules, merged per department, with routing's learned weights) when the routing
app provides rules; otherwise from the dotted path in `LOKET_DEPARTMENT_PROFILES`
(the demo lexicon in demo mode), never from a hard-coded list.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.module_loading import import_string

from loket.text import Profile, Suggester, Suggestion

DEFAULT_BUDGET_DEPARTMENT = "subsidies"


@dataclass(frozen=True)
class DepartmentConfig:
    profiles: list[Profile]
    budget_department: str
    adjustments: Mapping[str, Mapping[str, float]] = field(default_factory=dict)


def _routing_model(name: str) -> Any:
    try:
        return apps.get_model("routing", name)
    except LookupError:
        return None


def _fallback_departments() -> list[Profile]:
    path = getattr(settings, "LOKET_DEPARTMENT_PROFILES", "")
    if not path:
        return []
    return [Profile.coerce(p) for p in import_string(path)()]


def department_config() -> DepartmentConfig:
    """Department profiles from the routing rules, or the configured fallback."""
    rule_model = _routing_model("RoutingRule")
    learning_model = _routing_model("RoutingLearning")
    budget = DEFAULT_BUDGET_DEPARTMENT
    if rule_model is not None:
        rules = list(rule_model.objects.filter(active=True, department__active=True)
                     .select_related("department").order_by("order", "id"))
        merged: dict[str, dict[str, float]] = {}
        names: dict[str, str] = {}
        budget_rules = []
        for rule in rules:
            code = rule.department.code
            if rule.terms:
                bucket = merged.setdefault(code, {})
                names[code] = rule.department.name
                for term, weight in dict(rule.terms).items():
                    bucket[str(term)] = max(bucket.get(str(term), 0.0), float(weight))
            elif getattr(rule, "min_requested_budget", None) is not None:
                budget_rules.append(code)
        if budget_rules:
            budget = budget_rules[0]
        if merged:
            adjustments: dict[str, dict[str, float]] = {}
            if learning_model is not None:
                row = learning_model.objects.filter(pk=1).first()
                if row is not None:
                    adjustments = {c: dict(t) for c, t in (row.adjustments or {}).items()}
            if budget not in merged:
                merged[budget] = {}
                names.setdefault(budget, budget)
            profiles = [Profile(code=c, name=names.get(c, c), terms=t) for c, t in merged.items()]
            return DepartmentConfig(profiles, budget, adjustments)
    return DepartmentConfig(_fallback_departments(), budget, {})


def _department_stamp() -> str:
    """Changes whenever what `department_config` reads changes (routing's fingerprint)."""
    if apps.is_installed("loket.routing"):
        from loket.routing.selectors import rules_fingerprint

        return f"rules:{rules_fingerprint()}"
    return f"fallback:{settings.LOKET_DEPARTMENT_PROFILES}"


def carrier_profiles(day: date | None = None) -> list[Profile]:
    """The carriers active on `day` (today) as profiles, in a stable order."""
    from .models import PolicyCarrier

    day = day or timezone.localdate()
    return [
        Profile(code=c.code, name=c.name, terms={str(t): float(w) for t, w in
                                                 (c.key_terms or {}).items()},
                goal=c.goal, prior=c.prior)
        for c in PolicyCarrier.objects.active_on(day).order_by("code")
    ]


def carrier_adjustments() -> dict[str, dict[str, float]]:
    from .models import CouplingLearning

    row = CouplingLearning.objects.filter(pk=1).only("adjustments").first()
    return {c: dict(t) for c, t in (row.adjustments or {}).items()} if row else {}


def _carrier_stamp(day: date) -> str:
    from .models import CouplingLearning, PolicyCarrier

    stamp = PolicyCarrier.objects.aggregate(n=Count("id"), at=Max("updated_at"))
    learned = CouplingLearning.objects.filter(pk=1).values_list("computed_at", flat=True).first()
    return f"{stamp['n']}:{stamp['at']}:{day.isoformat()}:{learned}"


_cache: dict[str, Suggester] = {}
_lock = threading.Lock()


def suggester(day: date | None = None) -> Suggester:
    """The suggester of the configured municipality, compiled once per configuration.

    The fingerprint comes first (small queries); the configuration itself is only loaded
    when it changed.
    """
    day = day or timezone.localdate()
    raw = f"{_department_stamp()}|{_carrier_stamp(day)}"
    fingerprint = hashlib.sha256(raw.encode()).hexdigest()
    with _lock:
        cached = _cache.get(fingerprint)
    if cached is not None:
        return cached
    departments = department_config()
    adjustments = {**{c: dict(a) for c, a in departments.adjustments.items()}}
    for code, terms in carrier_adjustments().items():
        adjustments.setdefault(code, {}).update(terms)
    built = Suggester(departments.profiles, carrier_profiles(day), adjustments,
                      budget_department=departments.budget_department)
    with _lock:
        if len(_cache) > 8:
            _cache.clear()
        _cache[fingerprint] = built
    return built


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def suggest(title: str, description: str, requested_budget: float | None,
            day: date | None = None) -> Suggestion:
    """Departments and ranked carriers for one text, with the current configuration."""
    return suggester(day).suggest(title, description, requested_budget)
