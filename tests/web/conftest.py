"""Fixtures for the page tests: the demo municipality's configuration and accounts."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.test import Client


@pytest.fixture(autouse=True)
def _fast_and_fresh(settings: object) -> Iterator[None]:
    """Fast password hashing, and a fresh log-in throttle for every test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def demo(db: None) -> None:
    from loket.demo.services import load_accounts, load_configuration

    load_configuration()
    load_accounts()


def login(client: Client, username: str) -> Client:
    client.force_login(User.objects.get(username=username))
    return client


@pytest.fixture
def broker_client(demo: None, client: Client) -> Client:
    return login(client, "makelaar")


@pytest.fixture
def manager_client(demo: None, client: Client) -> Client:
    return login(client, "manager")


@pytest.fixture
def official_client(demo: None, client: Client) -> Client:
    return login(client, "verkeer")


@dataclass
class Story:
    """An initiative walked through the real services, with its tracking token."""

    initiative: Any
    token: str


def submitted(**overrides: Any) -> Story:
    from loket.intake.services import submit_initiative
    from tests.factories import submission_payload

    body = submission_payload(area="centrum", **overrides)
    result = submit_initiative(body)
    return Story(result.initiative, result.token or "")


def staff(username: str) -> Any:
    from loket.core.actors import Actor

    return Actor.for_user(User.objects.get(username=username))


def to_consultation(story: Story, departments: tuple[str, ...] = ("verkeer",)) -> Story:
    from loket.core.actors import Actor
    from loket.routing.services import update_routing
    from loket.workflow.services import fire_transition

    broker = staff("makelaar")
    pk = story.initiative.pk
    fire_transition(pk, "take_on", broker)
    fire_transition(pk, "agree_expectations", broker,
                    expectations_initiators="Wij zorgen voor de planten.",
                    expectations_municipality="De gemeente levert grond.")
    fire_transition(pk, "submit_plan", Actor.initiators(pk))
    update_routing(broker, pk, departments=list(departments))
    fire_transition(pk, "send_to_consultation", broker)
    story.initiative.refresh_from_db()
    return story


@pytest.fixture
def consultation(demo: None, django_capture_on_commit_callbacks: Any) -> Story:
    """An initiative in consultation with an open request to the traffic department."""
    with django_capture_on_commit_callbacks(execute=True):
        story = submitted()
    with django_capture_on_commit_callbacks(execute=True):
        to_consultation(story)
    return story
