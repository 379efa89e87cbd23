"""A plain keyword-lookup baseline, to show what the analysis in :mod:`loket.text` adds.

A handful of obvious keywords per label, matched as whole lowercase words: no stemming,
no compound splitting, no typo tolerance. Every department with a hit is suggested
(``subsidies`` when the budget is above zero); carriers are ranked by their number of hits.
"""

from __future__ import annotations

import re
from typing import Any

DEPARTMENT_KEYWORDS: dict[str, tuple[str, ...]] = {
    "verkeer": ("verkeer", "zebrapad", "drempels", "parkeren", "fietspad", "snelheid", "auto's"),
    "openbare-ruimte": (
        "groen",
        "bomen",
        "speeltuin",
        "bankjes",
        "verlichting",
        "tegels",
        "moestuin",
    ),
    "omgevingsplan": ("bestemmingsplan", "omgevingsplan", "bestemd", "skatebaan", "bouwen"),
    "vergunningen": ("vergunning", "evenement", "straatfeest", "markt", "muziek", "festival"),
    "wonen": ("wonen", "woningen", "woningcorporatie", "huurders", "woning"),
    "sociaal-domein": (
        "ouderen",
        "eenzaamheid",
        "mantelzorgers",
        "armoede",
        "jongerenwerk",
        "zorg",
    ),
    "veiligheid": ("veiligheid", "overlast", "inbraak", "criminaliteit", "politie", "hangjongeren"),
    "duurzaamheid": ("energie", "zonnepanelen", "isolatie", "duurzaam", "klimaat"),
    "sport-cultuur": ("sport", "sporten", "kunst", "cultuur", "muziek", "bibliotheek"),
    "vastgoed": ("buurthuis", "dorpshuis", "gebouw", "leegstaand", "wijkcentrum"),
    "economie": ("ondernemers", "winkels", "winkelcentrum", "werk", "markt"),
}

CARRIER_KEYWORDS: dict[str, tuple[str, ...]] = {
    "energietransitie": ("energie", "zonnepanelen", "isolatie", "isoleren", "gasvrij"),
    "klimaatadaptatie": ("hitte", "regenwater", "groen", "wateroverlast", "droogte"),
    "gezonde-wijk": ("gezond", "gezonde", "bewegen", "sport", "rookvrij"),
    "veilige-wijk": ("veilig", "veiligheid", "onveilig", "inbraak", "verkeer"),
    "sociale-cohesie": ("samen", "buren", "ontmoeten", "elkaar", "vrijwilligers"),
    "armoedebestrijding": ("armoede", "schulden", "gratis", "voedselbank", "geld"),
    "gezond-opgroeien": ("kinderen", "jongeren", "jeugd", "school", "spelen"),
    "inclusie": ("nieuwkomers", "statushouders", "ouderen", "rolstoel", "taal"),
}

_WORD = re.compile(r"[\w']+")


def _words(text: str) -> set[str]:
    return set(_WORD.findall(text.lower()))


def baseline_suggest(
    title: str, description: str, requested_budget: float | None = None
) -> dict[str, Any]:
    """Departments with any keyword hit and carriers ranked by hits (ties: table order)."""
    words = _words(f"{title} {description}")
    departments = [c for c, kws in DEPARTMENT_KEYWORDS.items() if words & set(kws)]
    if (requested_budget or 0) > 0:
        departments.append("subsidies")
    hits = {c: sorted(words & set(kws)) for c, kws in CARRIER_KEYWORDS.items()}
    order = list(CARRIER_KEYWORDS)
    ranked = sorted(order, key=lambda c: (-len(hits[c]), order.index(c)))
    carriers = [
        {
            "code": c,
            "score": len(hits[c]) / 5,
            "evidence": [{"term": w, "found": w} for w in hits[c]],
        }
        for c in ranked
    ]
    return {"departments": departments, "carriers": carriers}
