"""View counts buffered in Redis, written to the database in batches by the worker.

With Redis as the shared cache, counting a view is one round trip: a Lua script
sets the reader's "seen" key (SET NX EX, the same key the in-process path uses
through ``cache.add``), adds one to the article's field in a hash of pending
counts (HINCRBY) and sets a "flush scheduled" key (SET NX EX
``VIEW_FLUSH_SECONDS``). The one view that sets that key, atomically the first
since the last flush was scheduled, queues the task ``flush_view_counts``
(articles/tasks.py) to run a second after the key expires; a burst of readers
queues one task per interval and no reader's request writes counts. Every view
is in a flush at most about ``VIEW_FLUSH_SECONDS`` (plus the worker's polling)
after it happened. With the immediate task backend (DEBUG, tests) the task runs
at once after the request's commit, in that request; a failing flush is logged
(``django.tasks``) and the page is served all the same. ``manage.py
flush_view_counts`` runs the same flush (deploys, cron, the benchmark).

No count is lost: the flush first RENAMEs the hash to a batch key (atomic: views
counted meanwhile start a new hash) and records the batch in a sorted set; it
then writes the batch in one transaction, one UPDATE ``view_count = view_count +
CASE pk WHEN .. THEN n .. END`` for up to ``ARTICLES_PER_UPDATE`` articles (one
statement for any realistic batch), and only after the commit deletes the batch
and its listing. A flush that dies before that delete leaves its batch listed;
a later flush claims it once it has waited ``ORPHAN_SECONDS`` (a script decides
which flush) and writes it.

Exactly once: the transaction that writes a batch also inserts its id into
``ViewCountBatch`` (unique). A retry of a batch whose transaction committed (a
crash between the commit and the Redis cleanup) fails that insert and only
cleans Redis up; two flushes writing one batch at the same moment are ordered
by the same constraint. Ledger rows are pruned after ``LEDGER_SECONDS``, except
those whose batch is still listed in Redis, so the guarantee holds however
long a batch waits. What it cannot survive is Redis itself losing data: Redis
persistence (AOF/RDB) decides what a Redis crash loses, never a double count.

Without Redis (the laptop default), or while it is unavailable, ``count_view``
returns None and the caller updates the row directly.
"""

import logging
import secrets
import time
from datetime import timedelta
from functools import partial
from itertools import batched

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone

from caching import redis

logger = logging.getLogger(__name__)

PENDING = "views:pending"
BATCHES = "views:batches"
FLUSH_SCHEDULED = "views:flush-scheduled"
ORPHAN_SECONDS = 300
LEDGER_SECONDS = 24 * 60 * 60
# Bounds the statement (three parameters an article); a batch of more articles
# takes one UPDATE for each this many, still in its one transaction.
ARTICLES_PER_UPDATE = 1000

# 0: seen already; 1: counted; 2: counted, and this view schedules the flush.
_COUNT_SCRIPT = """
if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[1]) then return 0 end
redis.call('HINCRBY', KEYS[2], ARGV[2], 1)
if redis.call('SET', KEYS[3], '1', 'NX', 'EX', ARGV[3]) then return 2 end
return 1
"""
# Take over a batch listed longer ago than the cutoff by moving its time to now:
# atomic, so of two flushes only one claims it.
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


def flush_interval() -> int:
    return max(1, settings.VIEW_FLUSH_SECONDS)  # Redis refuses EX 0


def count_view(article_pk: int, seen_key: str) -> bool | None:
    """Count a view unless ``seen_key`` exists; True if counted. None without Redis."""
    client = _redis()
    if client is None:
        return None
    result = redis.call(
        "view count",
        lambda client: client.count_script(
            keys=[
                cache.make_key(seen_key),
                cache.make_key(PENDING),
                cache.make_key(FLUSH_SCHEDULED),
            ],
            args=[settings.VIEW_COUNT_WINDOW, article_pk, flush_interval()],
        ),
    )
    if result is None:
        return None  # Redis is unavailable: the caller writes the view itself
    if result == 2:
        # robust: a flush that cannot be queued is logged, never the reader's
        # error; the counts wait in Redis for the next interval's view.
        transaction.on_commit(partial(schedule_flush, flush_interval() + 1), robust=True)
    return bool(result)


def schedule_flush(delay: int) -> None:
    """Queue the flush ``delay`` seconds from now (at once where tasks cannot wait)."""
    from .tasks import flush_view_counts

    task = flush_view_counts
    if task.get_backend().supports_defer:
        task = task.using(run_after=timezone.now() + timedelta(seconds=delay))
    task.enqueue()


def flush() -> int:
    """Write every pending count to the database; the number of views written."""
    client = _redis()
    if client is None:
        return 0
    import redis

    pending, batches = cache.make_key(PENDING), cache.make_key(BATCHES)
    now = time.time()
    claimed = []
    batch = f"{pending}:batch:{secrets.token_hex(16)}"
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
    written = sum(_write(client, key) for key in claimed)
    _prune_ledger(client)
    return written


def _batch_id(batch: str) -> str:
    return batch.rpartition(":")[2]


def _write(client, batch: str) -> int:
    """Write one batch exactly once, then remove it from Redis; the views written
    (0 when an earlier attempt had written it)."""
    from .models import Article, ViewCountBatch

    counts = {int(pk): int(n) for pk, n in client.hgetall(batch).items() if int(n)}
    written = sum(counts.values())
    try:
        with transaction.atomic():
            ViewCountBatch.objects.create(batch=_batch_id(batch), views=written)
            for chunk in batched(sorted(counts), ARTICLES_PER_UPDATE):
                added = Case(*(When(pk=pk, then=Value(counts[pk])) for pk in chunk), default=0)
                Article.objects.filter(pk__in=chunk).update(view_count=F("view_count") + added)
    except IntegrityError:
        if not ViewCountBatch.objects.filter(batch=_batch_id(batch)).exists():
            raise
        written = 0  # committed by an earlier attempt: only clean up
    _forget(client, batch)
    return written


def _forget(client, batch: str) -> None:
    with client.pipeline(transaction=True) as pipe:
        pipe.delete(batch).zrem(cache.make_key(BATCHES), batch).execute()


def _prune_ledger(client) -> None:
    from .models import ViewCountBatch

    listed = [_batch_id(key.decode()) for key in client.zrange(cache.make_key(BATCHES), 0, -1)]
    cutoff = timezone.now() - timedelta(seconds=LEDGER_SECONDS)
    ViewCountBatch.objects.filter(written_at__lt=cutoff).exclude(batch__in=listed).delete()
