"""Flag reasons are stored as a code with parameters and read in the reader's language: the
same flag in Dutch and in English, the API and the CSV following the request, e-mails to
staff in Dutch, and flags from before the codes still readable (and converted by the
migration where their text can be read back exactly)."""

from __future__ import annotations

import importlib
from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core import mail
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client
from django.utils import timezone, translation

from loket.monitoring import reasons, services
from loket.monitoring.models import Flag
from loket.routing.models import Answer, Department
from loket.routing.workdays import add_working_days
from loket.workflow.states import State

from .conftest import answer, at, make_initiative, make_request

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)
OLD_TEXT = "Deze signalering is van voor de redencodes en blijft zo staan."

DECLINED_NL = ("Verkeer en Mobiliteit antwoordde op 4 maart 2026 'niet akkoord'; na 10 "
               "werkdagen is er nog geen vervolg. Bespreek de motivering en het alternatief "
               "met de initiatiefnemers.")
DECLINED_EN = ("Verkeer en Mobiliteit answered 'declined' on March 4, 2026; after 10 working "
               "days there is still no follow-up. Discuss the reasons and the alternative "
               "with the initiators.")
# (code, params, names the department, Dutch, English)
SENTENCES = [
    (reasons.STALLED_SUBMITTED, {"days": 3}, False,
     "Ingediend en na 3 werkdagen nog niet opgepakt door een initiatiefmakelaar.",
     "Submitted and, after 3 working days, not yet taken on by an initiative broker."),
    (reasons.STALLED, {"days": 10, "state": "intake"}, False,
     "Staat langer dan 10 werkdagen in de status 'kennismaking'; de initiatiefmakelaar is "
     "aan zet.",
     "In the status 'intake' for longer than 10 working days; it is the initiative broker's "
     "turn."),
    (reasons.STALLED_INITIATORS, {"days": 30, "state": "elaboration"}, False,
     "Al meer dan 30 werkdagen geen beweging in de status 'uitwerking'. De initiatiefnemers "
     "zijn aan zet; dit is geen vertraging bij de gemeente. De makelaar kan even contact "
     "opnemen om te horen hoe het gaat en of ze iets nodig hebben.",
     "No movement in the status 'elaboration' for more than 30 working days. It is the "
     "initiators' turn; this is no delay on the municipality's side. The broker could get in "
     "touch to hear how things are going and whether they need anything."),
    (reasons.OVERDUE, {"due": "2026-05-01"}, True,
     "De vraag aan Verkeer en Mobiliteit had uiterlijk 1 mei 2026 beantwoord moeten zijn.",
     "The request to Verkeer en Mobiliteit should have been answered by May 1, 2026."),
    (reasons.DECLINED, {"date": "2026-03-04", "days": 10}, True, DECLINED_NL, DECLINED_EN),
    (reasons.MET, {"date": "2026-03-05", "days": 5}, True,
     "Het gesprek met Verkeer en Mobiliteit stond gepland op 5 maart 2026; 5 werkdagen later "
     "heeft de afdeling nog geen nieuw antwoord gegeven.",
     "The conversation with Verkeer en Mobiliteit was scheduled for March 5, 2026; 5 working "
     "days later the department has still not given a new answer."),
    (reasons.CONVERSATION, {"date": "2026-03-02", "days": 5}, True,
     "Verkeer en Mobiliteit vroeg op 2 maart 2026 om een gesprek; na 5 werkdagen is er nog "
     "geen afspraak gepland.",
     "Verkeer en Mobiliteit asked for a conversation on March 2, 2026; after 5 working days no "
     "appointment has been made yet."),
    (reasons.NO_BROKER, {"days": 5}, False,
     "Na 5 werkdagen is er nog geen initiatiefmakelaar aan dit initiatief gekoppeld.",
     "After 5 working days, no initiative broker has been assigned to this initiative yet."),
]


def make_flag(code: str, params: dict, *, department: Department | None = None,
              legacy: str = "", kind: str = Flag.Kind.BLOCKED, cause: str = "x") -> Flag:
    now = timezone.now()
    return Flag.objects.create(
        initiative=make_initiative(state=State.CONSULTATION), kind=kind, cause=cause,
        reason_code=code, reason_params=params, legacy_reason=legacy,
        ball_holder=Flag.BallHolder.BROKER, department=department, since=now, created_at=now)


def read(flag: Flag, language: str) -> str:
    with translation.override(language):
        return Flag.objects.select_related("department").get(pk=flag.pk).reason


