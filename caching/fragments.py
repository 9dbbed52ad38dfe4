"""Values cached under a key and the generations they depend on (README, "Caching")."""

import functools
import pickle

from django.conf import settings
from django.core.cache import cache

from . import generations, memory, redis, stats


class Frozen:
    """A pickled value in this process's memory (each request gets its own copy)."""

    __slots__ = ("data",)

    def __init__(self, data: bytes):
        self.data = data

    @property
    def size(self) -> int:
        return len(self.data) + 48

    def thaw(self):
        return pickle.loads(self.data)  # noqa: S301 - written by cached() only


def cached(key: str, depends, compute, *, timeout: int | None = None):
    """``compute()``, cached under ``key`` and the current tokens of the generations
    ``depends``: a bump of any of them makes it a miss.

    ``compute`` must not return None (that reads as a miss) and must return plain
    data: what a page renders, never a whole user row. Two levels: this
    process's memory, then the shared cache; the tokens and the release are in
    the key, so a copy in memory is as fresh as the shared one and lives no
    longer. ``FRAGMENT_CACHE = False`` (the test suite's default) computes
    every time, and so does a request while Redis is unavailable.
    """
    tokens = generations.current(*depends)
    if not settings.FRAGMENT_CACHE:
        return compute()
    timeout = timeout or settings.PAGE_CACHE_SECONDS
    full_key = ":".join(["fragment", settings.CACHE_RELEASE, key, *tokens])
    timeout = max(1, int(generations.settled_timeout(tokens, timeout)))
    if redis.client() is None:  # an in-process cache already (development, tests)
        value = cache.get(full_key)
        if value is None:
            value = compute()
            cache.set(full_key, value, timeout=timeout)
        return value
    if not redis.is_available():
        return compute()
    found = memory.fragments.get(full_key)
    if found is not None:
        stats.counts["fragment.memory"] += 1
        return found.thaw() if isinstance(found, Frozen) else found
    shared_key = cache.make_key(full_key)

    def fetch(client):
        with client.pipeline(transaction=False) as pipe:
            return pipe.get(shared_key).pttl(shared_key).execute()

    stored, left_ms = redis.call("fragment", fetch, (None, 0))
    if stored is not None:
        try:
            value = pickle.loads(stored)  # noqa: S301 - written below only, keyed on the release
        except Exception:  # noqa: S110 - a value in another format is a miss
            pass
        else:
            if left_ms > 0:
                _keep(full_key, value, stored, left_ms / 1000)
            stats.counts["fragment.shared"] += 1
            return value
    stats.counts["fragment.computed"] += 1
    value = compute()
    stored = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    redis.call("fragment", lambda client: client.set(shared_key, stored, ex=timeout))
    _keep(full_key, value, stored, timeout)
    return value


def _keep(key: str, value, pickled: bytes, seconds: float) -> None:
    memory.fragments.put(key, value if isinstance(value, str) else Frozen(pickled), seconds=seconds)


def selector(*, depends, timeout: int | None = None):
    """Cache a read function under its name and arguments (simple values only).

    ``depends`` is a list of generation names or a function of the same
    arguments returning one:

        @selector(depends=lambda pk: [generations.author(pk)])
        def public_author(pk): ...
    """

    def decorate(function):
        name = f"{function.__module__}.{function.__qualname__}"

        @functools.wraps(function)
        def wrapped(*args):
            names = depends(*args) if callable(depends) else depends
            key = ":".join([name, *map(str, args)])
            return cached(key, names, lambda: function(*args), timeout=timeout)

        wrapped.uncached = function
        return wrapped

    return decorate
