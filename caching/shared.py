"""Whole pages kept in Redis as well as in each process's memory (README, "Caching").

A page one worker rendered serves every worker: a miss in this process's
store asks Redis before rendering, and a page stored here is stored there
too, compressed, for the same time. What is stored is checked against the
current generations on every use, wherever it came from, so a copy in Redis
is as fresh as one in memory. Without Redis (development, tests) or while it
is down, only the process's store is used.
"""

import hashlib
import pickle
import zlib

from django.conf import settings
from django.core.cache import cache

from . import memory, redis, stats


class SharedStore:
    """``get`` and ``put`` of :class:`memory.BoundedStore`, with Redis behind it."""

    def __init__(self, store: memory.BoundedStore, name: str):
        self.store = store
        self.name = name  # the counts' and keys' prefix: "page", "reader_page"

    def _shared_key(self, key: str) -> str:
        # A digest: the URL is the reader's, and may be long.
        digest = hashlib.sha256(key.encode()).hexdigest()
        return cache.make_key(f"{self.name}:{settings.CACHE_RELEASE}:{digest}")

    def get(self, key: str):
        found = self.store.get(key)
        if found is not None or not redis.is_available():
            return found
        shared_key = self._shared_key(key)

        def fetch(client):
            with client.pipeline(transaction=False) as pipe:
                return pipe.get(shared_key).pttl(shared_key).execute()

        stored, left_ms = redis.call(self.name, fetch, (None, 0))
        if stored is None or left_ms <= 0:
            return None
        try:
            found = pickle.loads(zlib.decompress(stored))  # noqa: S301 - written by put() only
        except Exception:  # another release's format: a miss
            return None
        stats.counts[f"{self.name}.shared"] += 1
        self.store.put(key, found, seconds=left_ms / 1000)
        return found

    def put(self, key: str, entry, *, seconds: float) -> None:
        self.store.put(key, entry, seconds=seconds)
        if not redis.is_available():
            return
        stored = zlib.compress(pickle.dumps(entry, pickle.HIGHEST_PROTOCOL), 1)
        milliseconds = max(1, int(seconds * 1000))
        redis.call(
            self.name, lambda client: client.set(self._shared_key(key), stored, px=milliseconds)
        )


pages = SharedStore(memory.pages, "page")
reader_pages = SharedStore(memory.reader_pages, "reader_page")
