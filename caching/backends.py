"""Django's Redis cache backend, answering a miss when Redis fails (caching.redis).

Used for everything that goes through ``django.core.cache.cache``: sessions
(``cached_db``: the database is the record, so a miss reads it), allauth's and
the project's rate limits, the comment flood control. Reads answer the default,
writes do nothing, ``incr`` raises ``ValueError`` as for a missing key.

``add`` is what rate limits are built on, so it fails open or closed by key:
keys starting with one of ``CACHE_FAIL_CLOSED_PREFIXES`` (sign-in, sign-up and
password reset limits) answer "already there", which refuses the attempt;
any other key answers "added", which lets it through (SECURITY.md says why).
"""

from django.conf import settings
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

from . import redis


class _OneClientPerPool(RedisCacheClient):
    """Django's client makes a new ``redis.Redis`` for every operation (a session
    read, a rate limit), and its constructor fills a table of reply callbacks
    each time. A ``redis.Redis`` holds no state beyond its pool and is safe
    across threads, so one per pool serves every operation."""

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        clients = self.__dict__.setdefault("_clients", {})
        if id(pool) not in clients:
            clients[id(pool)] = self._client(connection_pool=pool)
        return clients[id(pool)]


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        options = params.setdefault("OPTIONS", {})
        options.setdefault("socket_connect_timeout", redis.CONNECT_TIMEOUT)
        options.setdefault("socket_timeout", redis.SOCKET_TIMEOUT)
        super().__init__(server, params)
        self._class = _OneClientPerPool

    @staticmethod
    def _guard(what, operation, default):
        if redis.health.is_down():
            return default
        try:
            return operation()
        except redis.errors() as error:
            redis.health.failed(error, what)
            return default

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        closed = str(key).startswith(tuple(settings.CACHE_FAIL_CLOSED_PREFIXES))
        return self._guard(
            "add",
            lambda: super(ResilientRedisCache, self).add(key, value, timeout, version),
            not closed,
        )

    def get(self, key, default=None, version=None):
        return self._guard(
            "get", lambda: super(ResilientRedisCache, self).get(key, default, version), default
        )

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._guard(
            "set", lambda: super(ResilientRedisCache, self).set(key, value, timeout, version), None
        )

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(
            "touch", lambda: super(ResilientRedisCache, self).touch(key, timeout, version), False
        )

    def delete(self, key, version=None):
        return self._guard(
            "delete", lambda: super(ResilientRedisCache, self).delete(key, version), False
        )

    def get_many(self, keys, version=None):
        return self._guard(
            "get_many", lambda: super(ResilientRedisCache, self).get_many(keys, version), {}
        )

    def has_key(self, key, version=None):
        return self._guard(
            "has_key", lambda: super(ResilientRedisCache, self).has_key(key, version), False
        )

    def incr(self, key, delta=1, version=None):
        missing = object()
        value = self._guard(
            "incr", lambda: super(ResilientRedisCache, self).incr(key, delta, version), missing
        )
        if value is missing:
            raise ValueError(f"Key {key!r} not found (the cache is unavailable)")
        return value

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._guard(
            "set_many",
            lambda: super(ResilientRedisCache, self).set_many(data, timeout, version),
            list(data),
        )

    def delete_many(self, keys, version=None):
        self._guard(
            "delete_many", lambda: super(ResilientRedisCache, self).delete_many(keys, version), None
        )

    def clear(self):
        return self._guard("clear", lambda: super(ResilientRedisCache, self).clear(), False)
