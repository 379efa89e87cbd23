"""The demo municipality's default routing rules, built from loket/demo/lexicon.py.

A real municipality configures its own rules in the admin or through the API; this is
also a worked example of how: one text rule per department (its vocabulary, weighted) and
a few structural rules on what the initiators ask for.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction

BUDGET_DEPARTMENT = "subsidies"

# Structural rules: (order, department, name, explanation, fields)
STRUCTURAL: list[tuple[int, str, str, str, dict[str, Any]]] = [
    (10, BUDGET_DEPARTMENT, "Gevraagd budget",
     "Elk initiatief dat om geld vraagt, gaat naar Subsidies en Buurtbudget.",
     {"min_requested_budget": 1}),
    (11, BUDGET_DEPARTMENT, "Ondersteuning met geld gevraagd",
     "De initiatiefnemers vragen de gemeente om geld.",
     {"support_kinds": ["money"]}),
    (20, "vergunningen", "Toestemming of vergunning gevraagd",
     "De initiatiefnemers vragen toestemming of een vergunning.",
     {"support_kinds": ["permission"]}),
]


def _text_rules() -> list[tuple[int, str, str, str, dict[str, Any]]]:
    from loket.demo import lexicon

    out = []
    for index, (code, profile) in enumerate(lexicon.DEPARTMENTS.items()):
        terms = {**profile.get("terms", {}), **profile.get("phrases", {})}
        fields: dict[str, Any] = {"terms": {t: float(w) for t, w in terms.items()},
                                  "min_score": 1.0}
        if code == BUDGET_DEPARTMENT:
            # Money follows from the requested budget; words about money in the text
            # ("we kregen al buurtbudget") mislead more than they help. Kept, switched off.
            fields["active"] = False
        out.append((100 + index * 10, code, f"Tekst: {profile.get('name', code)}",
                    "Woorden in titel of beschrijving wijzen op het taakveld van deze "
                    "afdeling.", fields))
    return out


@transaction.atomic
def load_default_rules() -> int:
    """Create the default rules once (by name and department); never overwrite edits."""
    from loket.routing.models import Department, RoutingRule

    departments = {d.code: d for d in Department.objects.all()}
    created = 0
    for order, code, name, explanation, fields in [*STRUCTURAL, *_text_rules()]:
        department = departments.get(code)
        if department is None:
            continue
        _rule, was_created = RoutingRule.objects.get_or_create(
            department=department, name=name,
            defaults={"order": order, "explanation": explanation, **fields})
        created += was_created
    return created
