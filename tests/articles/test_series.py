"""Series: an author groups articles into an ordered series through the write
form; each part shows its place and links to the published parts around it,
fresh with the caches on."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from articles import services
from articles.models import Article, Series
from tests.authoring_builders import edit_data, field_error, find, text_of
from tests.factories import BROWSER, make_article

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client(headers={"user-agent": BROWSER})
    client.force_login(user)
    return client


@pytest.fixture
def anonymous():
    return Client(headers={"user-agent": BROWSER})


def join(article, title):
    data = {field: getattr(article, field) for field in services.ARTICLE_FIELDS}
    services.save_article(
        article, author=article.author, data={**data, "series_title": title}, tags=[]
    )
    article.refresh_from_db()
    return article


@pytest.fixture
def parts(writer):
    return [
        join(make_article(author=writer, title=f"Jalan kaki bagian {n}"), "Jalan Kaki di Jakarta")
        for n in (1, 2, 3)
    ]


def test_articles_join_the_series_in_order(writer, parts):
    (series,) = Series.objects.all()
    assert series.author == writer
    assert [part.series_position for part in parts] == [1, 2, 3]
    assert all(part.series_id == series.pk for part in parts)


def test_the_middle_part_shows_its_place_and_both_neighbours(anonymous, parts):
    response = anonymous.get(parts[1].get_absolute_url())

    (nav,) = find(response, "nav", class_="series-nav")
    assert "Bagian 2 dari 3 dalam seri “Jalan Kaki di Jakarta”" in text_of(nav)
    (previous,) = find(response, "a", rel="prev")
    (following,) = find(response, "a", rel="next")
    assert previous.attrs["href"] == parts[0].get_absolute_url()
    assert following.attrs["href"] == parts[2].get_absolute_url()


def test_a_draft_part_is_left_out_of_the_others_pages(anonymous, writer, parts):
    services.unpublish_article(parts[1], by=writer)

    response = anonymous.get(parts[0].get_absolute_url())

    (nav,) = find(response, "nav", class_="series-nav")
    assert "Bagian 1 dari 2" in text_of(nav)
    (following,) = find(response, "a", rel="next")
    assert following.attrs["href"] == parts[2].get_absolute_url()


def test_the_others_pages_follow_a_change_with_the_caches_on(settings, anonymous, writer, parts):
    settings.PAGE_CACHE = True
    settings.FRAGMENT_CACHE = True
    url = parts[0].get_absolute_url()
    anonymous.get(url)
    assert "Jalan kaki bagian 3" in anonymous.get(url).content.decode()

    join(parts[2], "")  # leaves the series

    html = anonymous.get(url).content.decode()
    assert "Jalan kaki bagian 3" not in html
    assert "Bagian 1 dari 2" in html


def test_the_write_form_sets_and_shows_the_series(writer, article):
    client = signed_in(writer)
    response = client.post(
        reverse("articles:edit", kwargs={"pk": article.pk}),
        edit_data(article, series_title="  Catatan   Banjir "),
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.series.title == "Catatan Banjir"
    page = client.get(reverse("articles:edit", kwargs={"pk": article.pk}))
    (field,) = find(page, "input", name="series_title")
    assert field.attrs["value"] == "Catatan Banjir"
    (choices,) = find(page, "datalist", id_="series-choices")
    assert [o.attrs["value"] for o in find(page, "option") if choices in o.parents] == [
        "Catatan Banjir"
    ]


def test_an_article_without_a_series_shows_no_series_nav(anonymous, article):
    assert find(anonymous.get(article.get_absolute_url()), "nav", class_="series-nav") == []


def test_a_full_series_is_refused_with_a_message(monkeypatch, writer, parts, article):
    monkeypatch.setattr(services, "SERIES_MAX_PARTS", 3)

    with pytest.raises(ValidationError):
        join(article, "Jalan Kaki di Jakarta")

    response = signed_in(writer).post(
        reverse("articles:edit", kwargs={"pk": article.pk}),
        edit_data(article, series_title="Jalan Kaki di Jakarta"),
    )
    assert response.status_code == 400
    assert field_error(response, "series_title").startswith("Satu seri paling banyak")
    article.refresh_from_db()
    assert article.series_id is None


def test_series_are_per_author(writer, user):
    mine = join(make_article(author=writer), "Catatan")
    theirs = join(make_article(author=user), "Catatan")

    assert mine.series_id != theirs.series_id
    assert theirs.series_position == 1


def test_the_series_title_is_escaped(anonymous, writer):
    part = join(make_article(author=writer), "<b>Seri</b>")

    html = anonymous.get(part.get_absolute_url()).content.decode()

    assert "“&lt;b&gt;Seri&lt;/b&gt;”" in html


def test_a_part_page_reads_a_bounded_number_of_queries(
    anonymous, writer, parts, django_assert_max_num_queries
):
    for number in range(10):
        join(make_article(author=writer, title=f"Tambahan {number}"), "Jalan Kaki di Jakarta")

    # The article page's pinned count (tests/articles/test_views.py) and the
    # series' parts: one query.
    with django_assert_max_num_queries(12):
        response = anonymous.get(parts[0].get_absolute_url())

    assert response.status_code == 200
    assert Article.objects.filter(series__isnull=False).count() == 13
