"""View counts buffered in Redis: flushed by the worker, never in a reader's request,
one UPDATE per batch, each batch counted exactly once (articles/viewcounts.py).

These need Redis: the configured one in the CI's PostgreSQL pass (REDIS_URL), else a
redis-server of their own on a free port, started once and always stopped."""

import logging
import shutil
import socket
import subprocess
import threading
import time
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.tasks import task_backends
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from articles import viewcounts
from articles.models import Article, ViewCountBatch
from articles.services import flush_view_counts, record_view
from tests.articles.test_services import visit
from tests.factories import BROWSER, make_article

# The worker checks its database connection between tasks and the threads have
# their own connections: these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(scope="session")
def redis_url():
    """A Redis for the cache: the configured one, else our own redis-server."""
    if django_settings.CACHES["default"]["BACKEND"].endswith("RedisCache"):
        yield None
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("needs redis-server (or REDIS_URL)")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(  # noqa: S603 (our own fixed arguments)
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    try:
        import redis

        client = redis.Redis(port=port)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        client.close()
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(autouse=True)
def redis_cache(redis_url, settings):
    """The shared cache is Redis, so views are buffered; empty before and after."""
    if redis_url is not None:
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": redis_url,
                "KEY_PREFIX": "viewcounts-tests",
            }
        }
    assert viewcounts.is_buffered()
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def database_tasks():
    """Queue tasks in the database, as production does, for the worker to run."""
    task_backends["default"] = DatabaseBackend(
        "default", {"BACKEND": "django_tasks_db.DatabaseBackend", "OPTIONS": {}}
    )
    yield
    del task_backends["default"]


def run_worker():
    call_command("db_worker", "--batch", "--no-startup-delay", "--queue-name", "*", verbosity=0)


def read(article, readers, *, first=1):
    """``readers`` distinct anonymous readers view the article once each."""
    for number in range(first, first + readers):
        assert record_view(article, visit(address=f"198.51.100.{number}")) is True


def stored(*articles):
    return [Article.objects.get(pk=article.pk).view_count for article in articles]


def pending():
    client = viewcounts._redis()
    return {int(pk): int(n) for pk, n in client.hgetall(cache.make_key(viewcounts.PENDING)).items()}


def listed_batches():
    return viewcounts._redis().zcard(cache.make_key(viewcounts.BATCHES))


def article_updates(queries):
    return [q["sql"] for q in queries if q["sql"].startswith('UPDATE "articles_article"')]


# --- Off the request path -------------------------------------------------------------------


def test_a_readers_request_queues_the_flush_and_writes_no_count(database_tasks):
    article = make_article()
    with CaptureQueriesContext(connection) as queries:
        response = Client(REMOTE_ADDR="203.0.113.1").get(
            article.get_absolute_url(), headers={"user-agent": BROWSER}
        )

    assert response.status_code == 200
    assert article_updates(queries) == []
    assert pending() == {article.pk: 1}
    task = DBTaskResult.objects.get()
    assert task.task_path == "articles.tasks.flush_view_counts"
    assert task.run_after > timezone.now() + timedelta(seconds=django_settings.VIEW_FLUSH_SECONDS)
    assert stored(article) == [0]

    DBTaskResult.objects.update(run_after=timezone.now())
    run_worker()
    assert stored(article) == [1]
    assert pending() == {}


def test_a_burst_of_readers_queues_one_flush_per_interval(database_tasks):
    article = make_article()
    read(article, 20)
    assert DBTaskResult.objects.count() == 1

    cache.delete(viewcounts.FLUSH_SCHEDULED)  # the interval is over
    read(article, 5, first=21)
    assert DBTaskResult.objects.count() == 2

    DBTaskResult.objects.update(run_after=timezone.now())
    run_worker()
    assert stored(article) == [25]


def test_with_the_immediate_backend_the_flush_runs_after_the_view():
    article = make_article()
    read(article, 3)  # the first view flushed at once; the next two wait
    assert stored(article) == [1]
    assert pending() == {article.pk: 2}
    assert flush_view_counts() == 2
    assert stored(article) == [3]


def test_a_failing_flush_is_logged_and_the_page_is_served(monkeypatch, caplog):
    article = make_article()
    caplog.set_level(logging.ERROR, logger="django.tasks")  # run_worker(verbosity=0) mutes it

    def fail(client, batch):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(viewcounts, "_write", fail)
    response = Client(REMOTE_ADDR="203.0.113.1").get(
        article.get_absolute_url(), headers={"user-agent": BROWSER}
    )

    assert response.status_code == 200
    assert any(
        record.levelname == "ERROR" and "flush_view_counts" in record.getMessage()
        for record in caplog.records
    )
    monkeypatch.undo()
    monkeypatch.setattr(viewcounts, "ORPHAN_SECONDS", 0)
    assert flush_view_counts() == 1  # the batch waited in Redis
    assert stored(article) == [1]


def test_a_flush_that_cannot_be_queued_is_logged_and_the_page_is_served(monkeypatch, caplog):
    article = make_article()

    def refuse(delay):
        raise ConnectionError("the task queue is down")

    monkeypatch.setattr(viewcounts, "schedule_flush", refuse)
    response = Client(REMOTE_ADDR="203.0.113.1").get(
        article.get_absolute_url(), headers={"user-agent": BROWSER}
    )

    assert response.status_code == 200
    assert "the task queue is down" in caplog.text
    assert pending() == {article.pk: 1}  # waits for the next interval's view, or cron


