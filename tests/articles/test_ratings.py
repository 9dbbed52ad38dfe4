"""Beri Nilai: one rating per reader per article, counted per label in one query."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connections, transaction
from django.urls import reverse

from articles.models import Rating
from articles.services import rate_article, rating_summary, withdraw_rating
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def article():
    return make_article(author=make_user(username="penulis"))


def counts(article, user):
    return {row["value"]: row["count"] for row in rating_summary(article, user)["labels"]}


def test_a_reader_rates_then_changes_then_withdraws(article):
    reader = make_user()
    rate_article(article, user=reader, label="aktual")
    rate_article(article, user=reader, label="inspiratif")
    assert Rating.objects.filter(article=article).count() == 1
    summary = rating_summary(article, reader)
    assert summary["mine"] == "inspiratif"
    assert counts(article, reader)["inspiratif"] == 1
    assert counts(article, reader)["aktual"] == 0
    assert withdraw_rating(article, user=reader) is True
    assert rating_summary(article, reader)["total"] == 0


def test_the_database_refuses_a_second_rating_by_the_same_reader(article):
    reader = make_user()
    Rating.objects.create(article=article, user=reader, label="unik")
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(article=article, user=reader, label="menarik")


@pytest.mark.parametrize("label", ["", "bagus", "AKTUAL", "aktual'--"])
def test_an_unknown_label_is_refused(article, label):
    with pytest.raises(ValidationError):
        rate_article(article, user=make_user(), label=label)
    assert not Rating.objects.exists()


def test_authors_cannot_rate_their_own_article(article):
    with pytest.raises(ValidationError):
        rate_article(article, user=article.author, label="bermanfaat")
    assert not Rating.objects.exists()


def test_drafts_cannot_be_rated():
    draft = make_article(status="draft")
    with pytest.raises(ValidationError):
        rate_article(draft, user=make_user(), label="unik")


def test_counts_per_label_come_from_one_query(article, django_assert_num_queries):
    labels = ["aktual", "aktual", "unik", "menghibur", "tidak_menarik"]
    readers = [make_user() for _ in labels]
    for reader, label in zip(readers, labels, strict=True):
        rate_article(article, user=reader, label=label)
    with django_assert_num_queries(1):
        summary = rating_summary(article, readers[0])
    assert summary["mine"] == "aktual"
    assert summary["total"] == 5
    assert {row["value"]: row["count"] for row in summary["labels"]}["aktual"] == 2


def test_the_page_shows_counts_and_the_readers_choice(client, article):
    reader = make_user()
    rate_article(article, user=make_user(), label="menarik")
    client.force_login(reader)
    response = client.post(
        reverse("articles:rate", kwargs={"pk": article.pk}), {"label": "menarik"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith("#nilai")
    html = client.get(article.get_absolute_url()).content.decode()
    assert 'value="menarik" class="rating-button" aria-pressed="true"' in html
    assert Rating.objects.filter(article=article, label="menarik").count() == 2


def test_anonymous_readers_are_sent_to_sign_in_and_nothing_changes(client, article):
    response = client.post(reverse("articles:rate", kwargs={"pk": article.pk}), {"label": "unik"})
    assert response.status_code == 302
    assert "/akun/login/" in response["Location"]
    assert not Rating.objects.exists()


def test_get_is_refused(client, article):
    client.force_login(make_user())
    assert client.get(reverse("articles:rate", kwargs={"pk": article.pk})).status_code == 405


def test_a_bad_label_from_the_form_is_a_message_not_an_error(client, article):
    client.force_login(make_user())
    response = client.post(
        reverse("articles:rate", kwargs={"pk": article.pk}), {"label": "x" * 500}, follow=True
    )
    assert response.status_code == 200
    assert not Rating.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_concurrent_ratings_are_all_counted():
    article = make_article(author=make_user(username="penulis-konkuren"))
    readers = [make_user() for _ in range(12)]

    def rate(reader):
        try:
            rate_article(article, user=reader, label="bermanfaat")
            rate_article(article, user=reader, label="aktual")
        finally:
            connections.close_all()  # the replicas too, when configured

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(rate, readers))
    assert Rating.objects.filter(article=article).count() == 12
    assert counts(article, readers[0])["aktual"] == 12
