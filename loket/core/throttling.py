"""Rate limits of the public endpoints and forms, shared by all web processes.

DRF's `SimpleRateThrottle` keeps a sliding window as a pickled list in the cache: a get and
a set per request, and Django's Redis cache builds a new client object for each (together
about a tenth of a submission's CPU). With a Redis cache the same sliding window lives in
a sorted set, counted in one pipelined round trip on one long-lived client. Other caches
(the file cache of the embedded mode, local memory in tests) keep DRF's own code.

Both paths fail open: a cache outage must not turn every submission into an error; losing
the rate limit for a few minutes is the smaller harm.
"""

from __future__ import annotations

import logging
import secrets
from functools import cache
from typing import Any

import redis
from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

logger = logging.getLogger(__name__)

REDIS_CACHE = "django.core.cache.backends.redis.RedisCache"
KEY_PREFIX = "loket:throttle:"


@cache
def _client(location: str, options: tuple[tuple[str, Any], ...]) -> redis.Redis:
    """One client (and connection pool, thread-safe) per process and cache location."""
    return redis.Redis.from_url(location, **dict(options))


def redis_client() -> redis.Redis | None:
    """The Redis behind the default cache, or None when the cache is something else."""
    config = settings.CACHES["default"]
    if config["BACKEND"] != REDIS_CACHE:
        return None
    location = config["LOCATION"]
    location = location[0] if isinstance(location, list | tuple) else location.split(",")[0]
    return _client(location, tuple(sorted(config.get("OPTIONS", {}).items())))


class SlidingWindowThrottle(SimpleRateThrottle):
    """DRF's sliding window (`N/period`), one Redis round trip per request; fails open."""

    oldest: float | None = None

    def allow_request(self, request: Any, view: Any) -> bool:
        try:
            client = redis_client()
            if client is None:
                return super().allow_request(request, view)
            return self._allow_with_redis(client, request, view)
        except Exception:  # redis down, timeout, full disk: all mean "cannot count now"
            logger.warning("throttle cache unavailable, request let through",
                           extra={"scope": self.scope}, exc_info=True)
            return True

    def _allow_with_redis(self, client: redis.Redis, request: Any, view: Any) -> bool:
        if self.rate is None:
            return True
        key = self.get_cache_key(request, view)
        if key is None:
            return True
        key = KEY_PREFIX + key
        self.now = self.timer()
        member = f"{self.now:.6f}:{secrets.token_hex(4)}"  # unique within the window
        pipe = client.pipeline(transaction=True)
        pipe.zremrangebyscore(key, "-inf", self.now - self.duration)
        pipe.zadd(key, {member: self.now})
        pipe.zcard(key)
        pipe.zrange(key, 0, 0, withscores=True)
        pipe.expire(key, int(self.duration) + 1)
        _, _, count, oldest, _ = pipe.execute()
        if count <= self.num_requests:
            return True
        client.zrem(key, member)  # as in DRF, a refused request does not count
        self.oldest = oldest[0][1] if oldest else self.now
        return False

    def wait(self) -> float | None:
        """Seconds until the oldest request in the window leaves it (`Retry-After`)."""
        if self.oldest is None:
            return super().wait()
        return max(0.0, self.duration - (self.now - self.oldest))
