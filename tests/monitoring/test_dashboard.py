"""The managers' dashboard: permissions, filters, CSV, correct figures, constant queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from loket.core.actors import MANAGER_GROUP
from loket.coupling.models import CouplingSuggestion, PolicyCarrier
from loket.intake.models import Area
from loket.monitoring import selectors, services
from loket.monitoring.models import DashboardSnapshot, Flag
from loket.routing.models import Department, RoutedRequest
from loket.routing.workdays import add_working_days
from loket.workflow.states import State

from .conftest import at, log, make_initiative, make_request, make_user

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 2)
NOW = at(add_working_days(MONDAY, 40), 12)


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def populate(n: int, broker: object, department: Department, area: Area) -> None:
    """n initiatives of every kind of trouble, plus finished ones with a history."""
    other = Area.objects.get_or_create(code="noord", name="Noord")[0]
    carrier = PolicyCarrier.objects.get_or_create(code="groen", name="Groen", scope="x")[0]
    for i in range(n):
        make_initiative(state=State.INTAKE, entered=at(MONDAY), broker=broker, area=area)
        make_initiative(state=State.ELABORATION, entered=at(MONDAY), broker=broker, area=other)
        late = make_initiative(state=State.CONSULTATION, entered=at(MONDAY), area=area)
        make_request(late, department, MONDAY + timedelta(days=14))
        done = make_initiative(state=State.REALIZED, entered=at(MONDAY), created=at(MONDAY),
                               broker=broker, area=area)
        log(done, at(MONDAY + timedelta(days=10 + i)), source=State.CONSULTATION,
            target=State.READY)
        log(done, at(MONDAY + timedelta(days=30 + i)), source=State.IN_PROGRESS,
            target=State.REALIZED)
        answered = make_request(done, department, MONDAY + timedelta(days=10),
                                status=RoutedRequest.Status.ANSWERED)
        RoutedRequest.objects.filter(pk=answered.pk).update(
            created_at=at(MONDAY), answered_at=at(MONDAY + timedelta(days=4 + i)))
        CouplingSuggestion.objects.create(initiative=done, carrier=carrier, rank=1, score=1.0,
                                          status=CouplingSuggestion.Status.ACCEPTED)
    with time_machine.travel(NOW, tick=False):
        services.scan_flags(notify=False)


@pytest.fixture
def populated(broker: object, department: Department, area: Area) -> None:
    populate(1, broker, department, area)


# -- permissions ------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/v1/dashboard/stalled", "/api/v1/dashboard/summary"])
def test_anonymous_and_officials_are_refused(path: str, official: object) -> None:
    anonymous = Client().get(path)
    assert anonymous.status_code == 401
    assert anonymous["Content-Type"] == "application/problem+json"
    response = client_for(official).get(path)
    assert response.status_code == 403
    assert response["Content-Type"] == "application/problem+json"
    response = client_for(official).get(path, {"format": "csv"})
    assert response.status_code == 403
    assert response.json()["status"] == 403


@pytest.mark.parametrize("path", ["/api/v1/dashboard/stalled", "/api/v1/dashboard/summary"])
def test_managers_and_brokers_may_read(path: str, manager: object, broker: object) -> None:
    assert client_for(manager).get(path).status_code == 200
    assert client_for(broker).get(path).status_code == 200


# -- the stalled list ---------------------------------------------------------------------------

def test_stalled_lists_reasons_and_ball_holders_longest_first(
        populated: None, manager: object) -> None:
    with time_machine.travel(NOW, tick=False):
        body = client_for(manager).get("/api/v1/dashboard/stalled").json()
    rows = body["results"]
    assert body["count"] == len(rows) == Flag.objects.filter(cleared_at__isnull=True).count()
    assert [r["since"] for r in rows] == sorted(r["since"] for r in rows)
    assert rows[0]["days"] >= rows[-1]["days"]
    holders = {r["ball_holder"] for r in rows}
    assert holders == {"broker", "initiators", "department"}
    overdue = next(r for r in rows if r["kind"] == "overdue")
    assert overdue["department"] == "verkeer"
    assert overdue["ball_holder_label"] == "Verkeer en Mobiliteit"
    assert overdue["reason"].startswith("De vraag aan Verkeer en Mobiliteit")


@pytest.mark.parametrize(("params", "expected"), [
    ({"ball_holder": "initiators"}, {("stalled", "initiators")}),
    ({"department": "verkeer"}, {("overdue", "department")}),
    ({"area": "noord"}, {("stalled", "initiators")}),
    ({"broker": "makelaar", "kind": "stalled"}, {("stalled", "broker"),
                                                  ("stalled", "initiators")}),
    ({"min_days": 1000}, set()),
])
def test_stalled_filters(populated: None, manager: object, params: dict,
                         expected: set) -> None:
    with time_machine.travel(NOW, tick=False):
        rows = client_for(manager).get("/api/v1/dashboard/stalled", params).json()["results"]
    assert {(r["kind"], r["ball_holder"]) for r in rows} == expected


def test_invalid_filters_are_all_reported(manager: object) -> None:
    response = client_for(manager).get("/api/v1/dashboard/stalled",
                                       {"ball_holder": "mayor", "min_days": "-3"})
    assert response.status_code == 400
    names = {p["name"] for p in response.json()["invalid_params"]}
    assert names == {"ball_holder", "min_days"}


def test_stalled_as_csv_with_dutch_headers(populated: None, manager: object) -> None:
    with time_machine.travel(NOW, tick=False):
        response = client_for(manager).get("/api/v1/dashboard/stalled", {"format": "csv"})
        by_accept = client_for(manager).get("/api/v1/dashboard/stalled",
                                            HTTP_ACCEPT="text/csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    assert lines[0] == ("Kenmerk;Titel;Status;Gebied;Makelaar;Soort;Reden;Aan zet;Sinds;Dagen;"
                        "Escalatieniveau")
    assert len(lines) == 1 + Flag.objects.filter(cleared_at__isnull=True).count()
    assert "Verkeer en Mobiliteit" in text
    assert by_accept.content == response.content


# -- the summary --------------------------------------------------------------------------------

def test_summary_figures(broker: object, department: Department, area: Area,
                         manager: object) -> None:
    populate(3, broker, department, area)
    with time_machine.travel(NOW, tick=False):
        body = client_for(manager).get("/api/v1/dashboard/summary").json()
    states = {r["state"]: r["count"] for r in body["initiatives_per_state"]}
    assert states["intake"] == 3 and states["realized"] == 3 and states["submitted"] == 0
    areas = {r["area"]: (r["count"], r["active"]) for r in body["initiatives_per_area"]}
    assert areas == {"centrum": (9, 6), "noord": (3, 3)}
    [verkeer] = body["requests_per_department"]
    assert (verkeer["open"], verkeer["overdue"], verkeer["answered"]) == (3, 3, 3)
    assert verkeer["median_answer_days"] == 5.0  # 4, 5, 6 days
    assert body["lead_time"] == {"submitted_to_ready_days": 11.0,
                                 "submitted_to_realized_days": 31.0}
    holders = {(r["ball_holder"], r["department"]): r["count"]
               for r in body["stalled_per_ball_holder"]}
    assert holders[("department", "verkeer")] == 3
    assert holders[("initiators", "")] == 3
    assert len(body["monthly_trend"]) == 12
    march = next(m for m in body["monthly_trend"] if m["month"] == "2026-03")
    assert march["submitted"] == 12
    assert sum(m["realized"] for m in body["monthly_trend"]) == 3
    # lead times per month of reaching the state: ready after 10, 11, 12 days (March),
    # realized after 30, 31, 32 days (April)
    april = next(m for m in body["monthly_trend"] if m["month"] == "2026-04")
    assert (march["lead_to_ready_days"], march["lead_to_realized_days"]) == (11.0, None)
    assert (april["lead_to_ready_days"], april["lead_to_realized_days"]) == (None, 31.0)
    assert body["accepted_couplings_per_carrier"] == [
        {"carrier": "groen", "name": "Groen", "accepted": 3}]


def test_median_of_an_even_number_is_the_mean_of_the_middle_two(
        broker: object, department: Department, area: Area) -> None:
    populate(4, broker, department, area)  # answer times 4, 5, 6, 7 days
    data = selectors.compute_summary(NOW)
    assert data["requests_per_department"][0]["median_answer_days"] == 5.5


def test_summary_is_served_from_the_snapshot_until_it_is_too_old(
        populated: None, manager: object, settings: object) -> None:
    with time_machine.travel(NOW, tick=False):
        first = client_for(manager).get("/api/v1/dashboard/summary").json()
    make_initiative(state=State.INTAKE)
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        cached = client_for(manager).get("/api/v1/dashboard/summary").json()
    assert cached == first
    with time_machine.travel(NOW + timedelta(hours=2), tick=False):
        fresh = client_for(manager).get("/api/v1/dashboard/summary").json()
    assert fresh["generated_at"] != first["generated_at"]
    assert DashboardSnapshot.objects.count() == 1


def test_the_beat_task_refreshes_the_summary(populated: None) -> None:
    from loket.monitoring.tasks import scan_flags

    with time_machine.travel(NOW, tick=False):
        scan_flags.delay()
    snapshot = DashboardSnapshot.objects.get()
    assert snapshot.computed_at == NOW
    assert snapshot.data["stalled_per_ball_holder"]


def test_summary_as_csv(populated: None, manager: object) -> None:
    with time_machine.travel(NOW, tick=False):
        response = client_for(manager).get("/api/v1/dashboard/summary",
                                           HTTP_ACCEPT="text/csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.startswith("Onderdeel;Onderwerp;Maat;Waarde\r\n")
    assert "Uitgezette vragen per afdeling;Verkeer en Mobiliteit;over termijn;1" in text
    assert "Doorlooptijd;ingediend tot gerealiseerd;mediaan (dagen);30.0" in text


# -- a constant number of queries -------------------------------------------------------------

def _count(client: Client, path: str, params: dict | None = None) -> int:
    with time_machine.travel(NOW, tick=False), CaptureQueriesContext(connection) as ctx:
        assert client.get(path, params or {}).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("path", "params"), [
    ("/api/v1/dashboard/stalled", {}),
    ("/api/v1/dashboard/stalled", {"format": "csv"}),
    ("/api/v1/dashboard/stalled", {"area": "centrum", "min_days": 3}),
])
def test_stalled_queries_do_not_grow_with_data(path: str, params: dict, broker: object,
                                               department: Department, area: Area) -> None:
    manager = make_user("baas", MANAGER_GROUP)
    client = client_for(manager)
    populate(1, broker, department, area)
    few = _count(client, path, params)
    populate(8, broker, department, area)
    assert _count(client, path, params) == few


def test_summary_queries_do_not_grow_with_data(broker: object, department: Department,
                                               area: Area) -> None:
    client = client_for(make_user("baas", MANAGER_GROUP))
    path = "/api/v1/dashboard/summary"
    populate(1, broker, department, area)
    few = selectors_queries()
    computed = _count(client, path)  # no snapshot yet: computed and stored
    served = _count(client, path)  # from the snapshot
    assert served < computed
    populate(8, broker, department, area)
    assert selectors_queries() == few
    assert _count(client, path) == served
    DashboardSnapshot.objects.all().delete()
    assert _count(client, path) == computed


def selectors_queries() -> int:
    with CaptureQueriesContext(connection) as ctx:
        selectors.compute_summary(NOW)
    return len(ctx.captured_queries)


def test_staff_list_filters_on_open_flags(broker: object, department: Department, area: Area,
                                           manager: object) -> None:
    populate(2, broker, department, area)
    flagged = {str(pk) for pk in Flag.objects.filter(cleared_at__isnull=True)
               .values_list("initiative_id", flat=True)}
    assert flagged  # populate leaves stalled and overdue initiatives behind
    client = client_for(manager)
    stalled = client.get("/api/v1/initiatives?stalled=true&page_size=100").json()["results"]
    moving = client.get("/api/v1/initiatives?stalled=false&page_size=100").json()["results"]
    assert {i["id"] for i in stalled} == flagged
    assert not {i["id"] for i in moving} & flagged
    assert len(stalled) + len(moving) == 8


# -- labels in the reader's language ----------------------------------------------------------

def _get(manager: object, language: str, **extra: str) -> object:
    """The summary as read with Accept-Language `language`."""
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(manager)
    return client.get("/api/v1/dashboard/summary", **extra)


def test_the_snapshot_stores_codes_and_no_labels(populated: None) -> None:
    data = selectors.refresh_summary(NOW)
    stored = DashboardSnapshot.objects.get().data
    assert stored == data
    assert all("label" not in r for r in stored["initiatives_per_state"])
    assert {r["name"] for r in stored["stalled_per_ball_holder"] if not r["department"]} == {""}


def test_one_snapshot_reads_in_dutch_and_in_english(populated: None, manager: object) -> None:
    with time_machine.travel(NOW, tick=False):
        selectors.refresh_summary()  # stored once, read in two languages
        dutch, english = _get(manager, "nl").json(), _get(manager, "en").json()
        dutch_csv = _get(manager, "nl", HTTP_ACCEPT="text/csv").content.decode("utf-8-sig")
        english_csv = _get(manager, "en", HTTP_ACCEPT="text/csv").content.decode("utf-8-sig")
    assert DashboardSnapshot.objects.count() == 1

    def labels(body: dict) -> tuple[dict, dict]:
        return ({r["state"]: r["label"] for r in body["initiatives_per_state"]},
                {(r["ball_holder"], r["department"]): r["name"]
                 for r in body["stalled_per_ball_holder"]})

    states, holders = labels(dutch)
    assert (states["elaboration"], states["consultation"]) == ("uitwerking", "in afstemming")
    assert holders[("initiators", "")] == "de initiatiefnemers"
    assert holders[("department", "verkeer")] == "Verkeer en Mobiliteit"
    states, holders = labels(english)
    assert (states["elaboration"], states["consultation"]) == ("elaboration",
                                                               "in consultation")
    assert holders[("initiators", "")] == "the initiators"
    assert holders[("department", "verkeer")] == "Verkeer en Mobiliteit"  # a name: as is
    # the shape of the answer does not depend on the language
    assert [sorted(r) for r in dutch["initiatives_per_state"]] == [
        sorted(r) for r in english["initiatives_per_state"]]
    assert all(sorted(r) == ["count", "label", "state"] for r in english["initiatives_per_state"])

    assert "Initiatieven per status;in afstemming;aantal;1\r\n" in dutch_csv
    assert "Signaleringen per aan zet;de initiatiefnemers;aantal;1\r\n" in dutch_csv
    assert "Initiatives by status;in consultation;number;1\r\n" in english_csv
    assert "Flags by whose turn it is;the initiators;number;1\r\n" in english_csv
    assert "de initiatiefnemers" not in english_csv and "in afstemming" not in english_csv


OLD_SNAPSHOT = {
    "generated_at": NOW.isoformat(),
    "initiatives_per_state": [
        {"state": "consultation", "label": "in afstemming", "count": 2},
        {"state": "archived", "label": "gearchiveerd", "count": 1},  # a code since removed
        {"label": "oud label", "count": 3},  # a row with no code at all
    ],
    "initiatives_per_area": [{"area": "", "name": "", "count": 6, "active": 2}],
    "requests_per_department": [],
    "lead_time": {"submitted_to_ready_days": None, "submitted_to_realized_days": None},
    "stalled_per_ball_holder": [
        {"ball_holder": "initiators", "department": "", "name": "de initiatiefnemers",
         "count": 4},
        {"ball_holder": "department", "department": "verkeer",
         "name": "Verkeer en Mobiliteit", "count": 2},
        {"ball_holder": "retired", "department": "", "name": "de wethouder", "count": 1},
    ],
    "monthly_trend": [],
    "accepted_couplings_per_carrier": [],
}


def test_a_snapshot_stored_with_dutch_labels_still_displays(manager: object) -> None:
    """Snapshots stored before the labels were left out: the codes are translated, and text
    whose code is unknown (or missing) reads as it was stored."""
    DashboardSnapshot.objects.create(key=DashboardSnapshot.SUMMARY, data=OLD_SNAPSHOT,
                                     computed_at=NOW)
    with time_machine.travel(NOW, tick=False):
        english = _get(manager, "en").json()
        dutch = _get(manager, "nl").json()
        csv = _get(manager, "en", HTTP_ACCEPT="text/csv").content.decode("utf-8-sig")
    assert [r["label"] for r in english["initiatives_per_state"]] == [
        "in consultation", "gearchiveerd", "oud label"]
    assert [r["label"] for r in dutch["initiatives_per_state"]] == [
        "in afstemming", "gearchiveerd", "oud label"]
    assert [r["name"] for r in english["stalled_per_ball_holder"]] == [
        "the initiators", "Verkeer en Mobiliteit", "de wethouder"]
    assert [r["count"] for r in english["stalled_per_ball_holder"]] == [4, 2, 1]
    assert "Initiatives by status;in consultation;number;2\r\n" in csv
    assert "Initiatives by status;gearchiveerd;number;1\r\n" in csv
    assert "Flags by whose turn it is;de wethouder;number;1\r\n" in csv
    assert DashboardSnapshot.objects.get().data == OLD_SNAPSHOT  # read, not rewritten
