from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import call_command

from loket.coupling.models import CouplingSuggestion, PolicyCarrier

pytestmark = pytest.mark.usefixtures("demo")


def run(tmp_path, lines: list[str]) -> list[dict]:
    path = tmp_path / "in.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = StringIO()
    call_command("suggest", "--jsonl", str(path), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def item(id_: str, title: str, description: str, budget: int = 0) -> str:
    return json.dumps({"id": id_, "title": title, "description": description,
                       "requested_budget": budget})


def test_one_line_per_input_with_departments_and_ranked_carriers(tmp_path):
    out = run(tmp_path, [
        item("a", "zebrapad bij de basisschool", "kinderen steken over tussen de autos", 0),
        "",
        item("b", "zonnepanelen op het buurthuis", "samen energie opwekken", 5000),
    ])
    assert [o["id"] for o in out] == ["a", "b"]
    a, b = out
    assert "verkeer" in a["departments"] and "subsidies" not in a["departments"]
    assert {c["code"] for c in a["carriers"][:2]} == {"veilige-wijk", "gezond-opgroeien"}
    assert len(a["carriers"]) == PolicyCarrier.objects.count()
    scores = [c["score"] for c in a["carriers"]]
    assert scores == sorted(scores, reverse=True)
    assert {"term", "found", "kind", "weight"} <= set(a["carriers"][0]["evidence"][0])
    assert {"duurzaamheid", "subsidies"} <= set(b["departments"])
    assert b["carriers"][0]["code"] == "energietransitie"
    assert not CouplingSuggestion.objects.exists()  # storing nothing


def test_uses_the_configured_carriers(tmp_path):
    PolicyCarrier.objects.create(code="erfgoed", name="Erfgoed leeft", scope="monumenten",
                                 key_terms={"molen": 5.0, "monument": 3.0})
    PolicyCarrier.objects.filter(code="energietransitie").update(active_until="2000-01-01")
    (out,) = run(tmp_path, [item("m", "de oude molen", "de molen weer laten draaien")])
    codes = [c["code"] for c in out["carriers"]]
    assert codes[0] == "erfgoed" and "energietransitie" not in codes


def test_bad_lines_do_not_stop_the_run(tmp_path):
    out = run(tmp_path, ["{niet json", item("ok", "bankjes", "bankjes in het park")])
    assert out[0]["id"] is None and "error" in out[0]
    assert out[1]["id"] == "ok" and "openbare-ruimte" in out[1]["departments"]
