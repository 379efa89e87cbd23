"""Write path of routing. (Being built: see the routing issue.)"""

from __future__ import annotations


def propose_routing(initiative_id: str) -> None:
    """Compute and store the routing proposal of an initiative (idempotent)."""
