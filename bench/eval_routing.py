#!/usr/bin/env python3
"""Quality and speed of routing proposals: the demo routing rules through loket.routing.rules.

This is exactly what `propose_routing` computes for a broker (rules with the shared text
module), without a database: the demo rules from loket/demo/lexicon.py, no learned weights.

Usage::

    python bench/eval_routing.py [GOLD.jsonl ...]   # default: dev + bench/data/*.jsonl
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "loket.settings")
os.environ.setdefault("LOKET_DEMO", "1")

import django  # noqa: E402

django.setup()

from loket.routing.demo_rules import STRUCTURAL, _text_rules  # noqa: E402
from loket.routing.rules import Facts, RuleSpec, evaluate  # noqa: E402

BUDGET = "subsidies"


def specs() -> list[RuleSpec]:
    out = []
    for i, (order, code, name, _explanation, fields) in enumerate([*STRUCTURAL, *_text_rules()]):
        if fields.get("active") is False:
            continue
        out.append(RuleSpec(id=i + 1, order=order, name=name, department=code,
                            terms=fields.get("terms", {}), min_score=fields.get("min_score", 1.0),
                            support_kinds=tuple(fields.get("support_kinds", ())),
                            min_requested_budget=fields.get("min_requested_budget")))
    return out


def f1(pairs: list[tuple[set[str], set[str]]]) -> float:
    tp = sum(len(g & p) for g, p in pairs)
    fp = sum(len(p - g) for g, p in pairs)
    fn = sum(len(g - p) for g, p in pairs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def main(paths: list[str]) -> None:
    rules = specs()
    evaluate(rules, Facts("warm", "opwarmen"), fingerprint="bench")  # build the scorer once
    print("| set | items | sector F1 | all F1 | median ms | p95 ms |")
    print("|---|---|---|---|---|---|")
    for path in paths:
        gold = [json.loads(line) for line in Path(path).read_text().splitlines() if line.strip()]
        pairs, times = [], []
        for item in gold:
            start = time.perf_counter()
            result = evaluate(rules, Facts(item["title"], item["description"],
                                           item.get("requested_budget") or 0),
                              fingerprint="bench")
            times.append((time.perf_counter() - start) * 1000)
            pairs.append((set(item["departments"]), set(result.department_codes())))
        sector = [(g - {BUDGET}, p - {BUDGET}) for g, p in pairs]
        times.sort()
        p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
        print(f"| {Path(path).stem} | {len(gold)} | {f1(sector):.3f} | {f1(pairs):.3f} | "
              f"{statistics.median(times):.1f} | {p95:.1f} |")


if __name__ == "__main__":
    default = ["/work/shared/eval/dev.jsonl", *sorted(str(p) for p in (ROOT / "bench" /
                                                                      "data").glob("*.jsonl"))]
    main(sys.argv[1:] or [p for p in default if Path(p).exists()])
