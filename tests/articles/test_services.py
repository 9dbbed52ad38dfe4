"""View counting: one view per reader per window, never lost under concurrency."""

import threading

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory

from articles.models import Article
from articles.services import flush_view_counts, reader_fingerprint, record_view
from tests.factories import BROWSER, make_article, make_user

pytestmark = pytest.mark.django_db


def visit(user=None, *, address="203.0.113.7", agent=BROWSER):
    """A GET request as the article view receives it."""
    headers = {"REMOTE_ADDR": address}
    if agent is not None:
        headers["HTTP_USER_AGENT"] = agent
    request = RequestFactory().get("/artikel/1/x/", **headers)
    request.user = user or AnonymousUser()
    return request


def views_of(article):
    """The stored count, once views buffered in Redis (if any) are written."""
    flush_view_counts()
    article.refresh_from_db()
    return article.view_count


@pytest.fixture
def article(db):
    return make_article()


def test_first_visit_counts_one_view(article, user):
    assert record_view(article, visit(user)) is True
    assert views_of(article) == 1


def test_reload_by_the_same_signed_in_reader_does_not_count_again(article, user):
    record_view(article, visit(user))
    # Same account from another address and browser: still the same reader.
    assert record_view(article, visit(user, address="198.51.100.1", agent="Firefox/1")) is False
    assert views_of(article) == 1


def test_reload_by_the_same_anonymous_reader_does_not_count_again(article):
    record_view(article, visit())
    assert record_view(article, visit()) is False
    assert views_of(article) == 1


def test_a_different_signed_in_reader_counts(article, user, other_user):
    record_view(article, visit(user))
    assert record_view(article, visit(other_user)) is True
    assert views_of(article) == 2


@pytest.mark.parametrize(
    "other", [{"address": "198.51.100.1"}, {"agent": BROWSER + " Edg/120.0"}], ids=["ip", "agent"]
)
def test_a_different_anonymous_reader_counts(article, other):
    record_view(article, visit())
    assert record_view(article, visit(**other)) is True
    assert views_of(article) == 2


def test_a_view_counts_for_one_article_only(article):
    second = make_article()
    record_view(article, visit())
    assert record_view(second, visit()) is True
    assert views_of(article) == 1
    assert views_of(second) == 1


def test_the_authors_own_visit_does_not_count(article):
    assert record_view(article, visit(article.author)) is False
    assert views_of(article) == 0


@pytest.mark.parametrize(
    "agent",
    [
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
        "facebookexternalhit/1.1 Preview",
        "Mozilla/5.0 HeadlessChrome/120.0",
        "Baiduspider",
        "",
        None,
    ],
    ids=["googlebot", "bingbot", "preview", "headless", "spider", "empty", "missing"],
)
def test_bots_and_empty_user_agents_do_not_count(article, agent):
    assert record_view(article, visit(agent=agent)) is False
    assert views_of(article) == 0


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.HIDDEN, Article.Status.DELETED]
)
def test_an_unpublished_article_never_counts(staff_user, status):
    article = make_article(status=status)
    assert record_view(article, visit(staff_user)) is False
    assert record_view(article, visit()) is False
    assert views_of(article) == 0


def test_counting_adds_to_the_stored_count_not_to_a_stale_copy(article, user, other_user):
    stale = Article.objects.get(pk=article.pk)
    Article.objects.filter(pk=article.pk).update(view_count=100)
    record_view(stale, visit(user))
    assert views_of(article) == 101


def test_anonymous_fingerprint_never_holds_the_raw_address(db):
    fingerprint = reader_fingerprint(visit(address="203.0.113.7"))
    assert "203.0.113.7" not in fingerprint
    assert fingerprint != reader_fingerprint(visit(address="203.0.113.8"))
    assert fingerprint == reader_fingerprint(visit(address="203.0.113.7"))


# --- Concurrency ------------------------------------------------------------------------

READERS = 20
# Issue 10: the readers of one hot article at once.
HOT_READERS = 64


def count_concurrently(article, requests):
    """Every request records a view at the same moment, each in its own thread
    with its own database connection, as separate app processes would."""
    barrier = threading.Barrier(len(requests))
    errors = []

    def read(request):
        try:
            barrier.wait(timeout=10)
            record_view(article, request)
        except Exception as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=read, args=(request,)) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert not any(thread.is_alive() for thread in threads)


def distinct_readers(count):
    """Half signed in, half anonymous readers from different addresses."""
    requests = []
    for number in range(count):
        if number % 2:
            requests.append(visit(make_user()))
        else:
            requests.append(visit(address=f"203.0.113.{number + 1}"))
    return requests


@pytest.mark.django_db(transaction=True)
def test_concurrent_readers_never_lose_a_count():
    article = make_article()
    count_concurrently(article, distinct_readers(READERS))
    assert views_of(article) == READERS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_readers_never_lose_a_count_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (the CI's second pass sets DATABASE_URL)")
    article = make_article()
    count_concurrently(article, distinct_readers(READERS))
    assert views_of(article) == READERS


@pytest.mark.django_db(transaction=True)
def test_concurrent_reloads_by_one_reader_count_once():
    article = make_article()
    reader = make_user()
    count_concurrently(article, [visit(reader) for _ in range(READERS)])
    assert views_of(article) == 1


@pytest.mark.django_db(transaction=True)
def test_64_concurrent_readers_of_one_hot_article_never_lose_a_count():
    article = make_article()
    requests = [visit(address=f"198.51.100.{number + 1}") for number in range(HOT_READERS)]
    count_concurrently(article, requests)
    assert views_of(article) == HOT_READERS


def test_a_flush_writes_each_buffered_view_once(article):
    for number in range(5):
        record_view(article, visit(address=f"192.0.2.{number + 1}"))

    flush_view_counts()
    assert views_of(article) == 5
    assert flush_view_counts() == 0
    assert views_of(article) == 5


@pytest.mark.django_db(transaction=True)
def test_a_batch_left_by_a_failed_flush_is_written_by_a_later_one(monkeypatch):
    from articles import viewcounts

    if viewcounts._redis() is None:
        pytest.skip("needs Redis (the CI's second pass sets REDIS_URL)")
    article = make_article()
    cache.set(viewcounts.FLUSH_SCHEDULED, 1)  # no flush queued by these views
    record_view(article, visit(address="192.0.2.1"))
    record_view(article, visit(address="192.0.2.2"))

    def fail(client, batch):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(viewcounts, "_write", fail)
    with pytest.raises(RuntimeError):
        flush_view_counts()
    monkeypatch.undo()
    assert views_of(article) == 0  # not yet: the batch waits in Redis

    monkeypatch.setattr(viewcounts, "ORPHAN_SECONDS", 0)
    assert views_of(article) == 2
    assert views_of(article) == 2
