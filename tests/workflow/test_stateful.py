"""Random sequences of steps by random roles never reach an inconsistent initiative."""

from __future__ import annotations

from itertools import pairwise
from typing import Any

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from loket.core.actors import Actor
from loket.core.errors import Conflict, InvalidInput, NotPermitted
from loket.workflow.services import (
    available_transitions,
    fire_transition,
    start_workflow,
    transition_methods,
)
from loket.workflow.states import ACTIVE_STATES, BALL_HOLDER, FINAL_STATES, State
from tests.factories import InitiativeFactory, InitiatorFactory

from .conftest import ROLES, Cast

NAMES = sorted(transition_methods())
INITIATORS_ONLY = {"submit_plan", "start", "report_realized", "pause", "resume", "withdraw",
                   "reopen"}
SYSTEM_ONLY = {"complete_consultation", "return_to_elaboration"}
NEEDS_BROKER = {State.INTAKE, State.ELABORATION, State.PLAN_SUBMITTED, State.CONSULTATION,
                State.READY, State.IN_PROGRESS, State.REALIZED, State.NOT_FEASIBLE}


REACHED: set[str] = set()
# Hypothesis favours the first option: put the way forward first, so walks get deep, while
# the `step` rule and the remaining options add the detours.
FORWARD = ["take_on", "agree_expectations", "submit_plan", "send_to_consultation",
           "complete_consultation", "start", "report_realized"]


def assert_consistent(initiative_pk: Any, fired: list[str]) -> None:
    """Everything that must hold for any initiative, whatever happened to it."""
    from loket.intake.models import Initiative

    initiative = Initiative.objects.get(pk=initiative_pk)
    state = initiative.state
    assert initiative.ball_holder and initiative.ball_holder == BALL_HOLDER[state]
    assert (initiative.paused_from != "") == (state == State.PAUSED)
    if state == State.PAUSED:
        assert initiative.paused_from in ACTIVE_STATES
    if state in NEEDS_BROKER:
        assert initiative.broker_id is not None
    if state == State.NOT_FEASIBLE:
        assert initiative.not_feasible_motivation and initiative.not_feasible_alternative

    logs = list(initiative.history.order_by("at", "id"))
    assert [log.transition for log in logs[1:]] == fired  # nothing lost or extra
    assert (logs[0].transition, logs[0].source) == ("submit", State.SUBMITTED)
    assert [log.id for log in logs] == sorted(log.id for log in logs)
    for previous, log in pairwise(logs):
        assert log.source == previous.target, "a gap in the history"
        assert log.at >= previous.at
        assert previous.target not in FINAL_STATES, "a step after the end"
    assert logs[-1].target == state
    changes = [log for log in logs if log.source != log.target or log is logs[0]]
    assert initiative.state_entered_at == changes[-1].at
    moves = [log for i, log in enumerate(logs) if i == 0
             or BALL_HOLDER[log.target] != BALL_HOLDER[logs[i - 1].target]]
    assert initiative.ball_moved_at == moves[-1].at
    if state == State.REALIZED:
        assert (logs[-1].source, logs[-1].actor_role) == (State.IN_PROGRESS,
                                                           "initiators")
    for log in logs:
        if log.transition == "agree_expectations":
            assert log.details["expectations_initiators"]
        if log.target == State.WITHDRAWN:
            assert log.actor_role == "initiators"


