"""What the caches hold: only what pages render (no password hash, no email), keys
that carry the release, and an in-process store whose bound counts everything
(README, "Caching")."""

import pickle
import tracemalloc

import pytest
from django.core.cache import cache
from django.test import Client

from caching import fragments, memory, redis
from tests.factories import BROWSER, make_article, make_topic, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def filled(settings, db):
    """Every public page type rendered with the caches on, signed out and in."""
    settings.PAGE_CACHE = True
    settings.FRAGMENT_CACHE = True
    topic = make_topic("kebijakan")
    writer = make_user(username="penulisrahasia", email="rahasia.penulis@example.com")
    article = make_article(author=writer, topic=topic, tags=["subsidi"], title="Jalan desa")
    make_article(author=writer, topic=topic, is_headline=True, title="Berita utama desa")
    reader = make_user(username="pembacarahasia", email="rahasia.pembaca@example.com")
    urls = ["/", topic.get_absolute_url(), "/tag/subsidi/", writer.get_absolute_url()]
    urls += [article.get_absolute_url(), "/cari/?q=desa"]
    signed_in = Client(headers={"user-agent": BROWSER})
    signed_in.force_login(reader)
    for client in (Client(headers={"user-agent": BROWSER}), signed_in):
        for url in urls:
            assert client.get(url).status_code == 200
    return {"writer": writer, "reader": reader}


def stored_fragments() -> dict[str, object]:
    """Every fragment in the shared cache (Redis, or the suite's in-process cache)."""
    client = redis.client()
    if client is None:
        raw = {key: value for key, value in cache._cache.items() if ":fragment:" in key}
    else:
        keys = list(client.scan_iter(match="*:fragment:*"))
        raw = {key.decode(): value for key, value in zip(keys, client.mget(keys), strict=True)}
    return {key: pickle.loads(value) for key, value in raw.items()}  # noqa: S301 - test's own


def stored_values():
    return list(stored_fragments().values())


def test_no_password_hash_or_email_is_cached(filled):
    values = stored_values()
    dumped = b"".join(pickle.dumps(value) for value in values)

    assert len(values) > 5  # the pages did cache their parts
    assert filled["writer"].password.encode() not in dumped
    assert b"rahasia.penulis@example.com" not in dumped
    assert b"rahasia.pembaca@example.com" not in dumped
    assert b"session" not in dumped


def test_fragment_keys_carry_the_release(filled, settings):
    keys = list(stored_fragments())
    assert keys
    assert all(f":fragment:{settings.CACHE_RELEASE}:" in key for key in keys)

    # A new release reads none of the last one's fragments.
    settings.CACHE_RELEASE = "next-release"
    computed = []
    fragments.cached("nav-topics:id", ["topics"], lambda: computed.append(1) or ["fresh"])
    assert computed == [1]


def test_the_store_bound_counts_keys_and_entries_not_just_values(settings):
    settings.FRAGMENT_CACHE_MAX_BYTES = 2 * 1024 * 1024
    settings.FRAGMENT_CACHE_MAX_ENTRIES = 1_000_000
    store = memory.BoundedStore("FRAGMENT_CACHE_MAX_BYTES", "FRAGMENT_CACHE_MAX_ENTRIES")

    tracemalloc.start()
    before = tracemalloc.get_traced_memory()[0]
    for number in range(50_000):  # tiny entries: a count under a long key
        store.put(f"fragment:release:recent-count:topic:{number}:abcdef", "7", seconds=60)
    held = tracemalloc.get_traced_memory()[0] - before
    tracemalloc.stop()

    assert store.bytes <= settings.FRAGMENT_CACHE_MAX_BYTES
    # What the process really holds stays within the bound plus a quarter.
    assert held <= settings.FRAGMENT_CACHE_MAX_BYTES * 1.25


def test_the_store_caps_the_number_of_entries(settings):
    settings.FRAGMENT_CACHE_MAX_ENTRIES = 100
    store = memory.BoundedStore("FRAGMENT_CACHE_MAX_BYTES", "FRAGMENT_CACHE_MAX_ENTRIES")
    for number in range(1000):
        store.put(f"k{number}", "v", seconds=60)

    assert len(store) == 100
    assert store.get("k999") == "v"
    assert store.get("k0") is None
