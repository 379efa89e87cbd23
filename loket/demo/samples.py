"""Sample initiatives of the demo municipality, in every state, with a believable history.

Each sample is played through the real services (submission, workflow transitions, routing,
department answers, coupling decisions), so the demo shows what the product really does.
To give them a history, each step runs on a demo clock set back the given number of days;
some samples are deliberately left lying, so the managers' overview of stalled and blocked
initiatives is filled when the demo opens. Only loaded into a database without initiatives.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

from django.contrib.auth.models import User
from django.utils import timezone

from loket.core.actors import Actor

# (days ago, action, arguments). Actions: take_on, agree, submit_plan, send, answer,
# start, realized, pause, withdraw, not_feasible, request_changes, couple.
Step = tuple[int, str, dict[str, Any]]

AGREED = {
    "expectations_initiators": "De bewoners werken het plan uit, regelen de vrijwilligers en "
                               "houden de buren op de hoogte.",
    "expectations_municipality": "De makelaar brengt de juiste afdelingen aan tafel en helpt "
                                 "met de aanvraag voor het buurtbudget.",
}


@dataclass(frozen=True)
class Sample:
    title: str
    description: str
    area: str
    budget: int
    support: list[str]
    initiators: list[tuple[str, str]]
    submitted_days_ago: int
    steps: list[Step] = field(default_factory=list)


def _up_to_consultation(start: int, gap: int = 4) -> list[Step]:
    return [(start - gap, "take_on", {}), (start - 2 * gap, "agree", AGREED),
            (start - 3 * gap, "submit_plan", {}), (start - 3 * gap - 1, "send", {})]


SAMPLES: list[Sample] = [
    Sample("Bloembakken tegen hardrijders",
           "Wij willen in de Kastanjelaan grote bloembakken op de rijbaan zetten en een bord "
           "'Hier spelen kinderen' ophangen. Auto's rijden veel te hard door onze straat.",
           "oost", 350, ["money", "permission"], [("Sanne Jansen", "sanne@example.org")], 1),
    Sample("Buurtmoestuin achter het buurthuis",
           "Op het grasveld achter buurthuis De Schakel willen we een moestuin beginnen met "
           "buren, kinderen van de basisschool en de voedselbank.",
           "noord", 1500, ["space", "money", "materials"],
           [("Mohamed Bouzid", "m.bouzid@example.org"), ("Els de Wit", "els@example.org")], 16),
    Sample("Fietscrossbaan voor de jeugd",
           "Wij zijn een groep jongeren uit Lichtenvoorde en willen een fietscrossbaan "
           "aanleggen op het lege veld achter het sportpark. We helpen zelf met bouwen.",
           "lichtenvoorde", 12000, ["space", "money", "permission"],
           [("Daan Hermsen", "daan.h@example.org")], 120,
           [*_up_to_consultation(120, 10),
            (70, "answer", {"sport-cultuur": ("approved", "", ""),
                            "subsidies": ("approved_with_conditions",
                                          "Akkoord als de jongeren het onderhoud regelen.", ""),
                            "openbare-ruimte": ("approved", "", "")}),
            (69, "couple", {"code": "gezond-opgroeien"})]),
    Sample("Zebrapad bij basisschool De Regenboog",
           "Ouders willen een zebrapad op de Schoolstraat, vlak bij de ingang van de school. "
           "Kinderen steken nu tussen geparkeerde auto's over.",
           "zuid", 0, ["permission", "advice"], [("Fleur Visser", "fleur.v@example.org")], 45,
           [*_up_to_consultation(45, 3),
            (25, "answer", {"verkeer": (
                "declined",
                "Een zebrapad op een 30 km-weg zonder voldoende zicht geeft schijnveiligheid: "
                "kinderen gaan ervan uit dat auto's stoppen, maar de richtlijnen (CROW) "
                "raden het hier af.",
                "We komen graag met u en de school aan tafel voor een pakket: een "
                "schoolzone met rood asfalt, een versmalling bij de ingang en "
                "klaar-overs in de ochtend.")}, "approved")]),
    Sample("Straatfeest in de Burgemeester de Withstraat",
           "Op zaterdag 6 juni willen we een straatfeest met muziek, een springkussen en een "
           "gezamenlijke barbecue. De straat moet daarvoor een middag dicht.",
           "centrum", 800, ["permission", "money"], [("Ingrid Bakker", "ingrid@example.org")],
           40, [*_up_to_consultation(40, 3), (20, "answer", {}, "approved"),
                (19, "couple", {"code": "sociale-cohesie"})]),
    Sample("Energiecafé voor huishoudens met weinig geld",
           "Elke maand een energiecafé in de bibliotheek: vrijwillige energiecoaches helpen "
           "buren met de energierekening, tochtstrips en radiatorfolie.",
           "west", 2500, ["money", "contacts", "space"],
           [("Kees van Leeuwen", "kees@example.org"), ("Aylin Demir", "aylin@example.org")], 90,
           [*_up_to_consultation(90, 5), (60, "answer", {}, "approved"), (55, "start", {}),
            (54, "couple", {"code": "armoedebestrijding"})]),
    Sample("Speeltuin opknappen in de Merelstraat",
           "De speeltoestellen in de Merelstraat zijn oud en kapot. Wij willen samen met de "
           "kinderen een nieuw ontwerp maken en zelf meehelpen met schilderen.",
           "noord", 4000, ["money", "materials"], [("Ruud Peters", "ruud.p@example.org")], 200,
           [*_up_to_consultation(200, 8), (150, "answer", {}, "approved"), (140, "start", {}),
            (139, "couple", {"code": "gezond-opgroeien"}), (60, "realized", {})]),
    Sample("Jeu de boules-baan bij de flat",
           "Met de oudere bewoners van de flat aan de Lindenlaan willen we een jeu de "
           "boules-baan op het grasveld, om elkaar vaker te zien.",
           "zuid", 900, ["space", "money"], [("Gerrit Mulder", "gerrit@example.org")], 70,
           [(66, "take_on", {}), (62, "agree", AGREED)]),
    Sample("Tiny houses op het oude schoolterrein",
           "Wij willen met twaalf jongeren en starters tiny houses bouwen op het lege "
           "terrein van de oude basisschool in Groenlo.",
           "groenlo", 0, ["space", "permission", "advice"],
           [("Lotte Wieggers", "lotte@example.org")],
           60, [(55, "take_on", {}), (50, "not_feasible", {
               "motivation": "Het terrein is al verkocht voor de bouw van levensloopbestendige "
                             "woningen; het omgevingsplan staat hier geen tijdelijke woningen toe.",
               "alternative": "De gemeente zoekt met u naar een andere plek: het terrein aan "
                              "de Beltrumsestraat komt in 2027 vrij voor tijdelijk wonen."})]),
    Sample("Geveltuinen en tegels eruit in de Vogelwijk",
           "Met tien huishoudens willen we tegels wippen voor geveltuinen, tegen de hitte en "
           "voor de bijen.",
           "oost", 600, ["materials", "permission"], [("Noor Hendriks", "noor@example.org")], 50,
           [(46, "take_on", {}), (40, "agree", AGREED), (30, "pause", {})]),
    Sample("Overkapping bij het trapveld voor de jongeren",
           "De jongeren hangen nu bij de ingang van de supermarkt. Een overkapping bij het "
           "trapveld met een bankje geeft ze een eigen plek en de buren rust.",
           "west", 3000, ["money", "space", "permission"],
           [("Samira Ouali", "samira@example.org")], 45,
           [(40, "take_on", {}), (36, "agree", AGREED), (18, "submit_plan", {})]),
    Sample("Repaircafé in het dorpshuis",
           "Eén zaterdag per maand repareren vrijwilligers kapotte spullen in het dorpshuis: "
           "fietsen, kleding, lampen. Goed voor de portemonnee en het milieu.",
           "groenlo", 500, ["space", "money"], [("Henk Rouwhorst", "henk@example.org")], 24,
           [(21, "take_on", {})]),
    Sample("Buurtpreventie: wandelen en een appgroep",
           "Na inbraken in onze straat willen we een buurtpreventieteam met avondwandelingen "
           "en een WhatsApp-groep, samen met de wijkagent.",
           "centrum", 200, ["contacts", "money"], [("Bram Vos", "bram@example.org")], 12,
           _up_to_consultation(12, 2)),
    Sample("Wandelgroep voor eenzame ouderen",
           "Elke dinsdag een wandeling met koffie na afloop, voor ouderen die weinig de deur "
           "uit komen.",
           "noord", 300, ["contacts"], [("Ria Smits", "ria@example.org")], 100,
           [(95, "take_on", {}), (80, "withdraw", {})]),
    Sample("Zonnepanelen op het dak van het dorpshuis",
           "De energiecoöperatie wil zonnepanelen op het dak van het dorpshuis leggen, zodat "
           "buren zonder eigen dak ook zonnestroom kunnen afnemen.",
           "lichtenvoorde", 15000, ["money", "permission", "space"],
           [("Wim Klein Gunnewiek", "wim@example.org")], 60,
           [*_up_to_consultation(60, 4),
            (30, "answer", {"vastgoed": ("conversation_needed",
                                         "Het dak moet eerst op draagkracht worden "
                                         "onderzocht; dat bespreken we graag.", "")})]),
]


@contextmanager
def demo_clock(moment: datetime) -> Iterator[None]:
    """Run services as if it were `moment` (all Loket code reads time via timezone.now)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _answer(initiative: Any, answers: dict[str, tuple[str, str, str]],
            default: str | None) -> None:
    from loket.routing.models import RoutedRequest
    from loket.routing.services import answer_request

    for request in RoutedRequest.objects.filter(initiative=initiative,
                                                status=RoutedRequest.Status.OPEN):
        code = request.department.code
        if code in answers:
            decision, motivation, alternative = answers[code]
        elif default:
            decision, motivation, alternative = default, "", ""
        else:
            continue
        extra = {"meeting_proposal": "Graag een afspraak op locatie.",
                 "meeting_planned_at": timezone.now() + timedelta(days=7)} if (
            decision == "conversation_needed") else {}
        answer_request(Actor.for_user(_user(code)), request.pk, decision=decision,
                       motivation=motivation, alternative=alternative, **extra)