def run_machine(cast: Cast) -> None:
    staff = {role: cast.actor(role, None) for role in ("broker", "other_broker", "manager",
                                                        "official")}

    def actor_for(role: str, initiative: Any, other: Any) -> Actor:
        return staff.get(role) or cast.actor(role, initiative, other)

    class Workflow(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.initiative = InitiativeFactory()
            InitiatorFactory(initiative=self.initiative)
            self.other = InitiativeFactory()
            start_workflow(self.initiative, Actor.initiators(self.initiative.pk))
            self.fired: list[str] = []

        @rule(name=st.sampled_from(NAMES), role=st.sampled_from(ROLES),
              with_input=st.booleans(), broker=st.sampled_from(["broker", "other_broker"]))
        def step(self, name: str, role: str, with_input: bool, broker: str) -> None:
            """Anything by anybody: mostly refused, which must leave no trace."""
            self.fire(name, role, with_input, broker)

        @rule(data=st.data(), broker=st.sampled_from(["broker", "other_broker"]))
        def sensible_step(self, data: st.DataObject, broker: str) -> None:
            """A step somebody may take now, so the machine gets deep (to realized)."""
            initiative = type(self.initiative).objects.get(pk=self.initiative.pk)
            options = sorted(
                ((role, t.name) for role in ROLES for t in available_transitions(
                    initiative, actor_for(role, initiative, self.other))),
                key=lambda option: FORWARD.index(option[1]) if option[1] in FORWARD else 99)
            if options:
                role, name = data.draw(st.sampled_from(options))
                self.fire(name, role, True, broker)

        def fire(self, name: str, role: str, with_input: bool, broker: str) -> None:
            actor = actor_for(role, self.initiative, self.other)
            params: dict[str, Any] = {}
            if with_input:
                params = {
                    "agree_expectations": {"expectations_initiators": "Wij doen het werk.",
                                           "expectations_municipality": "Wij helpen."},
                    "request_plan_changes": {"public_note": "Graag aanvullen."},
                    "mark_not_feasible": {"motivation": "Kan niet.", "alternative": "Dit wel."},
                    "reassign_broker": {"broker": getattr(cast, broker).pk},
                }.get(name, {})
            try:
                fire_transition(self.initiative.pk, name, actor, **params)
            except (Conflict, NotPermitted, InvalidInput):
                return
            self.fired.append(name)
            REACHED.add(type(self.initiative).objects.get(pk=self.initiative.pk).state)
            assert role not in {"anonymous", "other_initiators", "official"}, (name, role)
            if name in INITIATORS_ONLY:
                assert role == "initiators"
            if name in SYSTEM_ONLY:
                assert role == "system"

        @invariant()
        def consistent(self) -> None:
            assert_consistent(self.initiative.pk, self.fired)

    run_state_machine_as_test(Workflow, settings=settings(
        max_examples=20, stateful_step_count=30, deadline=None, derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]))


@pytest.mark.django_db
def test_random_steps_by_random_roles_stay_consistent(cast: Cast) -> None:
    REACHED.clear()
    run_machine(cast)
    assert State.INTAKE in REACHED, REACHED  # the walks did get past the first step


WALK = [  # (role, step, input): the way to realized with every detour on it
    ("broker", "take_on", {}), ("initiators", "pause", {}), ("initiators", "resume", {}),
    ("manager", "reassign_broker", {"broker": "other_broker"}),
    ("other_broker", "agree_expectations", {"expectations_initiators": "a",
                                            "expectations_municipality": "b"}),
    ("other_broker", "mark_not_feasible", {"motivation": "m", "alternative": "a"}),
    ("initiators", "reopen", {}), ("initiators", "submit_plan", {}),
    ("other_broker", "request_plan_changes", {"public_note": "Graag aanvullen."}),
    ("initiators", "submit_plan", {}), ("other_broker", "send_to_consultation", {}),
    ("initiators", "pause", {}), ("initiators", "resume", {}),
    ("system", "return_to_elaboration", {}), ("initiators", "submit_plan", {}),
    ("manager", "send_to_consultation", {}), ("system", "complete_consultation", {}),
    ("initiators", "start", {}), ("initiators", "report_realized", {}),
]


@pytest.mark.django_db
def test_a_fixed_walk_through_every_detour_stays_consistent(cast: Cast) -> None:
    """The checker above on a known deep path, whatever the random walks happen to reach."""
    initiative = InitiativeFactory()
    start_workflow(initiative, Actor.initiators(initiative.pk))
    fired: list[str] = []
    for role, name, params in WALK:
        if "broker" in params:
            params = {"broker": getattr(cast, params["broker"]).pk}
        fire_transition(initiative.pk, name, cast.actor(role, initiative), **params)
        fired.append(name)
        assert_consistent(initiative.pk, fired)
    initiative.refresh_from_db()
    assert initiative.state == State.REALIZED and initiative.ball_holder == "nobody"
