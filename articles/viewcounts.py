"""View counts buffered in Redis, written to the database in batches.

With Redis as the shared cache, counting a view is one round trip: a Lua script
sets the reader's "seen" key (SET NX EX, the same key the in-process path uses
through ``cache.add``), adds one to the article's field in a hash of pending
counts (HINCRBY) and tells whether a flush is due (the first view after a
quiet spell sets a deadline ``VIEW_FLUSH_SECONDS`` ahead; the first view past
it is due). The request that finds the flush due writes the pending counts to
the database: no row lock, no write per view, so 64 readers of
one hot article never queue on its row.

No count is lost: the flush first RENAMEs the hash to a batch key (atomic:
views counted meanwhile start a new hash) and records the batch in a sorted set,
then adds each article's count with ``view_count = view_count + n`` in one
transaction, and only after the commit deletes the batch. A flush that dies
between rename and delete leaves its batch listed; the next flush after
``ORPHAN_SECONDS`` claims it (ZREM decides who) and writes it. The price is
at-least-once: a process killed between the commit and the DEL would write that
batch twice. Counts wait in Redis at most about ``VIEW_FLUSH_SECONDS`` while
the site is read; ``manage.py flush_view_counts`` writes what is left (deploys,
cron). Redis persistence (AOF/RDB) decides what a Redis crash loses.

Without Redis (the laptop default), or while it is unavailable, ``count_view``
returns None and the caller updates the row directly.
"""

import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import F

from caching import redis

PENDING = "views:pending"
BATCHES = "views:batches"
FLUSH_DUE = "views:flush-after"
ORPHAN_SECONDS = 300

# 0: seen already; 1: counted; 2: counted, and the flush is due. The first view
# into a quiet buffer sets the deadline; the first after it flushes.
_COUNT_SCRIPT = """
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
local now = tonumber(redis.call('TIME')[1])
local deadline = tonumber(redis.call('GET', KEYS[3]))
if deadline and now < deadline then return 1 end
redis.call('SET', KEYS[3], now + tonumber(ARGV[3]))
if deadline then return 2 end
return 1
"""
# Take over a batch listed longer ago than the cutoff by moving its time to now:
# atomic, so of two flushes only one writes it.
_CLAIM_SCRIPT = """
local listed = redis.call('ZSCORE', KEYS[1], ARGV[1])
if listed and tonumber(listed) <= tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], ARGV[3], ARGV[1])
  return 1
end
return 0
"""


def _redis():
    """The shared cache's Redis server (with the scripts), or None when it is not Redis."""
    client = redis.client()
    if client is None:
        return None
    if not hasattr(client, "count_script"):
        client.count_script = client.register_script(_COUNT_SCRIPT)
        client.claim_script = client.register_script(_CLAIM_SCRIPT)
    return client


def is_buffered() -> bool:
    """True when views go to Redis first (no UPDATE while the page is served)."""
    return _redis() is not None


def count_view(article_pk: int, seen_key: str) -> bool | None:
    """Count a view unless ``seen_key`` exists; True if counted. None without Redis."""
    client = _redis()
    if client is None:
        return None
    result = redis.call(
        "view count",
        lambda client: client.count_script(
            keys=[cache.make_key(seen_key), cache.make_key(PENDING), cache.make_key(FLUSH_DUE)],
            args=[settings.VIEW_COUNT_WINDOW, article_pk, settings.VIEW_FLUSH_SECONDS],
        ),
    )
    if result is None:
        return None  # Redis is unavailable: the caller writes the view itself
    if result == 2:
        flush()
    return bool(result)


def flush() -> int:
    """Write every pending count to the database; the number of views written."""
    client = _redis()
    if client is None:
        return 0
    import redis

    pending, batches = cache.make_key(PENDING), cache.make_key(BATCHES)
    now = time.time()
    claimed = []
    batch = f"{pending}:batch:{secrets.token_hex(8)}"
    try:
        with client.pipeline(transaction=True) as pipe:
            pipe.rename(pending, batch).zadd(batches, {batch: now}).execute()
        claimed.append(batch)
    except redis.ResponseError:
        pass  # nothing pending (no such key)
    cutoff = now - ORPHAN_SECONDS
    for orphan in client.zrangebyscore(batches, "-inf", cutoff):
        if client.claim_script(keys=[batches], args=[orphan, cutoff, now]):
            claimed.append(orphan.decode())
    return sum(_write(client, key) for key in claimed)


def _write(client, batch: str) -> int:
    from .models import Article

    counts = {int(pk): int(n) for pk, n in client.hgetall(batch).items() if int(n)}
    with transaction.atomic():
        for pk in sorted(counts):  # one order, so two flushes never deadlock
            Article.objects.filter(pk=pk).update(view_count=F("view_count") + counts[pk])
    with client.pipeline(transaction=True) as pipe:
        pipe.delete(batch).zrem(cache.make_key(BATCHES), batch).execute()
    return sum(counts.values())
