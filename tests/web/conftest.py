"""Fixtures for the page tests: the demo municipality's configuration and accounts."""

from __future__ import annotations

from collections.abc import Iterator

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
