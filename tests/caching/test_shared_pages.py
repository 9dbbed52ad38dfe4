"""A page one process rendered serves the others through Redis, as fresh as a copy
in memory, signed out and signed in (caching.shared; README, "Caching")."""

import pickle
import re
import shutil
import zlib

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from caching import memory, redis, stats
from comments.services import post_comment
from tests.caching.test_redis_outage import own_redis, redis_at  # noqa: F401 - fixtures
from tests.factories import BROWSER, make_article, make_topic, make_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]


@pytest.fixture
def article(settings, redis_at, own_redis):  # noqa: F811 - the fixtures imported above
    redis_at(own_redis.url)
    settings.PAGE_CACHE = True
    settings.FRAGMENT_CACHE = True
    memory.clear()
    writer = make_user(username="penulisbagi", display_name="Penulis Bagi")
    return make_article(author=writer, topic=make_topic("lingkungan"), title="Kebun warga")


def another_process():
    """What a second worker has: nothing in its memory, the same Redis."""
    memory.clear()


def counted(name: str) -> int:
    return stats.counts[f"{name}.shared"]


def test_a_signed_out_page_rendered_by_one_process_serves_another_without_a_query(article):
    url = article.get_absolute_url()
    first = Client(headers={"user-agent": BROWSER}).get(url)
    another_process()
    before = counted("page")

    with CaptureQueriesContext(connection) as queries:
        second = Client(headers={"user-agent": BROWSER}).get(url)

    assert second.status_code == 200
    assert counted("page") == before + 1
    assert [q["sql"] for q in queries.captured_queries] == []  # not rendered again
    assert "Kebun warga" in second.content.decode()
    # The same page, with its own CSP nonce.
    nonce = re.compile(rb'nonce="[^"]+"')
    assert nonce.sub(b"", first.content) == nonce.sub(b"", second.content)
    assert nonce.findall(first.content) != nonce.findall(second.content)


def test_a_copy_in_redis_is_never_served_after_a_write_it_does_not_show(article):
    url = article.get_absolute_url()
    Client(headers={"user-agent": BROWSER}).get(url)
    assert _stored_values("page")  # the page without the comment is in Redis
    post_comment(article, author=make_user(username="pengomentar"), body="Bibit cabai sudah.")
    another_process()

    page = Client(headers={"user-agent": BROWSER}).get(url).content.decode()

    assert "Bibit cabai sudah." in page


def test_a_shared_signed_in_copy_serves_another_process_with_each_readers_own_parts(article):
    url = article.get_absolute_url()
    ani = make_user(username="anibagi", display_name="Ani Bagi")
    budi = make_user(username="budibagi", display_name="Budi Bagi")
    ani_client, budi_client = (
        Client(headers={"user-agent": BROWSER}),
        Client(headers={"user-agent": BROWSER}),
    )
    ani_client.force_login(ani)
    budi_client.force_login(budi)
    ani_page = ani_client.get(url).content.decode()
    another_process()
    before = counted("reader_page")

    budi_response = budi_client.get(url)
    budi_page = budi_response.content.decode()

    assert counted("reader_page") == before + 1
    assert "Ani Bagi" in ani_page and "Ani Bagi" not in budi_page
    assert "Budi Bagi" in budi_page
    assert "kw-slot" not in budi_page and "kw-csrf" not in budi_page and "kw-csp" not in budi_page
    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', budi_page))
    assert len(tokens) == 1  # one token, the reader's, in every form
    # What Redis holds has no marker of the process that made it.
    stored = _stored_values("reader_page")
    assert any(b"Kebun warga" in value for value in stored)
    assert not any(b"kw-slot" in value for value in stored)


def _stored_values(name: str) -> list[bytes]:
    client = redis.client()
    return [zlib.decompress(client.get(key)) for key in client.keys(f"*:{name}:*")]


def test_an_entry_from_another_release_or_format_is_a_miss(article):
    url = article.get_absolute_url()
    Client(headers={"user-agent": BROWSER}).get(url)
    client = redis.client()
    for key in client.keys("*:page:*"):
        client.set(key, zlib.compress(pickle.dumps("not an entry"))[:-3], px=60_000)
    another_process()

    response = Client(headers={"user-agent": BROWSER}).get(url)

    assert response.status_code == 200
    assert "Kebun warga" in response.content.decode()
