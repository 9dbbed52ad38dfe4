"""Search: ranking, highlighting, filters, hostile queries and visibility, on both databases."""

import datetime

import pytest
from django.contrib.postgres.search import SearchQuery
from django.db import connection
from django.urls import reverse

from articles.models import Article
from articles.search import (
    clean_query,
    document_vector,
    highlight,
    search_articles,
    search_config,
)
from tests.factories import make_article, make_topic, make_user

pytestmark = pytest.mark.django_db

SEARCH = reverse("articles:search")


@pytest.fixture
def corpus():
    author = make_user(username="penulis-cari")
    politik = make_topic(name="Politik Uji", slug="politik-uji")
    kebijakan = make_topic(name="Kebijakan Uji", slug="kebijakan-uji", parent=politik)
    olahraga = make_topic(name="Olahraga Uji", slug="olahraga-uji")
    return {
        "title_match": make_article(
            author=author,
            topic=kebijakan,
            title="Subsidi pupuk untuk petani",
            body="<p>Catatan tentang harga di desa.</p>",
        ),
        "body_match": make_article(
            author=author,
            topic=olahraga,
            title="Catatan pertandingan",
            body="<p>Penonton bicara soal subsidi tiket dan pupuk organik.</p>",
        ),
        "other": make_article(
            author=author, topic=olahraga, title="Bulu tangkis", body="<p>Smash keras.</p>"
        ),
        "draft": make_article(
            author=author,
            topic=kebijakan,
            title="Subsidi rahasia",
            status="draft",
            body="<p>subsidi pupuk</p>",
        ),
        "politik": politik,
    }


def titles(queryset):
    return [article.title for article in queryset]


def test_matching_articles_are_found_and_others_are_not(corpus):
    found = titles(search_articles("subsidi pupuk"))
    assert set(found) == {"Subsidi pupuk untuk petani", "Catatan pertandingan"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="ranking is PostgreSQL's")
def test_a_title_match_ranks_above_a_body_match_on_postgresql(corpus):
    found = titles(search_articles("subsidi pupuk petani"))
    assert found[0] == "Subsidi pupuk untuk petani"


def test_drafts_and_hidden_articles_never_appear(corpus, client):
    Article.objects.filter(pk=corpus["title_match"].pk).update(status=Article.Status.HIDDEN)
    assert titles(search_articles("subsidi")) == ["Catatan pertandingan"]
    html = client.get(SEARCH, {"q": "rahasia"}).content.decode()
    assert "Subsidi rahasia" not in html


def test_topic_filter_includes_child_topics(corpus):
    found = titles(search_articles("subsidi", topic=corpus["politik"]))
    assert found == ["Subsidi pupuk untuk petani"]


def test_date_filters(corpus):
    Article.objects.filter(pk=corpus["body_match"].pk).update(
        published_at=datetime.datetime(2020, 1, 5, tzinfo=datetime.UTC)
    )
    found = titles(search_articles("subsidi", date_to=datetime.date(2020, 12, 31)))
    assert found == ["Catatan pertandingan"]
    found = titles(search_articles("subsidi", date_from=datetime.date(2021, 1, 1)))
    assert found == ["Subsidi pupuk untuk petani"]


def test_the_page_highlights_the_words_and_escapes_everything_else(client):
    make_article(title="Artikel <b>tebal</b>", excerpt="Soal <i>pupuk</i> & harga <x> murah")
    html = client.get(SEARCH, {"q": "pupuk"}).content.decode()
    assert "<mark>pupuk</mark>" in html
    assert "<i>" not in html
    assert "&amp; harga" in html
    assert "Artikel &lt;b&gt;tebal&lt;/b&gt;" in html


def test_highlight_never_breaks_entities():
    assert str(highlight("AT&T amp <x>", "amp")) == "AT&amp;T <mark>amp</mark> &lt;x&gt;"


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "'",
        "a & b | !c",
        "%",
        "_",
        "%_%",
        "(",
        "<>",
        "subsidi:*",
        "\\",
        "x" * 10_000,
        "-",
        '"unclosed',
        "SELECT * FROM",
        "🙂",
        "   ",
    ],
)
def test_odd_queries_answer_a_clear_page(client, corpus, query):
    response = client.get(SEARCH, {"q": query})
    # A NUL byte is refused for every URL (core.middleware); the rest is searched.
    assert response.status_code == (400 if "\x00" in query else 200)


def test_a_query_with_a_nul_byte_is_a_bad_request(client, corpus):
    """PostgreSQL cannot store or compare NUL; the request is refused before the view."""
    response = client.get(SEARCH, {"q": "subsidi\x00"})
    assert response.status_code == 400


def test_bad_filters_are_left_out_with_a_message(client, corpus):
    response = client.get(SEARCH, {"q": "subsidi", "dari": "kemarin", "topik": "tidak-ada"})
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()


def test_query_is_bounded():
    assert len(clean_query("kata " * 1000).split()) <= 12
    assert len(clean_query("x" * 10_000)) <= 200


def test_results_are_paginated_and_out_of_range_is_404(client, corpus, settings):
    settings.ARTICLES_PER_PAGE = 1
    assert client.get(SEARCH, {"q": "subsidi", "halaman": 2}).status_code == 200
    assert client.get(SEARCH, {"q": "subsidi", "halaman": 3}).status_code == 404


def test_search_page_query_count_is_constant(client, django_assert_max_num_queries):
    for number in range(25):
        make_article(title=f"Pupuk nomor {number}")
    # count + page of cards + header topics + the topic filter's choices
    with django_assert_max_num_queries(4):
        client.get(SEARCH, {"q": "pupuk"})


@pytest.mark.skipif(connection.vendor != "postgresql", reason="GIN index is PostgreSQL's")
def test_postgresql_search_can_use_the_gin_index(corpus):
    assert search_config() in {"indonesian", "simple"}
    config = search_config()
    matching = Article.objects.alias(vector=document_vector(config)).filter(
        vector=SearchQuery("subsidi", config=config, search_type="websearch")
    )
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = matching.explain()
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "articles_article_search" in plan
