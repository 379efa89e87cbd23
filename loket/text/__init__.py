"""Pure-Python Dutch text analysis and suggestion for routing and coupling initiatives.

Nothing in this package imports Django: the app feeds it plain data (profiles from the
database) and stores what it returns. See :mod:`loket.text.dutch` for the analysis and
:mod:`loket.text.scoring` for the suggester and its learning hook.
"""

from loket.text.dutch import Analysis, Match, Matcher, Vocabulary, analyze, fold, stem
from loket.text.scoring import (
    Evidence,
    Profile,
    Ranked,
    Suggester,
    Suggestion,
    compute_adjustments,
)

__all__ = [
    "Analysis",
    "Evidence",
    "Match",
    "Matcher",
    "Profile",
    "Ranked",
    "Suggester",
    "Suggestion",
    "Vocabulary",
    "analyze",
    "compute_adjustments",
    "fold",
    "stem",
]
