"""The shared cache's Redis server, reached with short timeouts; a failure is a miss.

Every Redis call of the project goes through :func:`call` (or the Django cache
backend in ``caching.backends``, which follows the same rule): a refused
connection, a timeout or a server error is logged once per
``CACHE_ERROR_LOG_SECONDS`` and answered with the caller's default. After a
failure the server is left alone for ``CACHE_RETRY_SECONDS`` (every call is a
miss at once), so a Redis that hangs costs one timeout per process per
interval, not one per call; then the next call tries again, and caching
resumes by itself.
"""

import functools
import logging
import threading
import time

from django.conf import settings

logger = logging.getLogger("caching")

# The socket timeouts of every Redis client (seconds): a healthy Redis on the
# same network answers in a millisecond.
CONNECT_TIMEOUT = 0.25
SOCKET_TIMEOUT = 0.5


class _Health:
    """When the server last failed, shared by the threads of this process."""

    def __init__(self):
        self.down_until = 0.0
        self.logged_at = 0.0
        self.failures = 0  # a request that saw one stores no page (caching.pages)
        self.lock = threading.Lock()

    def is_down(self) -> bool:
        return time.monotonic() < self.down_until

    def failed(self, error: Exception, what: str) -> None:
        now = time.monotonic()
        with self.lock:
            self.failures += 1
            self.down_until = now + settings.CACHE_RETRY_SECONDS
            if now - self.logged_at < settings.CACHE_ERROR_LOG_SECONDS and self.logged_at:
                return
            self.logged_at = now
        logger.warning("Redis unavailable (%s): %s; serving without the cache", what, error)

    def reset(self) -> None:
        self.down_until = self.logged_at = 0.0


health = _Health()


def errors() -> tuple[type[BaseException], ...]:
    import redis

    return (redis.RedisError, OSError)


def client():
    """One client per process for the shared cache's server; None when it is not Redis.

    Django's RedisCache makes a new client object for every operation; the
    generations, fragments and view counts use this one, under the keys
    Django would use (``cache.make_key``), so ``cache.clear()`` clears them.
    """
    config = settings.CACHES["default"]
    if "Redis" not in config["BACKEND"]:
        return None
    location = config["LOCATION"]
    return _client(location if isinstance(location, str) else location[0])


@functools.cache
def _client(url: str):
    import redis

    return redis.Redis.from_url(
        url,
        socket_connect_timeout=CONNECT_TIMEOUT,
        socket_timeout=SOCKET_TIMEOUT,
        retry_on_timeout=False,
        health_check_interval=30,
    )


def call(what: str, operation, default=None):
    """``operation(client)``, or ``default`` when Redis is absent, down or fails."""
    redis_client = client()
    if redis_client is None or health.is_down():
        return default
    try:
        return operation(redis_client)
    except errors() as error:
        health.failed(error, what)
        return default


def is_available() -> bool:
    """Whether the shared cache is Redis and not known to be down."""
    return client() is not None and not health.is_down()
