"""Two steps on one initiative at the same moment: exactly one wins, the other gets 409."""

from __future__ import annotations

import threading
from typing import Any
from unittest import mock

import pytest
from django.db import connection, connections

from loket.core.actors import Actor
from loket.core.errors import Conflict
from loket.intake.models import Initiative
from loket.workflow import services
from loket.workflow.services import fire_transition
from loket.workflow.states import State

from .conftest import Cast, initiative_in


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("steps", [
    (("broker", "send_to_consultation", {}),
     ("manager", "request_plan_changes", {"public_note": "Graag een begroting."})),
    (("broker", "send_to_consultation", {}), ("manager", "send_to_consultation", {})),
])
def test_concurrent_conflicting_steps_on_postgresql(cast: Cast, steps: tuple) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: two real connections and row locks")
    initiative = initiative_in(State.PLAN_SUBMITTED, broker=cast.broker)
    users = {"broker": cast.broker, "manager": cast.manager}
    barrier = threading.Barrier(len(steps))
    results: list[Any] = []

    def run(role: str, name: str, params: dict) -> None:
        try:
            actor = Actor.for_user(users[role])
            barrier.wait(timeout=10)  # both threads hold a connection and go together
            fire_transition(initiative.pk, name, actor, **params)
            results.append(("ok", name))
        except Conflict as exc:
            results.append(("409", exc.extra["current_state"]))
        except Exception as exc:  # anything else is a failure of the test, report it
            results.append(("error", repr(exc)))
        finally:
            connections.close_all()  # this thread's own connection

    threads = [threading.Thread(target=run, args=step) for step in steps]
    # Routing (after commit) would move the initiative on; this test is about the race only.
    with mock.patch("loket.routing.services.route_to_departments") as route:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    assert route.call_count == (1 if "send_to_consultation" in {r[1] for r in results} else 0)
    assert sorted(r[0] for r in results) == ["409", "ok"], results
    [(_, winner)] = [r for r in results if r[0] == "ok"]
    [(_, seen_state)] = [r for r in results if r[0] == "409"]
    initiative.refresh_from_db()
    assert seen_state == initiative.state != "plan_submitted"  # the loser saw the new state
    [log] = initiative.history.all()
    assert (log.transition, log.source, log.target) == (winner, "plan_submitted",
                                                       initiative.state)


@pytest.mark.django_db
def test_stale_read_is_refused_by_the_optimistic_check_and_nothing_is_written(
        cast: Cast) -> None:
    """Even without the row lock (e.g. a database that ignores SELECT FOR UPDATE), django-fsm's
    ConcurrentTransitionMixin refuses to save over a state that changed since it was read."""
    initiative = initiative_in(State.PLAN_SUBMITTED, broker=cast.broker)
    stale = Initiative.objects.get(pk=initiative.pk)
    fire_transition(initiative.pk, "send_to_consultation", Actor.for_user(cast.broker))
    with mock.patch.object(services, "_lock", return_value=stale), \
            pytest.raises(Conflict) as exc:
        fire_transition(initiative.pk, "request_plan_changes", Actor.for_user(cast.manager),
                        public_note="Graag aanvullen.")
    assert exc.value.extra["current_state"] == "plan_submitted"
    initiative.refresh_from_db()
    assert initiative.state == "consultation"
    assert [log.transition for log in initiative.history.all()] == ["send_to_consultation"]
