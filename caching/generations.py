"""Generations: the tokens that keep what is cached fresh (README, "Caching").

A token lives in the shared cache under ``gen:<name>``; whatever is cached
records the tokens it was built under, read *before* its data, and is used only
while they are unchanged. The services call :func:`bump` after a write. A
missing token is created at random, which only turns old entries into misses.
When Redis is unavailable every read gets a new random token, so nothing
cached matches and every page renders from the database.

A bump that cannot reach Redis is not lost: the process remembers it and, at
its next successful read of the tokens, bumps ``epoch``, which every token
carries, so everything cached before is stale at once (one cold cache per
outage instead of stale pages until they expire).
"""

import contextvars
import secrets
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from . import redis

# What each name covers; the services bump them (README has the table).
LISTS = "lists"  # the home page's lists and tag pages: publications, status, editorial labels
PEOPLE = "people"  # names and photos shown beside articles and comments
TOPICS = "topics"  # the topics in the header and on every article: the topic admin


def article(pk: int) -> str:
    """One article's page: its text, comments, ratings."""
    return f"article:{pk}"


def author(pk: int) -> str:
    """One person's profile as their page and their articles show it, and their list."""
    return f"author:{pk}"


def topic(pk: int) -> str:
    """One topic's list: every publication, edit and removal in it."""
    return f"topic:{pk}"


def related(pk: int) -> str:
    """The related lists on a topic's articles: an article leaving the topic or
    changing its title there (a new one joins them in time, README "Caching")."""
    return f"related:{pk}"


def reader(pk: int) -> str:
    """What one signed-in reader sees of their own: their bell, follows and ratings."""
    return f"reader:{pk}"


# Part of every token; bumped after a bump that failed (see the docstring).
EPOCH = "epoch"

# A generation lives this long without a bump; a missing one is recreated.
TIMEOUT = 24 * 60 * 60

# Set when a bump of this process failed: the next successful read bumps EPOCH.
_bump_lost = threading.Event()

# The tokens this request has read: name -> token (set by PageCacheMiddleware).
_read: contextvars.ContextVar[dict | None] = contextvars.ContextVar("generations", default=None)


def _key(name: str) -> str:
    return f"gen:{name}"


def _token() -> str:
    # When it was made (milliseconds, hex), then random: see settled_timeout.
    return f"{int(time.time() * 1000):x}.{secrets.token_hex(6)}"


def _decoded(value) -> str | None:
    try:
        return value.decode("ascii") if value is not None else None
    except UnicodeDecodeError:
        return None


def _fetch(names) -> tuple[str, ...]:
    """The current token of each name (one MGET; a missing one is created)."""
    if redis.client() is None:  # the in-process cache (development, tests)
        keys = [_key(name) for name in names]
        found = cache.get_many(keys)
        for key in keys:
            if key not in found:
                # add() so two threads creating it at once agree on one token.
                cache.add(key, _token(), timeout=TIMEOUT)
                found[key] = cache.get(key) or _token()
        return tuple(found[key] for key in keys)

    def fetch(client):
        if _bump_lost.is_set():
            client.set(cache.make_key(_key(EPOCH)), _token(), ex=TIMEOUT)
            _bump_lost.clear()
        keys = [cache.make_key(_key(name)) for name in (*names, EPOCH)]
        tokens = []
        for key, value in zip(keys, client.mget(keys), strict=True):
            token = _decoded(value)
            if token is None:
                # NX so two processes creating it at once agree on one token.
                client.set(key, _token(), nx=value is None, ex=TIMEOUT)
                token = _decoded(client.get(key)) or _token()
            tokens.append(token)
        *tokens, epoch = tokens
        return tuple(f"{token}~{epoch}" for token in tokens)

    return redis.call("generations", fetch) or tuple(_token() for _ in names)


def current(*names: str) -> tuple[str, ...]:
    """The tokens of ``names`` for this request, read once per request and name.

    Call it before reading the data they cover, so a write committed meanwhile
    leaves what is cached under the token stale.
    """
    read = _read.get()
    if read is None:
        return _fetch(names)
    missing = [name for name in dict.fromkeys(names) if name not in read]
    if missing:
        read.update(zip(missing, _fetch(missing), strict=True))
    return tuple(read[name] for name in names)


def depend_on(*names: str) -> None:
    """Declare that this request's page shows what ``names`` cover (reads their tokens)."""
    current(*names)


def forget(*names: str) -> None:
    """Take back reads of this request that what it caches must not depend on
    (tokens read ahead for something it turned out not to serve)."""
    read = _read.get()
    if read is not None:
        for name in names:
            read.pop(name, None)


def read_so_far() -> dict[str, str]:
    """Every generation this request has read: a cached page or block depends on them."""
    return dict(_read.get() or {})


def start_request(preset: dict | None = None):
    return _read.set(dict(preset or {}))


def end_request(reset_token) -> None:
    _read.reset(reset_token)


def bump(*names: str) -> None:
    """Make everything cached under these generations stale.

    Inside a transaction twice: at once, and again when it commits. A reader
    between the two may cache the rows as they were under the first new token;
    the second makes that stale, so what stays cached was read after the
    commit. A failing Redis never fails the write (caching.redis), and the
    bump it missed becomes a bump of EPOCH later (the module docstring).
    """
    names = tuple(dict.fromkeys(names))
    if not names:
        return

    def replace():
        if redis.client() is None:
            cache.set_many({_key(name): _token() for name in names}, timeout=TIMEOUT)
            return

        def write(client):
            with client.pipeline(transaction=False) as pipe:
                for name in names:
                    pipe.set(cache.make_key(_key(name)), _token(), ex=TIMEOUT)
                pipe.execute()
            return True

        if not redis.call("bump", write, default=False):
            _bump_lost.set()

    replace()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(replace, robust=True)


def settled_timeout(tokens, timeout: float) -> float:
    """``timeout``, shortened while a token is younger than the replicas' lag.

    With read replicas a reader may still see the rows from before a write
    for REPLICA_LAG_SECONDS after the bump; what it caches under the new token
    then lives only until the replicas have caught up.
    """
    lag = settings.REPLICA_LAG_SECONDS if settings.DATABASE_REPLICAS else 0
    if not lag:
        return timeout
    now = time.time()
    for token in tokens:
        made, _, _ = token.partition(".")
        try:
            age = now - int(made, 16) / 1000
        except ValueError:
            continue
        if age < lag:
            timeout = min(timeout, max(1.0, lag - age))
    return timeout
