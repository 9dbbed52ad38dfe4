"""Rate limits of the API, per client address and per token, in the shared cache
(README, "Public API"; SECURITY.md). Fixed one-minute windows: one round trip
to Redis per request and limit. While Redis is unavailable they allow, like the
comment and report limits: the API stays readable through an outage."""

import time

from django.core.cache import cache

from caching import redis

WINDOW_SECONDS = 60


def hit(key: str, limit: int) -> int | None:
    """Count one request under ``key``; None if allowed, else the seconds to wait."""
    if limit <= 0:
        return None
    now = time.time()
    window = int(now // WINDOW_SECONDS)
    full_key = f"api:rl:{key}:{window}"
    count = _increment(full_key)
    if count is None or count <= limit:
        return None
    return max(1, int((window + 1) * WINDOW_SECONDS - now + 0.999))


def _increment(key: str) -> int | None:
    if redis.client() is None:  # the in-process cache (development, tests)
        cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
        try:
            return cache.incr(key)
        except ValueError:
            return None
    shared_key = cache.make_key(key)

    def count(client):
        with client.pipeline(transaction=False) as pipe:
            return pipe.incr(shared_key).expire(shared_key, WINDOW_SECONDS * 2).execute()[0]

    return redis.call("api-limit", count)
