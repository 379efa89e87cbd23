"""The load bench's bare baseline view exists only when LOKET_BENCH_BARE=1 is set."""

from __future__ import annotations

import importlib
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import override_settings
from django.urls import Resolver404, clear_url_caches, resolve


@pytest.fixture
def reload_urls() -> Iterator[None]:
    yield
    import loket.urls

    importlib.reload(loket.urls)
    clear_url_caches()


def test_the_bare_view_is_absent_by_default(client: object) -> None:
    assert settings.LOKET_BENCH_BARE is False
    with pytest.raises(Resolver404):
        resolve("/bench/bare")
    response = client.post("/bench/bare", {"title": "x"},  # type: ignore[attr-defined]
                           content_type="application/json")
    assert response.status_code == 404


def test_the_bare_view_is_mounted_only_when_asked_for(reload_urls: None) -> None:
    import loket.urls

    with override_settings(LOKET_BENCH_BARE=True):
        importlib.reload(loket.urls)
        clear_url_caches()
        assert resolve("/bench/bare").url_name == "bench-bare"
