"""The sweeper: the database is the source of truth; lost tasks are re-enqueued once."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from unittest import mock

from django.utils import timezone

from loket.core.models import OutboxMail
from loket.routing import services
from loket.routing.models import RoutedRequest, RoutingProposal, RoutingRule
from loket.workflow.states import State

from .conftest import Town, initiative_in


def later() -> Any:
    return timezone.now() + timedelta(seconds=600)


def test_initiative_whose_proposal_never_came_is_proposed(town: Town) -> None:
    initiative = initiative_in(State.SUBMITTED, title="Zebrapad", description="Een zebrapad.")
    assert services.sweep(timezone.now())["proposals"] == 0  # too young
    with mock.patch("loket.coupling.services.suggest_couplings") as coupling:
        counts = services.sweep(later())
    assert counts["proposals"] == 1
    coupling.assert_called_once_with(str(initiative.pk))  # the lost task carried coupling too
    proposal = RoutingProposal.objects.get(initiative=initiative)
    assert proposal.computed_at is not None and proposal.retry_at is None
    assert services.sweep(later())["proposals"] == 0


def test_each_marker_value_is_enqueued_once_by_concurrent_sweepers(town: Town) -> None:
    initiative = initiative_in(State.SUBMITTED, title="Zebrapad", description="Een zebrapad.")
    now = later()
    with mock.patch("loket.routing.services.send_now", return_value=True) as send:
        first = services.sweep(now)
        second = services.sweep(now)  # the marker moved: nothing to do
    assert first["proposals"] == 1 and second["proposals"] == 0
    assert send.call_count == 1
    assert send.call_args.args[1] == str(initiative.pk)
    # The task never ran (broker down): after another period it is enqueued again.
    with mock.patch("loket.routing.services.send_now", return_value=True) as send:
        services.sweep(now + timedelta(seconds=600))
    assert send.call_count == 1


def test_consultation_without_requests_is_routed(town: Town) -> None:
    initiative = initiative_in(State.CONSULTATION, title="Zebrapad",
                               description="Een zebrapad.", state_entered_at=timezone.now())
    counts = services.sweep(later())
    assert counts["routings"] == 1
    assert RoutedRequest.objects.filter(initiative=initiative).count() == 1
    assert services.sweep(later())["routings"] == 0


def test_demo_rules_route_the_seed_examples(db: None) -> None:
    from loket.demo.services import load_configuration
    from loket.routing.rules import Facts

    load_configuration()
    count = RoutingRule.objects.count()
    load_configuration()  # idempotent
    assert RoutingRule.objects.count() == count > 12
    evaluation = services.evaluate(Facts(
        title="Bloembakken tegen hardrijders",
        description="Wij willen in de Kastanjelaan grote bloembakken op de rijbaan zetten en "
                    "een zelfgemaakt bord 'Hier spelen kinderen' ophangen. Auto's rijden veel "
                    "te hard door onze straat en er spelen veel kleine kinderen buiten.",
        requested_budget=350))
    assert {"verkeer", "subsidies"} <= set(evaluation.department_codes())
    permit = services.evaluate(Facts(title="Straatfeest", description="Een feest.",
                                     support=("permission",)))
    assert "vergunningen" in permit.department_codes()


def test_a_correction_during_a_recompute_keeps_learning_dirty_for_the_sweeper(
        town: Town) -> None:
    from loket.routing.models import RoutingLearning

    services._mark_learning_dirty()
    real_learn = services_text_learn()

    def learn_while_someone_corrects(*args: Any, **kwargs: Any) -> Any:
        services._mark_learning_dirty()  # a broker corrects a routing meanwhile
        return real_learn(*args, **kwargs)

    with mock.patch("loket.routing.text.learn", side_effect=learn_while_someone_corrects):
        assert services.recompute_learning() is False
    row = RoutingLearning.objects.get(pk=1)
    assert row.dirty_at is not None and row.computed_at is not None
    assert services.sweep(later())["learning"] == 1  # eager: recomputed at once
    assert RoutingLearning.objects.get(pk=1).dirty_at is None


def services_text_learn() -> Any:
    from loket.routing import text

    return text.learn


def test_a_pause_in_consultation_is_the_same_round_for_the_sweeper(
        town: Town, django_capture_on_commit_callbacks: Any) -> None:
    import time_machine

    from loket.core.actors import Actor
    from loket.workflow.services import fire_transition

    start = timezone.now()
    initiative = initiative_in(State.PLAN_SUBMITTED, broker=town.broker, title="Zebrapad",
                               description="Een zebrapad bij de school.")
    with django_capture_on_commit_callbacks(execute=True):
        fire_transition(initiative.pk, "send_to_consultation", town.actor(town.broker))
    request = RoutedRequest.objects.get(initiative=initiative)
    due = request.due_date
    with time_machine.travel(start + timedelta(days=1)), \
            django_capture_on_commit_callbacks(execute=True):
        fire_transition(initiative.pk, "pause", Actor.initiators(initiative.pk))
    with time_machine.travel(start + timedelta(days=15)), \
            django_capture_on_commit_callbacks(execute=True):
        fire_transition(initiative.pk, "resume", Actor.initiators(initiative.pk))
        counts = services.sweep(timezone.now() + timedelta(hours=1))
    assert counts["routings"] == 0
    request.refresh_from_db()
    assert request.due_date > due and request.status == RoutedRequest.Status.OPEN
    assert OutboxMail.objects.filter(key__startswith="request:").count() == 1


def test_answered_but_not_moved_on_is_settled_by_the_sweeper(town: Town) -> None:
    initiative = initiative_in(State.CONSULTATION, title="Zebrapad",
                               description="Een zebrapad bij de school.")
    services.route_to_departments(str(initiative.pk))
    request = RoutedRequest.objects.get(initiative=initiative)
    type(initiative).objects.filter(pk=initiative.pk).update(state=State.PAUSED,
                                                              paused_from=State.CONSULTATION)
    services.answer_request(town.actor(town.official), request.pk, decision="approved")
    # Resumed, but the settle task after the resume never arrived.
    type(initiative).objects.filter(pk=initiative.pk).update(state=State.CONSULTATION,
                                                              paused_from="")
    assert services.sweep(later())["settled"] == 1
    initiative.refresh_from_db()
    assert initiative.state == State.READY
    assert services.sweep(later())["settled"] == 0
