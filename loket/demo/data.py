"""The demo municipality "Gemeente Voorbeeld": departments, policy carriers and areas.

Codes follow ../shared/eval/LABELS.md. A real municipality configures its own in the admin.
"""

from __future__ import annotations

DEPARTMENTS: list[dict] = [
    {"code": "verkeer", "name": "Verkeer en Mobiliteit",
     "description": "Verkeer en verkeersveiligheid: snelheid, oversteekplaatsen en zebrapaden, "
                    "parkeren, fietsen en fietspaden, verkeersborden en -maatregelen, "
                    "schoolzones."},
    {"code": "openbare-ruimte", "name": "Beheer Openbare Ruimte",
     "description": "Inrichting en onderhoud van de openbare ruimte: groen, bomen, "
                    "plantvakken, speeltuinen en speeltoestellen, bankjes, afvalbakken, "
                    "straatverlichting, bestrating, gebruik van gemeentegrond (buurtmoestuin, "
                    "geveltuinen, tegels eruit)."},
    {"code": "omgevingsplan", "name": "Ruimtelijke Ordening (omgevingsplan)",
     "description": "Wijzigen waarvoor grond of een gebouw gebruikt mag worden; nieuwe "
                    "bouwwerken of voorzieningen die in het omgevingsplan moeten passen "
                    "(skatebaan, tiny houses, wonen in een kantoor, voedselbos op "
                    "landbouwgrond)."},
    {"code": "vergunningen", "name": "Vergunningen en Evenementen",
     "description": "Evenementen en activiteiten waarvoor een vergunning of ontheffing nodig "
                    "is (straatfeest, markt, versterkte muziek, straat afsluiten, kerstmarkt, "
                    "standplaats), omgevingsvergunningen voor bouwen."},
    {"code": "wonen", "name": "Wonen",
     "description": "Wonen, woningcorporaties, woonvormen (woongroepen, kangoeroewoningen), "
                    "huisvesting van bijzondere doelgroepen."},
    {"code": "sociaal-domein", "name": "Welzijn en Zorg (Wmo)",
     "description": "Welzijn en zorg, ouderen, eenzaamheid, mantelzorgers, jongerenwerk, "
                    "armoede en schulden, wijkteams, integratie en inburgering, mentale "
                    "gezondheid."},
    {"code": "veiligheid", "name": "Openbare Orde en Veiligheid",
     "description": "Overlast, criminaliteit, buurtpreventie, ondermijning, sociale "
                    "veiligheid, hangplekken."},
    {"code": "duurzaamheid", "name": "Duurzaamheid en Energie",
     "description": "Energie besparen, zonnepanelen, isolatie, aardgasvrij, energiecoaches en "
                    "energiecoöperaties, klimaatadaptatie en water, biodiversiteit."},
    {"code": "sport-cultuur", "name": "Sport, Cultuur en Recreatie",
     "description": "Sport en bewegen, sportvoorzieningen, cultuur, kunst, muziek, erfgoed, "
                    "bibliotheek."},
    {"code": "vastgoed", "name": "Maatschappelijk Vastgoed",
     "description": "Gemeentelijke gebouwen, buurthuizen en dorpshuizen, leegstaande "
                    "gemeentelijke panden, zelfbeheer van voorzieningen."},
    {"code": "economie", "name": "Economie en Ondernemen",
     "description": "Lokale ondernemers, winkelgebieden, markten, sociaal ondernemerschap, "
                    "werk en werkgelegenheid."},
    {"code": "subsidies", "name": "Subsidies en Buurtbudget",
     "description": "Elke vraag om geld: buurtbudget, stimuleringsfonds, subsidie. Een "
                    "initiatief met een gevraagd budget gaat altijd hierheen."},
]

CARRIERS: list[dict] = [
    {"code": "energietransitie", "name": "Energietransitie", "owner": "duurzaamheid",
     "scope": "Energie besparen, duurzame energie opwekken, aardgasvrije wijken, isolatie, "
              "energiearmoede.",
     "funds": "Regionale Energiestrategie; Nationaal Isolatieprogramma"},
    {"code": "klimaatadaptatie", "name": "Klimaatadaptatie", "owner": "duurzaamheid",
     "scope": "Hitte, wateroverlast, droogte, vergroenen en ontstenen, regenwater opvangen, "
              "schaduw.",
     "funds": "Impulsregeling klimaatadaptatie"},
    {"code": "gezonde-wijk", "name": "Gezonde wijk", "owner": "sociaal-domein",
     "scope": "Gezond leven, bewegen, gezond eten, groen voor gezondheid, mentale "
              "gezondheid, rookvrij.",
     "funds": "Gezond en Actief Leven Akkoord (GALA)"},
    {"code": "veilige-wijk", "name": "Veilige wijk", "owner": "veiligheid",
     "scope": "Sociale veiligheid, criminaliteit en ondermijning voorkomen, "
              "verkeersveiligheid, je veilig voelen.",
     "funds": "Integraal Veiligheidsplan"},
    {"code": "sociale-cohesie", "name": "Samen in de wijk", "owner": "sociaal-domein",
     "scope": "Elkaar ontmoeten, buren leren elkaar kennen, samenwerken, vrijwilligerswerk, "
              "minder eenzaamheid.",
     "funds": "Coalitieakkoord: wijkbudgetten"},
    {"code": "armoedebestrijding", "name": "Armoede de wijk uit", "owner": "sociaal-domein",
     "scope": "Mensen met weinig geld, schulden, gratis of goedkope voorzieningen, voedsel- en "
              "kledingbanken, energiearmoede.",
     "funds": "Coalitieakkoord: armoedeaanpak"},
    {"code": "gezond-opgroeien", "name": "Kansrijk opgroeien", "owner": "sociaal-domein",
     "scope": "Kinderen en jongeren: spelen, sport, talent, preventie, school.",
     "funds": "Coalitieakkoord: jeugd; Brede SPUK"},
    {"code": "inclusie", "name": "Iedereen doet mee", "owner": "sociaal-domein",
     "scope": "Nieuwkomers en statushouders, mensen met een beperking, ouderen, "
              "toegankelijkheid, taal.",
     "funds": "Coalitieakkoord: inclusieagenda"},
]

AREAS: list[dict] = [
    {"code": "centrum", "name": "Centrum", "kind": "wijk", "lat": 52.0907, "lon": 5.1214},
    {"code": "noord", "name": "Noord", "kind": "wijk", "lat": 52.1050, "lon": 5.1180},
    {"code": "oost", "name": "Oost", "kind": "wijk", "lat": 52.0890, "lon": 5.1450},
    {"code": "zuid", "name": "Zuid", "kind": "wijk", "lat": 52.0740, "lon": 5.1230},
    {"code": "west", "name": "West", "kind": "wijk", "lat": 52.0920, "lon": 5.0950},
    {"code": "lichtenvoorde", "name": "Lichtenvoorde", "kind": "kern", "lat": 51.9870,
     "lon": 6.5660},
    {"code": "groenlo", "name": "Groenlo", "kind": "kern", "lat": 52.0420, "lon": 6.6130},
]
