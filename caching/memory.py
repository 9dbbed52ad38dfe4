"""The in-process store behind the page cache and the fragments (README, "Caching")."""

import sys
import threading
import time
from collections import OrderedDict

from django.conf import settings

# What one entry costs beyond its key and value: the OrderedDict's slot and
# link, the (value, size, expiry) tuple and the float, estimated for CPython
# 3.13 (tests/caching/test_stored.py checks the bound with tracemalloc).
ENTRY_OVERHEAD = 240


def size_of(value) -> int:
    """The bytes a stored value holds: strings and bytes as Python keeps them;
    anything else says so itself (``value.size``)."""
    if isinstance(value, str | bytes):
        return sys.getsizeof(value)
    return value.size


class BoundedStore:
    """A least-recently-used dict of values that expire, bounded in bytes (keys,
    values and the overhead of each entry) and in entries. The limits are the
    settings named, read at each write so tests can change them."""

    def __init__(self, bytes_setting: str, entries_setting: str):
        self._entries: OrderedDict[str, tuple[object, int, float]] = OrderedDict()
        self._bytes = 0
        self._bytes_setting, self._entries_setting = bytes_setting, entries_setting
        self._lock = threading.Lock()  # runserver and threaded workers

    def get(self, key: str):
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            value, _size, expires = found
            if expires < time.monotonic():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return value

    def put(self, key: str, value, *, seconds: float) -> None:
        limit = getattr(settings, self._bytes_setting)
        most = getattr(settings, self._entries_setting)
        size = sys.getsizeof(key) + size_of(value) + ENTRY_OVERHEAD
        if size > limit:
            return
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (value, size, time.monotonic() + seconds)
            self._bytes += size
            while self._bytes > limit or len(self._entries) > most:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: str) -> None:
        self._bytes -= self._entries.pop(key)[1]

    @property
    def bytes(self) -> int:
        return self._bytes

    def __len__(self) -> int:
        return len(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


# Whole pages (caching.pages) and fragments in front of the shared cache
# (caching.fragments), in this process's memory.
pages = BoundedStore("PAGE_CACHE_MAX_BYTES", "PAGE_CACHE_MAX_ENTRIES")
fragments = BoundedStore("FRAGMENT_CACHE_MAX_BYTES", "FRAGMENT_CACHE_MAX_ENTRIES")
# Signed-in pages shared by every ordinary reader (caching.readers), with the
# page cache's limits in a store of their own.
reader_pages = BoundedStore("PAGE_CACHE_MAX_BYTES", "PAGE_CACHE_MAX_ENTRIES")


def clear() -> None:
    """Empty every store of this process."""
    for store in (pages, fragments, reader_pages):
        store.clear()
