"""Write path of routing. (Being built: see the routing issue.)"""

from __future__ import annotations


def propose_routing(initiative_id: str) -> None:
    """Compute and store the routing proposal of an initiative (idempotent)."""


def route_to_departments(initiative_id: str) -> None:
    """Create the routed requests of an initiative in consultation (idempotent)."""


def on_initiative_resumed(initiative_id: str, paused_at: object, resumed_at: object) -> None:
    """Stop-the-clock: move open requests' due dates by the working days spent paused.

    Called by the workflow inside the transaction that resumes the initiative.
    """
