"""docs/workflow.md carries exactly the diagram and tables generated from the FSM."""

from __future__ import annotations

import io
from pathlib import Path

from django.core.management import call_command

from loket.workflow import diagram

DOC = Path(__file__).resolve().parents[2] / "docs" / "workflow.md"


def test_committed_docs_match_the_state_machine() -> None:
    committed = diagram.generated_block(DOC.read_text())
    assert committed == diagram.markdown(), (
        "docs/workflow.md is out of date: run "
        "`LOKET_DEMO=1 python manage.py workflow_diagram --write docs/workflow.md`")


def test_diagram_has_every_transition_and_state() -> None:
    from loket.workflow.services import transition_methods
    from loket.workflow.states import State

    text = diagram.mermaid()
    for name in transition_methods():
        if name != "reassign_broker":  # keeps the state: table only
            assert f": {name} (" in text, name
    for state in State:
        assert f'as {state.value}' in text
    assert "in_progress --> realized: report_realized (initiatiefnemers)" in text
    assert "paused --> actief: resume (initiatiefnemers)" in text
    assert "| `reassign_broker` |" in diagram.markdown()


def test_command_prints_and_writes(tmp_path: Path) -> None:
    out = io.StringIO()
    call_command("workflow_diagram", stdout=out)
    assert out.getvalue().startswith("stateDiagram-v2")
    stale = tmp_path / "workflow.md"
    stale.write_text(f"Intro\n\n{diagram.BEGIN}\noud\n{diagram.END}\n\nSlot\n")
    call_command("workflow_diagram", write=str(stale), stdout=io.StringIO())
    text = stale.read_text()
    assert text.startswith("Intro\n\n") and text.endswith("\n\nSlot\n")
    assert diagram.generated_block(text) == diagram.markdown()
