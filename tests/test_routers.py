"""Read replicas: which database each read and write goes to (blogplatform/routers.py).

The CI's PostgreSQL pass runs the whole suite with a replica configured
(DATABASE_REPLICA_URLS, a second database on the same server that, under
test, mirrors the primary's); these tests pin the decisions themselves.
"""

import pytest
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpResponse
from django.test import RequestFactory

from articles.models import Article
from blogplatform.routers import (
    COOKIE_NAME,
    PrimaryAfterWriteMiddleware,
    PrimaryReplicaRouter,
    read_from_primary,
)
from tests.factories import make_article

router = PrimaryReplicaRouter()


@pytest.fixture
def replicas(settings):
    settings.DATABASE_REPLICAS = ["replica1", "replica2"]
    settings.REPLICA_LAG_SECONDS = 10
    return settings.DATABASE_REPLICAS


def test_without_replicas_everything_reads_from_the_primary(settings):
    settings.DATABASE_REPLICAS = []

    assert router.db_for_read(Article) == DEFAULT_DB_ALIAS


def test_reads_go_to_the_replicas(replicas):
    chosen = {router.db_for_read(Article) for _ in range(200)}

    assert chosen == set(replicas)


@pytest.mark.django_db(transaction=True)
def test_a_read_inside_a_write_transaction_goes_to_the_primary(replicas):
    with transaction.atomic():
        assert router.db_for_read(Article) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Article) in replicas


def test_writes_and_migrations_go_to_the_primary_only(replicas):
    assert router.db_for_write(Article) == DEFAULT_DB_ALIAS
    assert router.allow_migrate(DEFAULT_DB_ALIAS, "articles")
    assert not router.allow_migrate("replica1", "articles")


def test_the_task_queue_is_always_read_from_the_primary(replicas):
    from django_tasks_db.models import DBTaskResult

    assert {router.db_for_read(DBTaskResult) for _ in range(50)} == {DEFAULT_DB_ALIAS}


def test_a_pinned_context_reads_from_the_primary(replicas):
    with read_from_primary():
        assert router.db_for_read(Article) == DEFAULT_DB_ALIAS
    assert router.db_for_read(Article) in replicas


def _seen_by_view(request):
    """Run the middleware around a view that reports where it would read."""
    seen = []

    def view(request):
        seen.append(router.db_for_read(Article))
        return HttpResponse("ok")

    response = PrimaryAfterWriteMiddleware(view)(request)
    return seen[0], response


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_writing_request_reads_from_the_primary_and_marks_the_client(replicas, method):
    request = getattr(RequestFactory(), method)("/tulis/")

    database, response = _seen_by_view(request)

    assert database == DEFAULT_DB_ALIAS
    cookie = response.cookies[COOKIE_NAME]
    assert cookie["max-age"] == 10
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_the_next_page_of_a_client_that_wrote_reads_from_the_primary(replicas):
    request = RequestFactory().get("/tulisan-saya/")
    request.COOKIES[COOKIE_NAME] = "1"

    database, response = _seen_by_view(request)

    assert database == DEFAULT_DB_ALIAS
    assert COOKIE_NAME not in response.cookies  # the mark is not extended by reading


def test_other_readers_read_from_a_replica(replicas):
    database, response = _seen_by_view(RequestFactory().get("/"))

    assert database in replicas
    assert not response.cookies


@pytest.mark.skipif(
    not settings.DATABASE_REPLICAS,
    reason="runs in the CI's PostgreSQL pass, where DATABASE_REPLICA_URLS names a replica",
)
@pytest.mark.django_db(transaction=True)
def test_a_configured_replica_serves_the_page_reads():
    article = make_article(title="Dibaca dari replika")

    readers = Article.objects.filter(pk=article.pk)

    assert readers.db in settings.DATABASE_REPLICAS
    assert readers.get().title == "Dibaca dari replika"
    with transaction.atomic():
        assert Article.objects.filter(pk=article.pk).db == DEFAULT_DB_ALIAS
