"""bench/eval_suggest.py: metrics on a tiny hand-checked set, and the pure run."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "eval_suggest.py"


@pytest.fixture(scope="module")
def ev() -> ModuleType:
    spec = importlib.util.spec_from_file_location("eval_suggest", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


GOLD = [
    {
        "id": "a",
        "title": "Zebrapad",
        "description": "zebrapad bij school",
        "requested_budget": 0,
        "departments": ["verkeer"],
        "carriers": ["veilige-wijk", "gezond-opgroeien"],
    },
    {
        "id": "b",
        "title": "Feest",
        "description": "straatfeest",
        "requested_budget": 100,
        "departments": ["vergunningen", "subsidies"],
        "carriers": ["sociale-cohesie"],
    },
]


def test_metrics_by_hand(ev: ModuleType) -> None:
    preds = {
        "a": {
            "departments": ["verkeer", "openbare-ruimte"],
            "carriers": [
                {"code": "gezond-opgroeien"},
                {"code": "inclusie"},
                {"code": "sociale-cohesie"},
                {"code": "veilige-wijk"},
            ],
        },
        "b": {"departments": ["subsidies"], "carriers": ["inclusie", "veilige-wijk"]},
    }
    m = ev.score(GOLD, preds)
    # all: tp=2 (verkeer, subsidies), fp=1, fn=1 -> F1 2/3; sector: tp=1, fp=1, fn=1 -> 1/2
    assert m["dept_f1_all"] == pytest.approx(2 / 3)
    assert m["dept_f1_sector"] == pytest.approx(0.5)
    assert m["carrier_top1"] == pytest.approx(0.5)
    assert m["carrier_recall3"] == pytest.approx(1 / 3)
    assert m["per_label"]["openbare-ruimte"]["precision"] == 0.0
    assert m["per_label"]["verkeer"]["recall"] == 1.0
    assert m["misses"][0]["id"] == "b"


def test_run_pure_prints_method_and_baseline(
    ev: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = tmp_path / "gold.jsonl"
    gold.write_text("\n".join(json.dumps(g) for g in GOLD), encoding="utf-8")
    pred = tmp_path / "pred.jsonl"
    assert ev.main(["--gold", str(gold), "--run-pure", "--write-pred", str(pred)]) == 0
    out = capsys.readouterr().out
    assert "carrier recall@3" in out and "baseline" in out
    lines = [json.loads(x) for x in pred.read_text(encoding="utf-8").splitlines()]
    assert [x["id"] for x in lines] == ["a", "b"]
    assert ev.main(["--gold", str(gold), "--pred", str(pred), "--markdown"]) == 0
    assert "| metric | method | baseline | target |" in capsys.readouterr().out
