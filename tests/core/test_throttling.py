"""The sliding-window throttle on a real Redis (the production cache), and its fail-open."""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Iterator
from typing import Any

import pytest
import redis
from rest_framework.test import APIRequestFactory

from loket.core import throttling
from loket.core.throttling import SlidingWindowThrottle

# Its own Redis db per xdist worker: each test flushes it.
WORKER = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0")[2:])
REDIS_URL = f"redis://127.0.0.1:6379/{13 - WORKER % 4}"


def _redis_up() -> bool:
    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping())
    except redis.RedisError:
        return False


needs_redis = pytest.mark.skipif(not _redis_up(), reason="needs Redis at 127.0.0.1:6379")


class ThreePerMinute(SlidingWindowThrottle):
    scope = "test"
    rate = "3/minute"

    def get_cache_key(self, request: Any, view: Any) -> str:
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def request(address: str = "10.0.0.1") -> Any:
    return APIRequestFactory().post("/", REMOTE_ADDR=address)


def attempt(at: float, address: str = "10.0.0.1") -> ThreePerMinute:
    throttle = ThreePerMinute()
    throttle.timer = lambda: at  # type: ignore[method-assign]
    throttle.allowed = throttle.allow_request(request(address), None)  # type: ignore[attr-defined]
    return throttle


@pytest.fixture
def redis_cache(settings: Any) -> Iterator[redis.Redis]:
    settings.CACHES = {"default": {"BACKEND": throttling.REDIS_CACHE, "LOCATION": REDIS_URL}}
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    throttling._client.cache_clear()
    yield client
    client.flushdb()
    throttling._client.cache_clear()


@needs_redis
def test_allows_the_rate_then_refuses_until_the_oldest_leaves_the_window(
        redis_cache: redis.Redis) -> None:
    assert [attempt(1000 + i).allowed for i in range(3)] == [True, True, True]
    refused = attempt(1010)
    assert refused.allowed is False
    assert refused.wait() == pytest.approx(50)  # the first one leaves at 1060
    assert attempt(1030).allowed is False  # refusals do not count against the client ...
    assert attempt(1060.5).allowed is True  # ... so one slot is free once the first left
    assert attempt(1060.7).allowed is False
    assert redis_cache.ttl(b"loket:throttle:throttle_test_10.0.0.1") <= 61  # keys expire


@needs_redis
def test_counts_per_client_address(redis_cache: redis.Redis) -> None:
    for i in range(3):
        attempt(1000 + i, "10.0.0.1")
    assert attempt(1005, "10.0.0.1").allowed is False
    assert attempt(1005, "10.0.0.2").allowed is True


@needs_redis
def test_concurrent_requests_never_exceed_the_rate(redis_cache: redis.Redis) -> None:
    results: list[bool] = []
    barrier = threading.Barrier(12)

    def hit() -> None:
        barrier.wait()
        results.append(attempt(2000).allowed)  # type: ignore[attr-defined]

    threads = [threading.Thread(target=hit) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert sorted(results) == [False] * 9 + [True] * 3


def test_fails_open_when_redis_is_unreachable(settings: Any, caplog: Any) -> None:
    settings.CACHES = {"default": {"BACKEND": throttling.REDIS_CACHE,
                                   "LOCATION": "redis://127.0.0.1:1/0",
                                   "OPTIONS": {"socket_connect_timeout": 0.2}}}
    throttling._client.cache_clear()
    try:
        with caplog.at_level(logging.WARNING, logger="loket.core.throttling"):
            assert all(attempt(3000 + i).allowed for i in range(5))
    finally:
        throttling._client.cache_clear()
    assert "throttle cache unavailable" in caplog.text


def test_other_caches_keep_drf_behaviour() -> None:
    """Tests and the embedded mode use DRF's list in the cache (local memory here)."""
    assert [attempt(4000 + i).allowed for i in range(4)] == [True, True, True, False]
    assert attempt(4003).wait() == pytest.approx(57)


@needs_redis
def test_submissions_over_the_rate_get_429_with_retry_after(redis_cache: redis.Redis,
                                                            settings: Any) -> None:
    from rest_framework.test import APIClient

    from loket.intake.api.throttling import IntakeThrottle

    IntakeThrottle.THROTTLE_RATES = {**IntakeThrottle.THROTTLE_RATES, "intake": "2/hour"}
    try:
        client = APIClient()
        statuses = [client.post("/api/v1/initiatives", {}, format="json").status_code
                    for _ in range(3)]
        refused = client.post("/api/v1/initiatives", {}, format="json")
    finally:
        del IntakeThrottle.THROTTLE_RATES
    assert statuses == [400, 400, 429]  # invalid bodies count too: the limit guards the door
    assert refused.status_code == 429 and 3500 < int(refused["Retry-After"]) <= 3600
    assert refused["Content-Type"].startswith("application/problem+json")
