"""Write path of coupling. (Being built: see the koppelkansen issue.)"""

from __future__ import annotations


def suggest_couplings(initiative_id: str) -> None:
    """Compute and store ranked coupling suggestions for an initiative (idempotent)."""
