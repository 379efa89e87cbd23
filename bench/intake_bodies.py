"""Valid, varied, unique submission bodies for the load bench (no locust/gevent import:
bench/load_intake.py uses them in its own, threaded process too)."""

from __future__ import annotations

import itertools
import os
import secrets

AREAS = [a for a in os.environ.get("LOKET_BENCH_AREAS", "").split(",") if a] + [None]
RUN = secrets.token_hex(3)
COUNTER = itertools.count(1)

TITLES = [
    "Moestuin op het braakliggende veld", "Speeltuin opknappen in de wijk",
    "Buurtfeest op het plein", "Geveltuinen tegen de hitte", "Repair café in het buurthuis",
    "Jeu de boules-baan bij de flat", "Zonnepanelen op het dak van de sporthal",
    "Bankjes langs het wandelpad", "Taalcafé in de bibliotheek", "Bloemenlint langs de dijk",
]
DESCRIPTIONS = [
    "Met de buurt willen we een moestuin aanleggen op het veldje achter de school, met "
    "bakken voor de kinderen en een waterton.",
    "De speeltoestellen zijn oud en kapot; wij willen samen met de gemeente nieuwe kiezen en "
    "de buurt helpt met schilderen.",
    "Een feest voor alle buren op het plein, met muziek, eten uit veel landen en een "
    "afsluiting van de straat voor één middag.",
    "Met tien huishoudens willen we tegels wippen voor geveltuinen, tegen de hitte en voor "
    "de bijen. We vragen materialen en een vergunning.",
    "Eens per maand repareren vrijwilligers fietsen, lampen en kleding in het buurthuis; we "
    "zoeken ruimte en een klein budget voor gereedschap.",
]
SUPPORT = [["money"], ["space", "money"], ["advice"], ["permission", "materials"], []]


def body(n: int) -> dict:
    tag = f"{RUN}-{n}"
    area = AREAS[n % len(AREAS)]
    data: dict = {
        "title": f"{TITLES[n % len(TITLES)]} {tag}",
        "description": DESCRIPTIONS[n % len(DESCRIPTIONS)],
        "requested_budget": (n * 137) % 5000,
        "support": SUPPORT[n % len(SUPPORT)],
        "initiators": [{"name": "Anna de Bench", "email": f"anna-{tag}@example.org",
                        "phone": "06 12345678", "is_contact": True}],
    }
    if n % 2:
        data["initiators"].append({"name": "Kees Bench", "email": f"kees-{tag}@example.org"})
    if area:
        data["area"] = area
    if n % 3 == 0:
        data["location"] = {"address": "Schoolstraat 1", "lat": 51.81, "lon": 4.64}
    return data
