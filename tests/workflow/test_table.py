"""Every state × transition × role: allowed, or refused with the right status.

The expectations are written out by hand from the issue (not derived from the code), so a
change of a permission or a source state in fsm.py that the product did not ask for fails.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction

from loket.core.errors import Conflict, InvalidInput, NotFound, NotPermitted
from loket.workflow.services import fire_transition, transition_methods
from loket.workflow.states import BALL_HOLDER, State

from .conftest import ROLES, Cast, initiative_in

S = State
ACTIVE = {S.SUBMITTED, S.INTAKE, S.ELABORATION, S.PLAN_SUBMITTED, S.CONSULTATION, S.READY,
          S.IN_PROGRESS}
FACILITATORS = {"broker", "manager"}  # the assigned broker, or a manager

# transition: (source states, roles that may fire it, target or None for "same state")
SPEC: dict[str, tuple[set[str], set[str], str | None]] = {
    "take_on": ({S.SUBMITTED}, {"broker", "other_broker", "manager"}, S.INTAKE),
    "agree_expectations": ({S.INTAKE}, FACILITATORS, S.ELABORATION),
    "submit_plan": ({S.ELABORATION}, {"initiators"}, S.PLAN_SUBMITTED),
    "request_plan_changes": ({S.PLAN_SUBMITTED}, FACILITATORS, S.ELABORATION),
    "send_to_consultation": ({S.PLAN_SUBMITTED}, FACILITATORS, S.CONSULTATION),
    "complete_consultation": ({S.CONSULTATION}, {"system"}, S.READY),
    "return_to_elaboration": ({S.CONSULTATION}, {"system"}, S.ELABORATION),
    "start": ({S.READY}, {"initiators"}, S.IN_PROGRESS),
    "report_realized": ({S.IN_PROGRESS}, {"initiators"}, S.REALIZED),
    "pause": (ACTIVE, {"initiators"}, S.PAUSED),
    "resume": ({S.PAUSED}, {"initiators"}, S.CONSULTATION),  # where the fixture paused it
    "withdraw": (ACTIVE | {S.PAUSED, S.NOT_FEASIBLE}, {"initiators"}, S.WITHDRAWN),
    "mark_not_feasible": (ACTIVE - {S.SUBMITTED, S.IN_PROGRESS}, FACILITATORS, S.NOT_FEASIBLE),
    "reopen": ({S.NOT_FEASIBLE}, {"initiators"}, S.ELABORATION),
    "reassign_broker": (ACTIVE | {S.PAUSED, S.NOT_FEASIBLE}, {"manager"}, None),
}

VALID_INPUT: dict[str, dict[str, Any]] = {
    "agree_expectations": {"expectations_initiators": "Zij planten en onderhouden.",
                           "expectations_municipality": "Wij halen de tegels weg."},
    "request_plan_changes": {"public_note": "Graag een tekening van de plek."},
    "mark_not_feasible": {"motivation": "Er ligt een gasleiding onder.",
                          "alternative": "Plantenbakken op de stoep kunnen wel."},
}


def test_spec_covers_every_transition() -> None:
    assert set(SPEC) == set(transition_methods())


def expected(state: str, name: str, role: str) -> str:
    sources, roles, _target = SPEC[name]
    if role in {"anonymous", "other_initiators"}:
        return "403"  # no standing: refused without revealing the state
    if state not in sources:
        return "409"
    return "ok" if role in roles else "403"


def outcome(call: Any) -> tuple[str, Any]:
    try:
        with transaction.atomic():
            result = call()
            seen = (result.state, result.broker_id, result.ball_holder,
                    result.history.count())
            transaction.set_rollback(True)
            return "ok", seen
    except Conflict as exc:
        return "409", exc
    except NotPermitted as exc:
        return "403", exc
    except InvalidInput as exc:
        return "400", exc
    except NotFound as exc:
        return "404", exc


@pytest.mark.parametrize("name", sorted(SPEC))
@pytest.mark.parametrize("state", [s.value for s in State])
def test_every_state_transition_and_role(cast: Cast, state: str, name: str) -> None:
    initiative = initiative_in(state, broker=cast.broker)
    other = initiative_in(State.ELABORATION, broker=cast.other_broker)
    for role in ROLES:
        actor = cast.actor(role, initiative, other)
        params = dict(VALID_INPUT.get(name, {}))
        if name == "reassign_broker":
            params["broker"] = cast.other_broker.pk
        want = expected(state, name, role)
        got, detail = outcome(lambda a=actor, p=params: fire_transition(
            initiative.pk, name, a, **p))
        assert got == want, (state, name, role, detail)
        if got == "409":
            assert detail.extra["current_state"] == state
            assert isinstance(detail.extra["allowed_transitions"], list)
            assert name not in detail.extra["allowed_transitions"]
        if got != "ok":
            continue
        new_state, broker_id, holder, history = detail
        target = SPEC[name][2] or state
        assert new_state == target, (state, name, role)
        assert holder == BALL_HOLDER[target]
        assert history == 1
        if name == "reassign_broker":
            assert broker_id == cast.other_broker.pk
        if name == "take_on":
            assert broker_id == actor.user.pk
        required = {"public_note"} & set(params) | set(params) - {"public_note"}
        if required:  # the same step without its input: 400 naming every missing field
            blank = dict.fromkeys(params, "  ")
            got, detail = outcome(lambda a=actor, b=blank: fire_transition(
                initiative.pk, name, a, **b))
            assert got == "400", (state, name, role)
            assert set(detail.errors) == set(params)
    initiative.refresh_from_db()
    assert initiative.state == state  # every attempt was rolled back
