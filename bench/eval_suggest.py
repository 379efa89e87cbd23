#!/usr/bin/env python3
"""Score department routing and carrier coupling against a gold JSONL (no Django needed).

Gold lines look like ../shared/eval/dev.jsonl; prediction lines like the output of
``manage.py suggest --jsonl``: {"id", "departments": [...], "carriers": [{"code", "score",
"evidence"}, ...]} (carriers best first; plain code strings are accepted too).

Usage::

    python bench/eval_suggest.py --gold GOLD.jsonl --pred PRED.jsonl [--markdown]
    python bench/eval_suggest.py --gold GOLD.jsonl --run-pure [--markdown] [--write-pred F]

``--run-pure`` computes the predictions itself with :mod:`loket.text` and the demo lexicon.
The keyword baseline (:mod:`loket.text.baseline`) is always scored beside the method.

Metrics: department micro-F1 over all departments and over sector departments (without
``subsidies``), carrier top-1 accuracy (first suggestion is a gold carrier) and recall@3
(share of gold carriers among the first three, micro-averaged over all gold carriers),
per-label precision/recall and the worst misses.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

BUDGET_DEPT = "subsidies"


def read_jsonl(path: str | Path) -> list[dict[str, Any]]:
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def carrier_codes(pred: Mapping[str, Any]) -> list[str]:
    out = []
    for c in pred.get("carriers") or []:
        out.append(c if isinstance(c, str) else str(c.get("code")))
    return out


def _f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score(gold: list[dict[str, Any]], preds: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """All metrics for predictions keyed by id; a missing prediction counts as empty."""
    counts: dict[str, Counter[str]] = {}
    tp = fp = fn = stp = sfp = sfn = 0
    top1 = 0
    r3_hit = r3_total = 0
    misses: list[dict[str, Any]] = []
    for item in gold:
        pred = preds.get(item["id"], {})
        g = set(item.get("departments") or [])
        p = set(pred.get("departments") or [])
        for label in g | p:
            c = counts.setdefault(label, Counter())
            c["tp"] += label in g and label in p
            c["fp"] += label in p and label not in g
            c["fn"] += label in g and label not in p
        tp += len(g & p)
        fp += len(p - g)
        fn += len(g - p)
        gs, ps = g - {BUDGET_DEPT}, p - {BUDGET_DEPT}
        stp += len(gs & ps)
        sfp += len(ps - gs)
        sfn += len(gs - ps)
        ranked = carrier_codes(pred)
        gc = list(item.get("carriers") or [])
        first_ok = bool(ranked) and ranked[0] in gc
        top1 += first_ok
        hits3 = len(set(ranked[:3]) & set(gc))
        r3_hit += hits3
        r3_total += len(gc)
        cost = len(gs - ps) + len(ps - gs) + (0 if first_ok else 1) + (len(gc) - hits3)
        if cost:
            misses.append(
                {
                    "id": item["id"],
                    "cost": cost,
                    "title": item.get("title", ""),
                    "missing": sorted(gs - ps),
                    "extra": sorted(ps - gs),
                    "gold_carriers": gc,
                    "top3": ranked[:3],
                }
            )
    n = len(gold) or 1
    per_label = {
        label: dict(zip(("precision", "recall", "f1"), _f1(c["tp"], c["fp"], c["fn"]), strict=True))
        | {"support": c["tp"] + c["fn"]}
        for label, c in sorted(counts.items())
    }
    misses.sort(key=lambda m: (-m["cost"], m["id"]))
    return {
        "n": len(gold),
        "dept_f1_all": _f1(tp, fp, fn)[2],
        "dept_f1_sector": _f1(stp, sfp, sfn)[2],
        "dept_precision_sector": _f1(stp, sfp, sfn)[0],
        "dept_recall_sector": _f1(stp, sfp, sfn)[1],
        "carrier_top1": top1 / n,
        "carrier_recall3": r3_hit / r3_total if r3_total else 0.0,
        "per_label": per_label,
        "misses": misses,
    }


def run_pure(gold: Iterable[Mapping[str, Any]]) -> tuple[dict[str, dict[str, Any]], float]:
    """Predictions from loket.text with the demo lexicon; returns them and seconds taken."""
    from loket.demo.lexicon import carrier_profiles, department_profiles
    from loket.text.scoring import Suggester

    suggester = Suggester(department_profiles(), carrier_profiles())
    items = list(gold)
    start = time.perf_counter()
    out = {}
    for item in items:
        s = suggester.suggest(
            item.get("title", ""), item.get("description", ""), item.get("requested_budget")
        )
        out[item["id"]] = {"id": item["id"], **s.as_dict()}
    return out, time.perf_counter() - start


def run_baseline(gold: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    from loket.text.baseline import baseline_suggest

    return {
        item["id"]: {
            "id": item["id"],
            **baseline_suggest(
                item.get("title", ""), item.get("description", ""), item.get("requested_budget")
            ),
        }
        for item in gold
    }


TARGETS = {
    "dept_f1_sector": 0.80,
    "dept_f1_all": 0.88,
    "carrier_top1": 0.90,
    "carrier_recall3": 0.90,
}
LABELS = {
    "dept_f1_sector": "department micro-F1 (sector, without subsidies)",
    "dept_f1_all": "department micro-F1 (all)",
    "carrier_top1": "carrier top-1 accuracy",
    "carrier_recall3": "carrier recall@3",
}


def render(
    method: dict[str, Any], baseline: dict[str, Any], markdown: bool, worst: int = 10
) -> str:
    lines: list[str] = []
    if markdown:
        lines += ["| metric | method | baseline | target |", "|---|---|---|---|"]
        for k, label in LABELS.items():
            lines.append(f"| {label} | {method[k]:.3f} | {baseline[k]:.3f} | {TARGETS[k]:.2f} |")
        lines += ["", "| label | precision | recall | F1 | support |", "|---|---|---|---|---|"]
        for label, v in method["per_label"].items():
            lines.append(
                f"| {label} | {v['precision']:.2f} | {v['recall']:.2f} | "
                f"{v['f1']:.2f} | {v['support']} |"
            )
        lines += ["", "| id | missing | extra | gold carriers | top 3 |", "|---|---|---|---|---|"]
        for m in method["misses"][:worst]:
            lines.append(
                f"| {m['id']} | {', '.join(m['missing'])} | {', '.join(m['extra'])} | "
                f"{', '.join(m['gold_carriers'])} | {', '.join(m['top3'])} |"
            )
        return "\n".join(lines)
    lines.append(f"items: {method['n']}")
    lines.append(f"{'metric':<50}{'method':>9}{'baseline':>10}{'target':>8}")
    for k, label in LABELS.items():
        lines.append(f"{label:<50}{method[k]:>9.3f}{baseline[k]:>10.3f}{TARGETS[k]:>8.2f}")
    lines.append(
        f"{'sector precision / recall':<50}"
        f"{method['dept_precision_sector']:>5.3f}/{method['dept_recall_sector']:.3f}"
    )
    lines.append("")
    lines.append(f"{'label':<22}{'prec':>6}{'rec':>6}{'f1':>6}{'n':>4}")
    for label, v in method["per_label"].items():
        lines.append(
            f"{label:<22}{v['precision']:>6.2f}{v['recall']:>6.2f}{v['f1']:>6.2f}{v['support']:>4}"
        )
    lines.append("")
    lines.append(f"worst misses (of {len(method['misses'])}):")
    for m in method["misses"][:worst]:
        lines.append(
            f"  {m['id']} {m['title'][:40]!r}: missing={m['missing']} "
            f"extra={m['extra']} gold={m['gold_carriers']} top3={m['top3']}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--gold", required=True)
    ap.add_argument("--pred", help="predictions JSONL (manage.py suggest --jsonl)")
    ap.add_argument(
        "--run-pure",
        action="store_true",
        help="compute predictions with loket.text and the demo lexicon",
    )
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--write-pred", help="with --run-pure: also write the predictions here")
    ap.add_argument("--worst", type=int, default=10)
    ap.add_argument("--json", action="store_true", help="print the metrics as JSON")
    args = ap.parse_args(argv)
    if not args.pred and not args.run_pure:
        ap.error("give --pred FILE or --run-pure")
    gold = read_jsonl(args.gold)
    if args.run_pure:
        preds, seconds = run_pure(gold)
        if args.write_pred:
            with open(args.write_pred, "w", encoding="utf-8") as fh:
                for item in gold:
                    fh.write(json.dumps(preds[item["id"]], ensure_ascii=False) + "\n")
    else:
        preds = {p["id"]: p for p in read_jsonl(args.pred)}
        seconds = None
    method = score(gold, preds)
    baseline = score(gold, run_baseline(gold))
    if args.json:
        print(json.dumps({"method": method, "baseline": baseline}, ensure_ascii=False, indent=2))
        return 0
    print(render(method, baseline, args.markdown, args.worst))
    if seconds is not None and not args.markdown:
        print(f"\nsuggest time: {seconds * 1000:.1f} ms for {len(gold)} items")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
