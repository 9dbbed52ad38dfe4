"""Corrections (Ralat): an explicit action beside saving, with a public dated note
on the article (top and bottom), in its feed item and on the author's page; a
silent edit stays Diperbarui."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from articles import services
from articles.models import Article, Correction
from tests.authoring_builders import edit_data, field_error, find, text_of
from tests.factories import BROWSER, make_article

pytestmark = pytest.mark.django_db

NOTE = "Tertulis 2024, yang benar 2025; angka anggaran Rp 2 miliar, bukan Rp 20 miliar."


def edit_url(article):
    return reverse("articles:edit", kwargs={"pk": article.pk})


def signed_in(user):
    client = Client(headers={"user-agent": BROWSER})
    client.force_login(user)
    return client


@pytest.fixture
def anonymous():
    return Client(headers={"user-agent": BROWSER})


def correct(article, *, note=NOTE, body=None, by=None):
    return services.correct_article(
        article,
        by=by or article.author,
        note=note,
        author=article.author,
        data={
            "title": article.title,
            "topic": article.topic,
            "excerpt": article.excerpt,
            "body": body if body is not None else article.body,
            "cover_caption": "",
            "cover_credit": "",
        },
        tags=[],
    )


def test_a_correction_saves_the_text_and_records_a_dated_note(article):
    correction = correct(article, body="<p>Anggaran Rp 2 miliar.</p>")

    article.refresh_from_db()
    assert article.body == "<p>Anggaran Rp 2 miliar.</p>"
    assert article.was_updated
    assert correction.note == NOTE
    assert correction.author_id == article.author_id
    assert correction.created_at is not None
    assert list(article.corrections.all()) == [correction]


@pytest.mark.parametrize("note", ["", "   \n "])
def test_a_correction_without_a_note_is_refused_and_changes_nothing(article, note):
    body = article.body
    with pytest.raises(ValidationError):
        correct(article, note=note, body="<p>Diubah diam-diam.</p>")

    article.refresh_from_db()
    assert article.body == body
    assert not Correction.objects.exists()


def test_a_too_long_note_is_refused(article):
    with pytest.raises(ValidationError):
        correct(article, note="x" * 501)
    assert not Correction.objects.exists()


def test_a_draft_cannot_be_corrected(writer):
    draft = make_article(author=writer, status=Article.Status.DRAFT)
    with pytest.raises(ValidationError):
        correct(draft)
    assert not Correction.objects.exists()


def test_the_author_publishes_a_correction_from_the_edit_page(writer, article):
    data = edit_data(article, body="<p>Yang benar.</p>", correction_note=NOTE, action="correct")

    response = signed_in(writer).post(edit_url(article), data)

    assert response.status_code == 302
    assert response["Location"].endswith("#ralat")
    article.refresh_from_db()
    assert article.body == "<p>Yang benar.</p>"
    assert article.corrections.get().note == NOTE


def test_the_correction_button_without_a_note_shows_an_error(writer, article):
    data = edit_data(article, body="<p>Yang benar.</p>", correction_note="", action="correct")

    response = signed_in(writer).post(edit_url(article), data)

    assert response.status_code == 400
    assert (
        field_error(response, "correction_note") == "Tuliskan apa yang keliru dan apa yang benar."
    )
    article.refresh_from_db()
    assert article.body != "<p>Yang benar.</p>"
    assert not Correction.objects.exists()


def test_another_user_cannot_correct(user, article):
    data = edit_data(article, correction_note=NOTE, action="correct")

    response = signed_in(user).post(edit_url(article), data)

    assert response.status_code == 403
    assert not Correction.objects.exists()


def test_a_silent_edit_makes_no_correction(writer, article):
    data = edit_data(article, body="<p>Salah ketik diperbaiki.</p>", correction_note=NOTE)

    signed_in(writer).post(edit_url(article), data)

    article.refresh_from_db()
    assert article.was_updated
    assert not Correction.objects.exists()


def test_the_article_shows_its_corrections_at_the_top_and_bottom(anonymous, article):
    correct(article, note="Nama kepala desa: Pak Darto, bukan Pak Darso.")
    correct(article, note=NOTE)

    response = anonymous.get(article.get_absolute_url())

    (top,) = find(response, "p", class_="correction-notice")
    assert NOTE in text_of(top)
    assert text_of(top).startswith("Ralat")
    (bottom,) = find(response, "section", class_="corrections")
    assert NOTE in text_of(bottom)
    assert "Pak Darto, bukan Pak Darso." in text_of(bottom)
    assert len(find(response, "time")) >= 3


def test_an_article_without_corrections_shows_none(anonymous, article):
    response = anonymous.get(article.get_absolute_url())

    assert find(response, "p", class_="correction-notice") == []
    assert find(response, "section", class_="corrections") == []


def test_a_correction_shows_at_once_with_the_caches_on(settings, anonymous, article):
    settings.PAGE_CACHE = True
    settings.FRAGMENT_CACHE = True
    author_url = article.author.get_absolute_url()
    for url in (article.get_absolute_url(), author_url):
        anonymous.get(url)
        anonymous.get(url)

    correct(article, note=NOTE)

    assert NOTE in anonymous.get(article.get_absolute_url()).content.decode()
    assert NOTE in anonymous.get(author_url).content.decode()


def test_the_feed_item_leads_with_the_correction(anonymous, article):
    correct(article, note="Ada <b>salah</b> tanggal.")

    feed = anonymous.get(reverse("articles:feed")).content.decode()

    assert "&lt;strong&gt;Ralat&lt;/strong&gt;" in feed
    # The note is text: escaped in the item's HTML, then again in the XML.
    assert "Ada &amp;lt;b&amp;gt;salah&amp;lt;/b&amp;gt; tanggal." in feed


def test_the_author_page_lists_the_corrections_of_published_articles(anonymous, writer, article):
    correct(article, note=NOTE)
    hidden_later = make_article(author=writer, title="Ditarik kembali")
    correct(hidden_later, note="Ralat artikel yang kemudian ditarik.")
    services.unpublish_article(hidden_later, by=writer)

    response = anonymous.get(writer.get_absolute_url())

    (section,) = find(response, "section", class_="author-corrections")
    assert NOTE in text_of(section)
    assert article.title in text_of(section)
    assert "ditarik" not in text_of(section)


def test_the_author_page_reads_corrections_in_bounded_queries(
    anonymous, writer, django_assert_max_num_queries
):
    for number in range(12):
        correct(make_article(author=writer), note=f"Ralat nomor {number}.")

    with django_assert_max_num_queries(10):
        response = anonymous.get(writer.get_absolute_url())

    (section,) = find(response, "section", class_="author-corrections")
    assert len([li for li in find(response, "li") if section in li.parents]) == 10


def test_the_article_page_reads_any_number_of_corrections_in_one_query(anonymous, article):
    for number in range(5):
        correct(article, note=f"Ralat nomor {number}.")
    baseline = make_article()

    with CaptureQueriesContext(connection) as plain:
        anonymous.get(baseline.get_absolute_url())
    with CaptureQueriesContext(connection) as corrected:
        anonymous.get(article.get_absolute_url())

    assert len(corrected) == len(plain)