def test_the_command_writes_what_is_pending(capsys):
    article = make_article()
    cache.set(viewcounts.FLUSH_SCHEDULED, 1)  # a flush is already on its way
    read(article, 4)

    call_command("flush_view_counts")

    assert capsys.readouterr().out.strip() == "4 views written."
    assert stored(article) == [4]


# --- One statement per batch ----------------------------------------------------------------


def test_the_flush_writes_every_pending_count_in_one_update():
    articles = [make_article() for _ in range(3)]
    Article.objects.filter(pk=articles[2].pk).update(view_count=10)
    cache.set(viewcounts.FLUSH_SCHEDULED, 1)
    for number, article in enumerate(articles, start=1):
        read(article, number)

    with CaptureQueriesContext(connection) as queries:
        assert flush_view_counts() == 6

    assert len(article_updates(queries)) == 1
    assert stored(*articles) == [1, 2, 13]
    assert ViewCountBatch.objects.get().views == 6


def test_a_batch_of_many_articles_is_written_in_bounded_statements(monkeypatch):
    monkeypatch.setattr(viewcounts, "ARTICLES_PER_UPDATE", 2)
    articles = [make_article() for _ in range(3)]
    cache.set(viewcounts.FLUSH_SCHEDULED, 1)
    for article in articles:
        read(article, 2)

    with CaptureQueriesContext(connection) as queries:
        flush_view_counts()

    assert len(article_updates(queries)) == 2
    assert stored(*articles) == [2, 2, 2]


# --- Exactly once ---------------------------------------------------------------------------


def crash_in_the_cleanup(monkeypatch):
    """The process dies after the commit, before Redis forgets the batch."""

    def die(client, batch):
        raise SystemExit("killed")

    monkeypatch.setattr(viewcounts, "_forget", die)


def test_a_crash_after_the_commit_never_counts_the_batch_twice(monkeypatch):
    article = make_article()
    cache.set(viewcounts.FLUSH_SCHEDULED, 1)
    read(article, 3)
    crash_in_the_cleanup(monkeypatch)
    with pytest.raises(SystemExit):
        flush_view_counts()
    monkeypatch.undo()
    assert stored(article) == [3]
    assert listed_batches() == 1  # left behind

    monkeypatch.setattr(viewcounts, "ORPHAN_SECONDS", 0)
    assert flush_view_counts() == 0

    assert stored(article) == [3]
    assert listed_batches() == 0


def test_concurrent_flushes_never_double_count(monkeypatch):
    article = make_article()
    cache.set(viewcounts.FLUSH_SCHEDULED, 1)
    read(article, 3)
    crash_in_the_cleanup(monkeypatch)
    with pytest.raises(SystemExit):
        flush_view_counts()
    monkeypatch.undo()
    read(article, 4, first=10)  # and more pending
    monkeypatch.setattr(viewcounts, "ORPHAN_SECONDS", 0)

    results = in_threads(flush_view_counts, flush_view_counts)

    assert sorted(results) == [0, 4]  # one of them wrote the new batch, the orphan was done
    assert stored(article) == [7]
    assert listed_batches() == 0


def test_two_flushes_writing_one_batch_at_once_count_it_once():
    """What the claim script prevents, the ledger survives too: both write it."""
    article = make_article()
    cache.set(viewcounts.FLUSH_SCHEDULED, 1)
    read(article, 5)
    client = viewcounts._redis()
    batch = cache.make_key(viewcounts.PENDING) + ":batch:" + "ab" * 16
    client.rename(cache.make_key(viewcounts.PENDING), batch)

    results = in_threads(
        lambda: viewcounts._write(viewcounts._redis(), batch),
        lambda: viewcounts._write(viewcounts._redis(), batch),
    )

    assert sorted(results) == [0, 5]
    assert stored(article) == [5]


def in_threads(*functions):
    """Run each function in its own thread (its own connection) at the same moment."""
    barrier = threading.Barrier(len(functions))
    results, errors = [], []

    def run(function):
        try:
            barrier.wait(timeout=10)
            results.append(function())
        except Exception as error:  # reported by the main thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(function,)) for function in functions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    assert not any(thread.is_alive() for thread in threads)
    return results


def test_views_counted_while_a_flush_runs_are_not_lost(monkeypatch):
    article = make_article()
    cache.set(viewcounts.FLUSH_SCHEDULED, 1)
    read(article, 2)
    write = viewcounts._write

    def write_while_reading(client, batch):
        read(article, 3, first=10)  # after the rename, before the batch's UPDATE
        return write(client, batch)

    monkeypatch.setattr(viewcounts, "_write", write_while_reading)
    assert flush_view_counts() == 2
    monkeypatch.undo()

    assert pending() == {article.pk: 3}
    assert flush_view_counts() == 3
    assert stored(article) == [5]


def test_old_ledger_rows_are_pruned_unless_their_batch_is_still_listed():
    client = viewcounts._redis()
    waiting = cache.make_key(viewcounts.PENDING) + ":batch:" + "cd" * 16
    client.zadd(cache.make_key(viewcounts.BATCHES), {waiting: time.time()})
    for batch in ("old", "cd" * 16, "recent"):
        ViewCountBatch.objects.create(batch=batch, views=1)
    a_day_ago = timezone.now() - timedelta(seconds=viewcounts.LEDGER_SECONDS + 60)
    ViewCountBatch.objects.exclude(batch="recent").update(written_at=a_day_ago)

    flush_view_counts()

    assert sorted(ViewCountBatch.objects.values_list("batch", flat=True)) == ["cd" * 16, "recent"]
