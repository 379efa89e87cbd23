"""The state diagram and transition tables of docs/workflow.md, generated from the FSM.

Generated from the transitions' own metadata (sources, targets, permissions, required
fields) so the documentation cannot drift: tests compare docs/workflow.md with this output.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation

from .services import transition_methods
from .states import ACTIVE_STATES, BALL_HOLDER, BallHolder, State

BEGIN = "<!-- BEGIN GENERATED: manage.py workflow_diagram --write docs/workflow.md -->"
END = "<!-- END GENERATED -->"
GROUP = "actief"  # the composite state of ACTIVE_STATES: pause and withdraw from any of them


def _specs() -> list[tuple[str, list[str], Any, Any]]:
    """(name, sources, target, spec) per transition, sources in the order of State."""
    order = list(State.values)
    out = []
    for name, method in transition_methods().items():
        transitions = method._django_fsm.transitions
        spec = next(iter(transitions.values()))
        sources = sorted(transitions, key=order.index)
        out.append((name, sources, spec.target, spec))
    return sorted(out, key=lambda item: (len(item[1]) > 1, order.index(item[1][0]), item[0]))


def _edge_label(name: str, spec: Any) -> str:
    return f"{name} ({spec.permission.who_short})"


def mermaid() -> str:
    """`stateDiagram-v2` source: states with their Dutch names, edges named and attributed."""
    with translation.override("nl"):
        lines = ["stateDiagram-v2", "    direction TB"]
        inner = list(ACTIVE_STATES)
        lines.append(f'    state "actief (pauzeren en intrekken kan overal)" as {GROUP} {{')
        for state in inner:
            lines.append(f'        state "{State(state).label}" as {state}')
        lines.append(f"        [*] --> {State.SUBMITTED}")
        edges_inside, edges_outside = [], []
        for name, sources, target, spec in _specs():
            if target is None:
                continue  # stays in its state (reassign_broker): listed in the table only
            label = _edge_label(name, spec)
            rest = list(sources)
            if set(inner) <= set(sources):
                rest = [s for s in sources if s not in inner]
                edges_outside.append(f"    {GROUP} --> {target}: {label}")
            targets = [GROUP] if hasattr(target, "get_state") else [str(target)]
            for source in rest:
                for to in targets:
                    line = f"{source} --> {to}: {label}"
                    inside = source in inner and to in inner
                    (edges_inside if inside else edges_outside).append(
                        ("        " if inside else "    ") + line)
        lines += edges_inside
        lines.append("    }")
        for state in State.values:
            if state not in inner:
                lines.append(f'    state "{State(state).label}" as {state}')
        lines += edges_outside
        for state in (State.REALIZED, State.WITHDRAWN):
            lines.append(f"    {state} --> [*]")
    return "\n".join(lines)


def markdown() -> str:
    """The generated block of docs/workflow.md: diagram, states table, transitions table."""
    with translation.override("nl"):
        out = [BEGIN, "", "```mermaid", mermaid(), "```", "",
               "| status | naam | aan zet |", "|---|---|---|"]
        for state in State:
            out.append(f"| `{state.value}` | {state.label} | "
                       f"{BallHolder(BALL_HOLDER[state]).label} |")
        out += ["", "| stap | naam | van | naar | wie | verplichte velden |",
                "|---|---|---|---|---|---|"]
        for name, sources, target, spec in _specs():
            if target is None:
                to = "(blijft)"
            elif hasattr(target, "get_state"):
                to = "de status van voor de pauze"
            else:
                to = f"`{target}`"
            fields = ", ".join(f"`{f}`" for f in spec.custom["required_fields"]) or "-"
            frm = ", ".join(f"`{s}`" for s in sources)
            out.append(f"| `{name}` | {spec.custom['label']} | {frm} | {to} | "
                       f"{spec.permission.who} | {fields} |")
        out += ["", END]
    return "\n".join(out)


def replace_generated(text: str) -> str:
    """`text` with its generated block replaced by the current one."""
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[:start] + markdown() + text[end:]


def generated_block(text: str) -> str:
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[start:end]
