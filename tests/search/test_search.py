"""Search: stemming, ranking, snippets, typos, filters, hostile input and keeping the
index in step through the services, on SQLite (FTS5) and PostgreSQL (tsvector)."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from articles import services
from articles.models import Article
from core import analysis
from search import engine
from search import selectors as search_selectors
from search.selectors import filtered_articles
from tests.factories import make_article, make_topic, make_user

pytestmark = pytest.mark.django_db

SEARCH = reverse("search:search")


def found(query, **filters):
    order = filters.pop("order", "relevance")
    parsed = engine.parse_query(engine.clean_query(query))
    return [
        article.title
        for article in engine.search_articles(filtered_articles(**filters), parsed, order=order)
    ]


@pytest.fixture
def corpus():
    author = make_user(username="penulis-cari", display_name="Sari Wulandari")
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
        "author": author,
    }


# Stemming -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "relative"),
    [
        ("berkebijakan", "kebijakan"),
        ("kebijakannya", "kebijakan"),
        ("berdiplomasi", "diplomasi"),
        ("pendidikan", "mendidik"),
    ],
)
def test_derived_words_share_a_stem(word, relative):
    assert analysis.stem(word) == analysis.stem(relative)


@pytest.mark.parametrize(
    ("query", "title"),
    [
        ("berkebijakan", "Kebijakan parkir yang membingungkan"),
        ("kebijakannya", "Kebijakan parkir yang membingungkan"),
        ("kebijakan", "Warga berkebijakan sendiri soal sampah"),
        ("diplomasi", "Belajar berdiplomasi dari pasar"),
        ("berdiplomasi", "Diplomasi siber dan keamanan data"),
    ],
)
def test_a_query_finds_other_forms_of_its_words(query, title):
    make_article(title=title, body="<p>Isi singkat.</p>")
    make_article(title="Resep sambal terasi", body="<p>Cabai dan terasi.</p>")
    assert found(query) == [title]


def test_english_articles_are_found_by_english_queries():
    make_article(
        title="Why the parking policies failed",
        body="<p>The city changed its policy on parking and the traffic got worse.</p>",
    )
    make_article(title="Parkir liar di pasar", body="<p>Tukang parkir dan warga.</p>")
    assert found("parking policy") == ["Why the parking policies failed"]
    assert Article.objects.get(title__startswith="Why").search_language == "en"


def test_the_english_interface_searches_the_same_articles(client):
    make_article(title="Cyber diplomacy in Asia", body="<p>Diplomats negotiate rules.</p>")
    html = client.get("/en/cari/", {"q": "diplomats"}).content.decode()
    assert "Cyber diplomacy in Asia" in html
    assert "<mark>Diplomats</mark> negotiate" in html


def test_stop_words_alone_find_nothing(corpus):
    assert found("yang dan di") == []


# Ranking and syntax -----------------------------------------------------------


def test_matching_articles_are_found_and_others_are_not(corpus):
    assert set(found("subsidi pupuk")) == {"Subsidi pupuk untuk petani", "Catatan pertandingan"}


def test_a_title_match_ranks_above_a_body_match():
    # The body match says the word more often, in a shorter text: only the
    # title's weight puts the other first. Other articles make the word rare.
    for number in range(4):
        make_article(title=f"Cerita lain {number}", body="<p>Tentang hal lain.</p>")
    make_article(title="Catatan harian", body="<p>Pupuk, pupuk, pupuk lagi.</p>")
    make_article(
        title="Harga pupuk naik",
        body="<p>" + " ".join(["Petani di desa menanam padi."] * 20) + "</p>",
    )
    assert found("pupuk") == ["Harga pupuk naik", "Catatan harian"]


def test_a_tag_match_ranks_above_a_body_match():
    for number in range(4):
        make_article(title=f"Cerita lain {number}", body="<p>Tentang hal lain.</p>")
    make_article(title="Catatan pagi", body="<p>Soal banjir di kampung kami.</p>")
    make_article(title="Catatan sore", body="<p>Hujan turun.</p>", tags=["banjir"])
    assert found("banjir") == ["Catatan sore", "Catatan pagi"]


def test_quotes_minus_and_or(corpus):
    make_article(title="Pupuk subsidi langka", body="<p>Antre lama.</p>")
    assert found('"subsidi pupuk"') == ["Subsidi pupuk untuk petani"]
    assert found("subsidi -tiket") == ["Pupuk subsidi langka", "Subsidi pupuk untuk petani"]
    assert set(found("smash or petani")) == {"Bulu tangkis", "Subsidi pupuk untuk petani"}
    assert set(found("smash atau petani")) == {"Bulu tangkis", "Subsidi pupuk untuk petani"}


def test_newest_first_on_request(corpus):
    assert found("subsidi", order="newest") == [
        "Catatan pertandingan",
        "Subsidi pupuk untuk petani",
    ]


# Visibility and keeping the index in step -------------------------------------


def test_drafts_and_hidden_articles_never_appear(corpus, client):
    Article.objects.filter(pk=corpus["title_match"].pk).update(status=Article.Status.HIDDEN)
    assert found("subsidi") == ["Catatan pertandingan"]
    html = client.get(SEARCH, {"q": "rahasia"}).content.decode()
    assert "Subsidi rahasia" not in html


def test_publish_edit_hide_restore_and_unpublish_through_the_services(corpus):
    author = corpus["author"]
    draft = corpus["draft"]
    assert found("rahasia") == []
    services.publish_article(draft, by=author)
    assert found("rahasia") == ["Subsidi rahasia"]
    data = {
        "title": "Subsidi terbuka",
        "topic": draft.topic,
        "excerpt": "",
        "body": "<p>Sekarang soal irigasi.</p>",
        "cover_caption": "",
        "cover_credit": "",
    }
    services.save_article(draft, author=author, data=data, tags=["sawah"])
    assert found("rahasia") == []
    assert found("irigasi") == ["Subsidi terbuka"]
    assert found("sawah") == ["Subsidi terbuka"]
    services.hide_article(draft)
    assert found("irigasi") == []
    services.restore_article(draft)
    assert found("irigasi") == ["Subsidi terbuka"]
    draft.refresh_from_db()
    services.unpublish_article(draft, by=author)
    assert found("irigasi") == []


def test_a_renamed_topic_is_searched_by_its_new_name(corpus):
    topic = corpus["title_match"].topic
    topic.name = "Agraria"
    services.save_topic(topic)
    assert found("agraria") == ["Subsidi pupuk untuk petani"]
    assert found("pupuk") == ["Subsidi pupuk untuk petani", "Catatan pertandingan"]


def test_a_view_count_update_leaves_the_index_alone(corpus):
    Article.objects.filter(pk=corpus["title_match"].pk).update(view_count=99)
    assert found("petani") == ["Subsidi pupuk untuk petani"]


# Filters ----------------------------------------------------------------------


def test_topic_filter_includes_child_topics(corpus):
    assert found("subsidi", topik=corpus["politik"]) == ["Subsidi pupuk untuk petani"]


def test_author_filter(corpus):
    assert found("subsidi", penulis=corpus["author"]) == ["Subsidi pupuk untuk petani"]


def test_date_filters(corpus):
    Article.objects.filter(pk=corpus["body_match"].pk).update(
        published_at=datetime.datetime(2020, 1, 5, tzinfo=datetime.UTC)
    )
    assert found("subsidi", sampai=datetime.date(2020, 12, 31)) == ["Catatan pertandingan"]
    assert found("subsidi", dari=datetime.date(2021, 1, 1)) == ["Subsidi pupuk untuk petani"]


def test_date_filters_are_days_in_the_sites_time_zone():
    """Jakarta is UTC+7: 23:30 on 31 December there is 16:30 UTC, and 00:10 on
    1 January is 17:10 UTC on 31 December."""
    make_article(
        title="Banjir akhir tahun",
        published_at=datetime.datetime(2020, 12, 31, 16, 30, tzinfo=datetime.UTC),
    )
    make_article(
        title="Banjir awal tahun",
        published_at=datetime.datetime(2020, 12, 31, 17, 10, tzinfo=datetime.UTC),
    )
    last_day = datetime.date(2020, 12, 31)
    assert found("banjir", sampai=last_day) == ["Banjir akhir tahun"]
    assert found("banjir", dari=last_day + datetime.timedelta(days=1)) == ["Banjir awal tahun"]
    assert found("banjir", dari=last_day, sampai=last_day) == ["Banjir akhir tahun"]


def test_an_end_date_before_the_start_date_is_explained_and_left_out(client, corpus):
    response = client.get(SEARCH, {"q": "subsidi", "dari": "2021-01-01", "sampai": "2020-01-01"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tanggal akhir lebih awal daripada tanggal mulai." in html
    assert "pupuk untuk petani" in html  # the start date alone still applies


def test_names_are_not_matched_on_a_word_of_one_or_two_letters():
    make_user(username="penulis-an", display_name="Ani Nuraini")
    make_article(author=make_user(display_name="Ani Nuraini"), title="Kabar kampung")
    names = search_selectors.matching_names(engine.parse_query("kampung an"))
    assert names["authors"] == []
    assert search_selectors.matching_names(engine.parse_query("nuraini"))["authors"]


def test_the_page_applies_filters_from_the_url(client, corpus):
    html = client.get(SEARCH, {"q": "subsidi", "penulis": "penulis-cari"}).content.decode()
    assert "Catatan pertandingan" not in html
    assert "pupuk untuk petani" in html
    html = client.get(SEARCH, {"q": "subsidi", "topik": "olahraga-uji"}).content.decode()
    assert "Catatan pertandingan" in html
    assert "petani" not in html


# Typos ------------------------------------------------------------------------


def test_a_typo_is_corrected_when_nothing_matches(client):
    make_article(title="Kebijakan parkir di Bandung", body="<p>Tarif naik lagi.</p>")
    make_article(title="Parkir gratis di pasar", body="<p>Hanya hari Minggu.</p>")
    parsed = engine.parse_query("kebijkan parkir")
    assert engine.suggest_correction("kebijkan parkir", parsed) == "kebijakan parkir"
    response = client.get(SEARCH, {"q": "kebijkan parkir"})
    html = response.content.decode()
    assert "<strong>kebijakan parkir</strong>" in html
    assert "<mark>Kebijakan</mark> <mark>parkir</mark> di Bandung" in html
    assert "Parkir gratis" not in html


def test_a_known_word_is_never_corrected():
    make_article(title="Kebijakan parkir", body="<p>Isi.</p>")
    make_article(title="Kebun sayur", body="<p>Isi.</p>")
    assert engine.suggest_correction("kebun", engine.parse_query("kebun")) is None


def test_a_draft_title_is_never_suggested(corpus):
    parsed = engine.parse_query("rahasai")
    assert engine.suggest_correction("rahasai", parsed) is None


def test_an_authors_name_corrects_a_typo(client, corpus):
    corrected = engine.suggest_correction("wulandiri", engine.parse_query("wulandiri"))
    assert corrected == "wulandari"


def test_a_word_of_a_body_corrects_a_typo():
    """The candidates are the words one slip away that the index holds, titles or not."""
    make_article(title="Pesisir utara", body="<p>Hutan mangrove menahan abrasi.</p>")
    assert engine.suggest_correction("manggrove", engine.parse_query("manggrove")) == "mangrove"
    assert engine.suggest_correction("mangorve", engine.parse_query("mangorve")) == "mangrove"


def test_a_hidden_articles_words_are_never_suggested():
    article = make_article(title="Pesisir utara", body="<p>Hutan mangrove menahan abrasi.</p>")
    services.hide_article(article)
    assert engine.suggest_correction("manggrove", engine.parse_query("manggrove")) is None


def test_one_edit_away_covers_each_kind_of_slip():
    slips = engine.one_edit_away("warga")
    assert {"wraga", "waga", "wargaa", "warba"} <= slips
    assert "warga" not in slips
    assert len(slips) == len(set(slips))


# Windows ----------------------------------------------------------------------


def test_the_newest_matches_are_the_same_found_through_windows(monkeypatch):
    """Looked for among the newest articles first (PostgreSQL's windows), the
    newest MAX_RESULTS matches are what one look at every article finds."""
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    for day in range(40):
        # A match every fourth day at first, then every day: the first window
        # holds too few, the second enough.
        matching = day % 4 == 0 or day >= 30
        make_article(
            title=f"Laporan hari {day}" + (" tentang sampah" if matching else ""),
            published_at=start + datetime.timedelta(days=day),
        )
    parsed = engine.parse_query("sampah")
    monkeypatch.setattr(engine, "MAX_RESULTS", 5)
    everything = engine.newest_matches(filtered_articles(), parsed)
    for windows in [(4, 12), (2, 3), (100,)]:
        monkeypatch.setattr(engine.backend().__class__, "windows", windows)
        assert engine.newest_matches(filtered_articles(), parsed) == everything
    titles = list(
        Article.objects.filter(pk__in=everything)
        .order_by("-published_at")
        .values_list("title", flat=True)
    )
    assert titles == [f"Laporan hari {day} tentang sampah" for day in range(39, 34, -1)]


# The page ---------------------------------------------------------------------


def test_title_and_snippet_are_highlighted(client):
    make_article(
        title="Diplomasi siber",
        body="<p>" + "Kalimat pembuka. " * 30 + "Negara berdiplomasi lewat data.</p>",
    )
    html = client.get(SEARCH, {"q": "diplomasi"}).content.decode()
    assert "<mark>Diplomasi</mark> siber" in html
    assert "<mark>berdiplomasi</mark>" in html


def test_a_snippet_marks_the_other_forms_of_the_words(client):
    make_article(
        title="Catatan desa",
        body="<p>" + "Kalimat pembuka. " * 30 + "Desa yang berkebijakan sendiri.</p>",
    )
    html = client.get(SEARCH, {"q": "kebijakan"}).content.decode()
    assert "<mark>berkebijakan</mark>" in html


def test_hostile_text_in_a_snippet_is_escaped(client):
    make_article(
        title="Soal <b>tebal</b> & pupuk",
        body="<p>Tulisan &lt;script&gt;alert(1)&lt;/script&gt; tentang pupuk &amp; harga.</p>",
    )
    html = client.get(SEARCH, {"q": "pupuk"}).content.decode()
    assert "<script>alert" not in html
    # SQLite's snippet keeps the text as it is; PostgreSQL's headline drops tags.
    assert "alert(1)" in html
    assert "<mark>pupuk</mark> &amp; harga" in html
    assert "Soal &lt;b&gt;tebal&lt;/b&gt; &amp; <mark>pupuk</mark>" in html


def test_snippet_markers_in_the_text_never_become_tags(client):
    make_article(title="Pupuk", body=f"<p>{engine.MARK_START}pupuk{engine.MARK_END} murah</p>")
    html = client.get(SEARCH, {"q": "murah"}).content.decode()
    assert "<mark>pupuk</mark>" not in html
    assert "<mark>murah</mark>" in html


def test_matching_topics_authors_and_tags_are_shown(client, corpus):
    make_article(
        author=corpus["author"], title="Panen", body="<p>Padi.</p>", tags=["pupuk organik"]
    )
    html = client.get(SEARCH, {"q": "pupuk wulandari kebijakan"}).content.decode()
    assert 'href="/topik/kebijakan-uji/"' in html
    assert "Sari Wulandari" in html
    assert "#pupuk organik" in html


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
        "-subsidi",
        "or",
        "subsidi or",
        '"unclosed',
        "SELECT * FROM",
        "🙂",
        "NEAR(a b)",
        "a* ^b",
        "   ",
    ],
)
def test_odd_queries_answer_a_clear_page(client, corpus, query):
    assert client.get(SEARCH, {"q": query}).status_code == 200


def test_a_query_with_a_nul_byte_is_a_bad_request(client, corpus):
    """PostgreSQL cannot store or compare NUL; the request is refused before the view."""
    assert client.get(SEARCH, {"q": "subsidi\x00"}).status_code == 400


def test_bad_filters_are_left_out_with_a_message(client, corpus):
    response = client.get(
        SEARCH, {"q": "subsidi", "dari": "kemarin", "topik": "tidak-ada", "penulis": "siapa"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="errorlist"' in html
    assert "Catatan pertandingan" in html
    assert "pupuk untuk petani" in html


def test_query_is_bounded():
    assert len(engine.clean_query("kata " * 1000).split()) <= engine.MAX_TERMS
    assert len(engine.clean_query("x" * 10_000)) <= engine.MAX_QUERY_CHARS


def test_results_are_paginated_and_out_of_range_is_404(client, corpus, settings):
    settings.ARTICLES_PER_PAGE = 1
    assert client.get(SEARCH, {"q": "subsidi", "halaman": 2}).status_code == 200
    assert client.get(SEARCH, {"q": "subsidi", "halaman": 3}).status_code == 404


def test_search_page_query_count_is_constant(client, django_assert_max_num_queries):
    author = make_user(display_name="Pupuk Bawana")
    for number in range(25):
        make_article(author=author, title=f"Pupuk nomor {number}", tags=[f"pupuk {number}"])
    # topics (header), the topic filter's choices, the newest matches (on
    # PostgreSQL after the first window's edge), count, page, snippets,
    # matching topics, authors and tags
    with django_assert_max_num_queries(10):
        response = client.get(SEARCH, {"q": "pupuk"})
    assert response.content.decode().count('class="card"') == 12


def test_a_corrected_search_query_count_is_bounded(client, django_assert_max_num_queries):
    for number in range(15):
        make_article(title=f"Kebijakan nomor {number}")
    # ... plus the empty search, the known terms of the query and of the words one
    # slip away, and in a savepoint (two queries here) the similarity threshold
    # (PostgreSQL), tags and names; PostgreSQL looks at the first window's edge
    # for each search
    with django_assert_max_num_queries(19):
        response = client.get(SEARCH, {"q": "kebijkan"})
    assert "<strong>kebijakan</strong>" in response.content.decode()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
def test_postgresql_search_uses_the_gin_index(corpus):
    parsed = engine.parse_query("subsidi")
    matching = engine.backend().matching(Article.objects.all(), parsed)
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        try:
            plan = matching.explain()
        finally:
            cursor.execute("SET enable_seqscan = on")
    assert "articles_article_search_vector" in plan


def test_the_migration_fills_the_search_fields_of_existing_articles():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("search.migrations.0001_index")
    article = make_article(title="Sawah terasering", body="<p>Irigasi subak.</p>", tags=["bali"])
    Article.objects.filter(pk=article.pk).update(
        search_title_terms="", search_keyword_terms="", search_body_terms="", search_vector=None
    )
    assert found("subak") == []
    migration.fill_fields(apps, None)
    assert found("subak") == ["Sawah terasering"]
    assert found("bali") == ["Sawah terasering"]


def test_the_sqlite_index_is_rebuilt_after_every_articles_migration():
    """An articles migration that rebuilds the table on SQLite drops the index's
    triggers on a database where the search migrations already ran: the last
    search migration must come after the last articles migration (README, "Search")."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    graph = MigrationLoader(connection, ignore_no_migrations=True).graph
    (last_articles,) = graph.leaf_nodes("articles")
    (last_search,) = graph.leaf_nodes("search")

    assert last_articles in graph.forwards_plan(last_search)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 index")
def test_the_sqlite_index_is_the_current_one():
    """search.sqlite_index after every migration: its triggers, and no table
    nothing reads (the titles' trigrams)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name FROM sqlite_master WHERE name LIKE 'search_%'")
        found = set(cursor.fetchall())
    assert {
        ("trigger", "search_article_insert"),
        ("trigger", "search_article_update"),
        ("trigger", "search_article_delete"),
        ("table", "search_index"),
        ("table", "search_vocabulary"),
    } <= found
    assert ("table", "search_titles") not in found


def test_a_title_edit_reaches_the_index():
    article = make_article(title="Jembatan gantung desa", body="<p>Isi.</p>")
    assert found("gantung") == ["Jembatan gantung desa"]
    article.title = "Jembatan beton desa"
    article.save()
    assert found("gantung") == []
    assert found("beton") == ["Jembatan beton desa"]
