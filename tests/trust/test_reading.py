"""Time spent reading is a signal for the levels: recorded by the article page's
beacon, capped per article per day, counted only for others' published articles."""

import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.factories import make_article
from trust import levels, services
from trust.models import Level, ReadingTime

from .conftest import give_reading_time, make_account

pytestmark = pytest.mark.django_db


def beacon(client, article, seconds):
    return client.post(reverse("trust:reading", args=[article.pk]), {"seconds": seconds})


def test_the_beacon_adds_seconds_for_a_signed_in_reader(client, user, article):
    client.force_login(user)

    assert beacon(client, article, "45").status_code == 204
    assert beacon(client, article, "30").status_code == 204

    (row,) = ReadingTime.objects.all()
    assert (row.user, row.article, row.seconds) == (user, article, 75)
    assert levels.standing(user).reading_minutes == 1


def test_one_article_counts_at_most_the_cap_a_day(client, user, article, settings):
    settings.TRUST_READING_CAP_SECONDS = 600
    client.force_login(user)
    for _ in range(4):
        beacon(client, article, "500")
    assert ReadingTime.objects.get().seconds == 600


def test_nothing_counts_signed_out_own_or_unpublished(client, user, writer, article):
    assert beacon(client, article, "60").status_code == 204  # signed out
    client.force_login(writer)
    assert beacon(client, article, "60").status_code == 204  # the writer's own
    draft = make_article(author=writer, status=Article.Status.DRAFT)
    client.force_login(user)
    assert beacon(client, draft, "60").status_code == 204
    assert not ReadingTime.objects.exists()


@pytest.mark.parametrize("seconds", ["", "-5", "1.5", "satu", "9999999"])
def test_a_malformed_figure_is_refused_with_a_translated_message(client, user, article, seconds):
    client.force_login(user)
    response = beacon(client, article, seconds)
    assert response.status_code == 400
    assert "bilangan bulat" in response.content.decode()
    assert not ReadingTime.objects.exists()


def test_the_beacon_takes_only_post_with_a_csrf_token(user, article):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.get(reverse("trust:reading", args=[article.pk])).status_code == 405
    assert beacon(client, article, "60").status_code == 403
    assert not ReadingTime.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_beacons_lose_no_second(user, writer):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race is PostgreSQL's (CI's second pass)")
    article = make_article(author=writer)
    barrier = threading.Barrier(6)

    def send():
        barrier.wait()
        services.record_reading(user, article_id=article.pk, seconds=10)
        connection.close()

    threads = [threading.Thread(target=send) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert ReadingTime.objects.get().seconds == 60


def test_reading_alone_earns_dasar_and_tepercaya_needs_it(settings):
    reader = make_account(days=5, username="pembaca_setia")
    assert services.recompute_level(reader) == Level.BARU
    give_reading_time(reader, minutes=settings.TRUST_DASAR_READING_MINUTES)
    assert services.recompute_level(reader) == Level.DASAR

    from .conftest import make_trusted

    writer = make_trusted(username="penulis_rajin")
    assert services.recompute_level(writer) == Level.TEPERCAYA
    settings.TRUST_TEPERCAYA_READING_MINUTES = 120  # an hour read is no longer enough
    assert services.recompute_level(writer) == Level.DASAR
    settings.TRUST_TEPERCAYA_READING_MINUTES = 0  # the signal switched off
    assert services.recompute_level(writer) == Level.TEPERCAYA