def client_for(user: User, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def test_every_reason_code_has_its_sentence() -> None:
    assert {case[0] for case in SENTENCES} == set(reasons.CODES)


@pytest.mark.parametrize(("code", "params", "named", "dutch", "english"), SENTENCES,
                         ids=[case[0] for case in SENTENCES])
def test_the_same_flag_reads_in_dutch_and_in_english(
        code: str, params: dict, named: bool, dutch: str, english: str,
        department: Department) -> None:
    flag = make_flag(code, params, department=department)
    assert read(flag, "nl") == dutch
    assert read(flag, "en") == english
    assert (code in reasons.NAMES_DEPARTMENT) is named


def test_a_flag_whose_department_is_gone_says_the_department(department: Department) -> None:
    flag = make_flag(reasons.OVERDUE, {"due": "2026-05-01"}, department=department)
    department.delete()
    assert read(flag, "nl") == ("De vraag aan de afdeling had uiterlijk 1 mei 2026 "
                                "beantwoord moeten zijn.")
    assert read(flag, "en") == ("The request to the department should have been answered by "
                                "May 1, 2026.")


def test_an_old_flag_shows_its_stored_text_in_every_language() -> None:
    flag = make_flag("", {}, legacy=OLD_TEXT)
    assert read(flag, "nl") == read(flag, "en") == OLD_TEXT


def test_unreadable_parameters_fall_back_to_the_stored_text() -> None:
    for code, params in ((reasons.OVERDUE, {"due": "not a date"}), (reasons.NO_BROKER, {}),
                         ("unknown_code", {"days": 3})):
        flag = make_flag(code, params, legacy=OLD_TEXT)
        assert read(flag, "en") == OLD_TEXT


def test_the_scan_stores_a_code_and_no_sentence_whatever_the_active_language(
        department: Department, broker: User) -> None:
    initiative = make_initiative(state=State.CONSULTATION, entered=at(MONDAY), broker=broker)
    request = make_request(initiative, department, add_working_days(MONDAY, 10))
    answer(request, Answer.Decision.DECLINED, at(date(2026, 3, 4)))
    with translation.override("en"), time_machine.travel(at(add_working_days(MONDAY, 13)),
                                                          tick=False):
        services.scan_flags(notify=False)
    [flag] = Flag.objects.filter(cleared_at__isnull=True, kind=Flag.Kind.BLOCKED)
    assert (flag.reason_code, flag.reason_params, flag.legacy_reason) == (
        reasons.DECLINED, {"date": "2026-03-04", "days": 10}, "")
    assert read(flag, "nl") == DECLINED_NL
    assert read(flag, "en") == DECLINED_EN


OVERDUE_NL = ("De vraag aan Verkeer en Mobiliteit had uiterlijk 2 maart 2026 beantwoord "
              "moeten zijn.")
OVERDUE_EN = ("The request to Verkeer en Mobiliteit should have been answered by March 2, "
              "2026.")


def _overdue_and_old(department: Department) -> tuple[str, str]:
    """A real overdue flag from the scan and one stored before reason codes existed:
    the references of their initiatives."""
    initiative = make_initiative(state=State.CONSULTATION, entered=at(MONDAY))
    make_request(initiative, department, MONDAY)
    with time_machine.travel(at(MONDAY + timedelta(days=1)), tick=False):
        services.scan_flags(notify=False)
    old = make_flag("", {}, legacy=OLD_TEXT, kind=Flag.Kind.STALLED)
    return initiative.reference, old.initiative.reference


def test_the_api_gives_the_reason_in_the_requests_language(department: Department,
                                                           manager: User) -> None:
    overdue, old = _overdue_and_old(department)
    rows = {}
    for language in ("nl", "en"):
        response = client_for(manager, language).get("/api/v1/dashboard/stalled")
        assert response["Content-Language"] == language
        rows[language] = {(r["reference"], r["kind"]): r["reason"]
                          for r in response.json()["results"]}
    assert rows["nl"][(overdue, "overdue")] == OVERDUE_NL
    assert rows["en"][(overdue, "overdue")] == OVERDUE_EN
    assert rows["nl"][(old, "stalled")] == rows["en"][(old, "stalled")] == OLD_TEXT


def test_the_csv_gives_headers_and_reasons_in_the_requests_language(
        department: Department, manager: User) -> None:
    _overdue_and_old(department)
    texts = {}
    for language in ("nl", "en"):
        response = client_for(manager, language).get("/api/v1/dashboard/stalled",
                                                     {"format": "csv"})
        assert response.status_code == 200
        texts[language] = response.content.decode("utf-8-sig")
    dutch, english = texts["nl"], texts["en"]
    assert ";Reden;" in dutch.splitlines()[0] and ";Reason;" in english.splitlines()[0]
    assert f";{OVERDUE_NL};" in dutch and f";{OVERDUE_EN};" in english
    assert "De vraag aan" not in english
    assert f";{OLD_TEXT};" in dutch and f";{OLD_TEXT};" in english


def test_emails_to_staff_stay_dutch_when_english_is_active(department: Department,
                                                           broker: User) -> None:
    initiative = make_initiative(state=State.CONSULTATION, entered=at(MONDAY), broker=broker)
    make_request(initiative, department, MONDAY)
    with translation.override("en"), time_machine.travel(at(MONDAY + timedelta(days=1)),
                                                          tick=False):
        services.scan_flags()
    bodies = [m.body for m in mail.outbox]
    assert len(bodies) == 2  # the broker and the department
    for body in bodies:
        assert OVERDUE_NL in body
        assert "should have been answered" not in body


def test_the_admin_shows_the_reason_in_its_users_language(department: Department) -> None:
    flag = make_flag(reasons.OVERDUE, {"due": "2026-05-01"}, department=department)
    admin = User.objects.create_superuser("beheer", "beheer@gemeente.example", "x")
    english = client_for(admin, "en")
    listing = english.get("/admin/monitoring/flag/").content.decode()
    assert "The request to Verkeer en Mobiliteit should have been answered by May 1, 2026." \
        in listing
    detail = client_for(admin, "nl").get(f"/admin/monitoring/flag/{flag.pk}/change/")
    assert detail.status_code == 200
    assert "De vraag aan Verkeer en Mobiliteit had uiterlijk 1 mei 2026" in detail.content.decode()


# -- the migration: old sentences become codes where they can be read back exactly ------------

MIGRATED = ("monitoring", "0005_flag_reason_code")
BEFORE = ("monitoring", "0004_flag_area_broker")


@pytest.mark.django_db(transaction=True)
def test_the_migration_reads_old_sentences_back_and_keeps_the_rest(
        department: Department, broker: User) -> None:
    # A transactional test may follow another that flushed the tables, taking the default
    # rules (a data migration) with them: put them back first.
    from django.apps import apps

    default_rules = importlib.import_module("loket.monitoring.migrations.0002_default_rules")
    default_rules.create_defaults(apps, None)
    # Every kind of reason, raised by the real scan and read back as a Dutch sentence.
    make_initiative(state=State.SUBMITTED, entered=at(MONDAY))  # stalled_submitted, no_broker
    make_initiative(state=State.INTAKE, entered=at(MONDAY), broker=broker)
    make_initiative(state=State.ELABORATION, entered=at(MONDAY), broker=broker)
    late = make_initiative(state=State.CONSULTATION, entered=at(MONDAY), broker=broker)
    make_request(late, department, MONDAY)
    for decision, meeting in ((Answer.Decision.DECLINED, None),
                              (Answer.Decision.CONVERSATION_NEEDED, None),
                              (Answer.Decision.CONVERSATION_NEEDED, at(MONDAY, 14))):
        waiting = make_initiative(state=State.CONSULTATION, entered=at(MONDAY), broker=broker)
        given = answer(make_request(waiting, department, add_working_days(MONDAY, 10)),
                       decision, at(MONDAY))
        Answer.objects.filter(pk=given.pk).update(meeting_planned_at=meeting)
    with time_machine.travel(at(add_working_days(MONDAY, 40)), tick=False):
        services.scan_flags(notify=False)
    raised = {f.pk: (f.reason_code, f.reason_params, read(f, "nl"))
              for f in Flag.objects.all()}
    assert {code for code, _, _ in raised.values()} == set(reasons.CODES)

    executor = MigrationExecutor(connection)
    executor.migrate([BEFORE])
    old_apps = executor.loader.project_state([BEFORE]).apps
    old_flag = old_apps.get_model("monitoring", "Flag")
    # Going back writes every sentence out in Dutch.
    assert {f.pk: f.reason for f in old_flag.objects.all()} == {
        pk: text for pk, (_, _, text) in raised.items()}
    # Rows the migration must leave as they are: another wording, a renamed department.
    sample = old_flag.objects.get(pk=next(pk for pk, r in raised.items()
                                          if r[0] == reasons.OVERDUE))
    other = old_flag.objects.create(
        initiative_id=sample.initiative_id, kind="stalled", cause="state:intake:1",
        reason="Een zin in een oudere formulering.", ball_holder="broker",
        since=sample.since, created_at=sample.created_at)
    old_flag.objects.filter(pk=sample.pk).update(reason=sample.reason.replace(
        "Verkeer en Mobiliteit", "Verkeer"))

    executor = MigrationExecutor(connection)
    executor.migrate([MIGRATED])
    for flag in Flag.objects.select_related("department"):
        if flag.pk == other.pk:
            assert (flag.reason_code, flag.reason) == ("", "Een zin in een oudere formulering.")
        elif flag.pk == sample.pk:
            assert flag.reason_code == "" and flag.reason.startswith("De vraag aan Verkeer had")
        else:
            code, params, text = raised[flag.pk]
            assert (flag.reason_code, flag.reason_params, flag.legacy_reason) == (
                code, params, text)
            assert read(flag, "en") != text  # and now it reads in English too