def play(sample: Sample, now: datetime) -> Any:
    from loket.coupling.services import decide_coupling, suggest_couplings
    from loket.intake.services import submit_initiative
    from loket.routing.services import propose_routing, route_to_departments
    from loket.workflow.services import fire_transition

    broker = Actor.for_user(_user("makelaar"))
    with demo_clock(now - timedelta(days=sample.submitted_days_ago)):
        initiative = submit_initiative({
            "title": sample.title, "description": sample.description, "area": sample.area,
            "requested_budget": sample.budget, "support": sample.support,
            "initiators": [{"name": n, "email": e, "is_contact": i == 0}
                           for i, (n, e) in enumerate(sample.initiators)],
        }).initiative
        propose_routing(str(initiative.pk))
        suggest_couplings(str(initiative.pk))
    initiators = Actor.initiators(initiative.pk)
    for days_ago, action, args, *rest in sample.steps:
        with demo_clock(now - timedelta(days=days_ago, hours=-1)):
            pk = initiative.pk
            if action == "take_on":
                fire_transition(pk, "take_on", broker)
            elif action == "agree":
                fire_transition(pk, "agree_expectations", broker, **args)
            elif action == "submit_plan":
                fire_transition(pk, "submit_plan", initiators)
            elif action == "send":
                fire_transition(pk, "send_to_consultation", broker)
                route_to_departments(str(pk))
            elif action == "answer":
                _answer(initiative, args, rest[0] if rest else None)
            elif action == "start":
                fire_transition(pk, "start", initiators)
            elif action == "realized":
                fire_transition(pk, "report_realized", initiators,
                                public_note="Het is gelukt, dank aan iedereen die meehielp!")
            elif action == "pause":
                fire_transition(pk, "pause", initiators,
                                public_note="We pauzeren even: de trekker is verhuisd.")
            elif action == "withdraw":
                fire_transition(pk, "withdraw", initiators,
                                public_note="Er zijn te weinig vrijwilligers gevonden.")
            elif action == "not_feasible":
                fire_transition(pk, "mark_not_feasible", broker, **args)
            elif action == "couple":
                decide_coupling(broker, pk, args["code"], "accepted")
            else:
                raise ValueError(f"unknown demo action {action}")
    return initiative


def load_samples() -> int:
    """Play every sample once, into a database that has no initiatives yet."""
    from loket.intake.models import Initiative

    if Initiative.objects.exists():
        return 0
    now = timezone.now()
    for sample in SAMPLES:
        play(sample, now)
    try:
        from loket.monitoring.services import scan_flags
    except ImportError:  # pragma: no cover - monitoring is part of every install
        return len(SAMPLES)
    scan_flags(now, notify=False)
    return len(SAMPLES)
