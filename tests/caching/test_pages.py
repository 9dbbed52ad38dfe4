"""The page cache and the cache headers: what a signed-out reader may be served from
memory, that it becomes fresh after every kind of write, and that signed-in pages
are never shared (the caching app; README, "Caching")."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.services import update_profile
from articles import services as article_services
from articles.models import Article, Rating
from caching import generations, memory, pages
from comments import services as comment_services
from tests.factories import BROWSER, make_article, make_topic, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def caches_on(settings):
    # tests/conftest.py empties the stores in memory around every test.
    settings.PAGE_CACHE = True
    settings.FRAGMENT_CACHE = True


@pytest.fixture(params=["page cache", "fragments only"])
def caching(request, settings):
    """The freshness tests hold with the page cache and, without it, for the
    fragments and objects cached in the shared cache."""
    settings.PAGE_CACHE = request.param == "page cache"
    return request.param


@pytest.fixture
def article(db):
    return make_article(title="Menakar subsidi tepat sasaran", topic=make_topic("kebijakan"))


@pytest.fixture
def anonymous():
    return Client(headers={"user-agent": BROWSER})


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


# Headers -------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/en/"])
def test_a_signed_out_page_may_be_kept_by_a_shared_cache(anonymous, article, path):
    response = anonymous.get(path, headers={"accept-language": "en-US,en;q=0.8"})

    assert "public" in response["Cache-Control"]
    assert "max-age=10" in response["Cache-Control"]
    # The URL decides the language: one copy per URL, whatever the browser asks for.
    assert response["Vary"] == "Cookie"
    assert response["Content-Language"] == ("en" if path == "/en/" else "id")
    assert not response.cookies


@pytest.mark.parametrize("path", ["/", "article"])
def test_a_signed_in_page_is_private_and_never_stored(client, user, article, path):
    client.force_login(user)
    url = article.get_absolute_url() if path == "article" else path

    response = client.get(url)

    assert "private" in response["Cache-Control"]
    assert "no-store" in response["Cache-Control"]
    assert "public" not in response["Cache-Control"]


def test_the_hidden_article_notice_is_never_cached(anonymous, article):
    article_services.hide_article(article)

    response = anonymous.get(article.get_absolute_url())

    assert response.status_code == 410
    assert "public" not in response["Cache-Control"]
    assert not len(memory.pages)


# Hits ----------------------------------------------------------------------------------


@pytest.mark.parametrize("page", ["home", "topic", "tag", "author", "article", "article page 2"])
def test_the_second_signed_out_request_runs_no_query(
    anonymous, article, django_assert_num_queries, page
):
    article.body = "<p>Satu.</p><hr><p>Dua.</p>"
    article.save()
    article.tags.add("subsidi")
    urls = {
        "home": "/",
        "topic": article.topic.get_absolute_url(),
        "tag": "/tag/subsidi/",
        "author": article.author.get_absolute_url(),
        "article": article.get_absolute_url(),
        "article page 2": article.get_page_url(2),
    }
    first = fetch(anonymous, urls[page])

    with django_assert_num_queries(0):
        second = fetch(anonymous, urls[page])

    assert strip_nonces(second) == strip_nonces(first)


def strip_nonces(html: str) -> str:
    return re.sub(r'nonce="[^"]+"', 'nonce=""', html)


def test_every_hit_gets_its_own_nonce_matching_its_header(anonymous, article):
    url = article.get_absolute_url()
    anonymous.get(url)

    nonces = set()
    for _ in range(2):
        response = anonymous.get(url)
        in_page = set(re.findall(r'nonce="([^"]+)"', response.content.decode()))
        assert len(in_page) == 1
        nonce = in_page.pop()
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.add(nonce)

    assert len(nonces) == 2
    assert pages.NONCE_PLACEHOLDER.decode() not in response.content.decode()


def test_the_query_string_is_part_of_the_key(anonymous, django_assert_num_queries):
    topic = make_topic("humaniora")
    for number in range(14):
        make_article(topic=topic, title=f"Catatan nomor {number}")

    first = fetch(anonymous, "/?halaman=2")
    second = fetch(anonymous, "/")

    assert first != second
    assert "Catatan nomor 0" in first
    assert "Catatan nomor 0" not in second


def test_made_up_query_parameters_share_one_cached_content(
    settings, anonymous, article, django_assert_num_queries
):
    """Only the parameters a page reads are part of the content's key, so made-up
    query strings cannot fill the shared cache with copies."""
    settings.PAGE_CACHE = False
    fetch(anonymous, "/?utm_source=a")

    with django_assert_num_queries(0):  # the page of cards would be one
        fetch(anonymous, "/?utm_source=b&x=1")


def test_a_cached_article_page_still_counts_each_reader(article):
    url = article.get_absolute_url()
    Client(headers={"user-agent": BROWSER}, REMOTE_ADDR="203.0.113.1").get(url)
    Client(headers={"user-agent": BROWSER}, REMOTE_ADDR="203.0.113.2").get(url)
    Client(headers={"user-agent": BROWSER}, REMOTE_ADDR="203.0.113.2").get(url)

    article_services.flush_view_counts()
    article.refresh_from_db()
    assert article.view_count == 2


def test_the_page_cache_can_be_turned_off(settings, anonymous, article, django_assert_num_queries):
    settings.PAGE_CACHE = False
    anonymous.get("/")

    response = anonymous.get("/")

    assert "public" in response["Cache-Control"]
    assert not len(memory.pages)


# Who gets what -------------------------------------------------------------------------


def test_a_signed_in_reader_never_gets_the_cached_signed_out_page(client, anonymous, article):
    reader = make_user(username="pembacasetia", display_name="Pembaca Setia")
    url = article.get_absolute_url()
    fetch(anonymous, url)
    fetch(anonymous, url)  # now certainly stored

    client.force_login(reader)
    page = fetch(client, url)

    assert "Pembaca Setia" in page
    assert "Sign in to comment" not in page and "Masuk untuk berkomentar" not in page


def test_the_signed_in_comment_form_carries_its_csrf_token(client, user, article):
    client.force_login(user)

    page = fetch(client, article.get_absolute_url())

    form = page[page.index('class="comment-form"') :]
    form = form[: form.index("</form>")]
    assert 'name="csrfmiddlewaretoken"' in form


def test_a_signed_out_reader_never_gets_a_signed_in_page(client, anonymous, article):
    reader = make_user(username="pembacasetia", display_name="Pembaca Setia")
    client.force_login(reader)
    url = article.get_absolute_url()
    fetch(client, url)
    fetch(client, url)

    assert not len(memory.pages)
    assert "Pembaca Setia" not in fetch(anonymous, url)


def test_a_reader_with_a_messages_cookie_is_not_served_from_the_cache(
    settings, anonymous, article, django_assert_max_num_queries
):
    settings.FRAGMENT_CACHE = False  # so that a page built by the view runs queries
    fetch(anonymous, "/")
    anonymous.cookies["messages"] = "something"

    with django_assert_max_num_queries(10) as queries:
        fetch(anonymous, "/")

    assert len(queries) > 0


# Freshness: each write makes the affected pages fresh ----------------------------------


def warm(client, *urls):
    for url in urls:
        fetch(client, url)


def test_publishing_refreshes_the_lists(caching, anonymous, article):
    draft = make_article(
        title="Tulisan baru yang terbit", topic=article.topic, status=Article.Status.DRAFT
    )
    lists = ["/", article.topic.get_absolute_url(), draft.author.get_absolute_url()]
    warm(anonymous, *lists)

    article_services.publish_article(draft, by=draft.author)

    for url in lists:
        assert "Tulisan baru yang terbit" in fetch(anonymous, url), url


def test_an_edit_refreshes_the_article_and_the_lists(caching, anonymous, article):
    pages = ["/", article.topic.get_absolute_url(), article.get_absolute_url()]
    warm(anonymous, *pages)

    data = {field: getattr(article, field) for field in article_services.ARTICLE_FIELDS}
    data["title"] = "Judul yang sudah diperbaiki"
    article_services.save_article(article, author=article.author, data=data, tags=[])

    for url in pages:
        assert "Judul yang sudah diperbaiki" in fetch(anonymous, url), url


def test_a_comment_refreshes_the_article_page(caching, anonymous, article):
    url = article.get_absolute_url()
    warm(anonymous, url)

    comment_services.post_comment(
        article, author=make_user(), body="Komentar yang baru saja masuk", enforce_limits=False
    )

    assert "Komentar yang baru saja masuk" in fetch(anonymous, url)


def test_hiding_and_restoring_a_comment_refresh_the_article_page(caching, anonymous, article):
    comment = comment_services.post_comment(
        article, author=make_user(), body="Komentar yang akan disembunyikan", enforce_limits=False
    )
    url = article.get_absolute_url()
    warm(anonymous, url)

    comment_services.hide_comment_as_moderator(comment)
    assert "Komentar yang akan disembunyikan" not in fetch(anonymous, url)

    comment_services.restore_comment_as_moderator(comment)
    assert "Komentar yang akan disembunyikan" in fetch(anonymous, url)


def test_hiding_and_restoring_an_article_refresh_its_page_and_the_lists(
    caching, anonymous, article
):
    url = article.get_absolute_url()
    warm(anonymous, url, "/")

    article_services.hide_article(article)
    assert anonymous.get(url).status_code == 410
    assert article.title not in fetch(anonymous, "/")

    article_services.restore_article(article)
    assert article.title in fetch(anonymous, url)
    assert article.title in fetch(anonymous, "/")


def test_a_profile_change_refreshes_the_authors_pages(caching, anonymous, article):
    author = article.author
    warm(anonymous, article.get_absolute_url(), author.get_absolute_url())

    update_profile(
        author,
        data={"display_name": "Nama Pena Baru", "occupation": "student", "tagline": "", "bio": ""},
    )

    assert "Nama Pena Baru" in fetch(anonymous, article.get_absolute_url())
    assert "Nama Pena Baru" in fetch(anonymous, author.get_absolute_url())


def test_a_rating_refreshes_the_article_page(caching, anonymous, article):
    url = article.get_absolute_url()
    before = fetch(anonymous, url)

    article_services.rate_article(article, user=make_user(), label=Rating.Label.values[0])

    assert strip_nonces(fetch(anonymous, url)) != strip_nonces(before)


def test_a_warm_signed_out_article_page_runs_no_query_without_the_page_cache(
    settings, anonymous, article, django_assert_num_queries
):
    """The article, its pages, related list, ratings, comment section and header
    topics all come from the shared cache; the view count goes to Redis (or, on
    the in-process cache, is already counted for this reader)."""
    settings.PAGE_CACHE = False
    comment_services.post_comment(
        article, author=make_user(), body="Komentar pertama", enforce_limits=False
    )
    url = article.get_absolute_url()
    first = fetch(anonymous, url)

    with django_assert_num_queries(0):
        second = fetch(anonymous, url)

    assert strip_nonces(second) == strip_nonces(first)
    assert "Komentar pertama" in second


# Warm signed-out pages without the page cache: every one is built from the cache,
# the topic, tag or person it is about included.
WARM_QUERIES = {"home": 0, "topic": 0, "tag": 0, "author": 0, "article": 0}


@pytest.fixture
def page_urls(settings, article):
    """Without the page cache: each kind of public page, with a list long enough to
    page and a comment on the article."""
    settings.PAGE_CACHE = False
    article.tags.add("subsidi")
    for _ in range(15):
        make_article(topic=article.topic, author=article.author, tags=["subsidi"])
    comment_services.post_comment(
        article, author=make_user(), body="Komentar pertama", enforce_limits=False
    )
    return {
        "home": "/",
        "topic": article.topic.get_absolute_url(),
        "tag": "/tag/subsidi/",
        "author": article.author.get_absolute_url(),
        "article": article.get_absolute_url(),
    }


@pytest.mark.parametrize("page", WARM_QUERIES)
def test_warm_signed_out_pages_run_a_pinned_number_of_queries_without_the_page_cache(
    anonymous, page_urls, django_assert_num_queries, page
):
    url = page_urls[page]
    fetch(anonymous, url)

    with django_assert_num_queries(WARM_QUERIES[page]):
        fetch(anonymous, url)


# Warm signed-in pages: the copy shared by every signed-in reader (caching.readers),
# with the reader's bell, follow state and own rating cached under their own
# generation; what is left is who reads: the user.
WARM_QUERIES_SIGNED_IN = {"home": 1, "topic": 1, "tag": 1, "article": 1}


@pytest.mark.parametrize("page", WARM_QUERIES_SIGNED_IN)
def test_warm_signed_in_pages_run_a_pinned_number_of_queries(
    client, page_urls, django_assert_num_queries, page
):
    url = page_urls[page]
    client.force_login(make_user())
    fetch(client, url)

    with django_assert_num_queries(WARM_QUERIES_SIGNED_IN[page]):
        html = fetch(client, url)

    assert "Keluar" in html or "Sign out" in html


def test_a_page_cached_before_the_commit_is_stale_after_it(
    anonymous, article, django_capture_on_commit_callbacks
):
    """The second bump, at commit: a copy cached between the write and its commit
    (here by the same connection, inside the transaction) is not served after it."""
    url = article.get_absolute_url()
    with django_capture_on_commit_callbacks(execute=True):
        comment_services.post_comment(
            article, author=make_user(), body="Komentar sesudah commit", enforce_limits=False
        )
        warm(anonymous, url, url)

    with CaptureQueriesContext(connection) as queries:
        fetch(anonymous, url)

    assert len(queries) > 0


def test_readers_share_the_authors_figures_from_the_cache_the_author_gets_them_fresh(
    settings, anonymous, client, article
):
    """The figures sum over all of an author's articles; readers, signed in or not,
    share a copy at most AUTHOR_STATISTICS_SECONDS old, even after a publication.
    The author sees their own page's figures fresh (and the dashboard's)."""
    settings.PAGE_CACHE = False
    url = article.author.get_absolute_url()
    fetch(anonymous, url)
    make_article(author=article.author, topic=article.topic)
    generations.bump(generations.LISTS)

    signed_out = fetch(anonymous, url)
    client.force_login(make_user())
    signed_in = fetch(client, url)
    client.force_login(article.author)
    own = fetch(client, url)

    assert "<strong>1</strong> artikel" in signed_out
    assert "<strong>1</strong> artikel" in signed_in
    assert "<strong>2</strong> artikel" in own


def test_topics_deleted_together_in_the_admin_leave_the_header_at_once(
    caching, anonymous, client, article, staff_user
):
    """A bulk delete from the admin's list bypasses the services: it bumps the site."""
    extra = make_topic("topik-sementara", name="Topik Sementara")
    assert "Topik Sementara" in fetch(anonymous, "/")
    staff_user.is_superuser = True
    staff_user.save()
    client.force_login(staff_user)

    response = client.post(
        "/admin/articles/topic/",
        {"action": "delete_selected", "_selected_action": [extra.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert "Topik Sementara" not in fetch(anonymous, "/")


def test_a_long_lists_total_is_not_counted_again_after_each_publication(
    settings, anonymous, article, monkeypatch
):
    """Long lists without a tally (a tag's) reuse their total for up to
    PAGE_CACHE_SECONDS: after a publication page 1 is new at once, and no COUNT runs."""
    settings.PAGE_CACHE = False
    monkeypatch.setattr("core.pagination.CachedCountPaginator.LONG_LIST", 10)
    for _ in range(12):
        make_article(topic=article.topic, tags=["banjir"])
    fetch(anonymous, "/tag/banjir/")  # 12 articles: counted once
    fresh = make_article(
        topic=article.topic, title="Terbit setelah hitungan", status="draft", tags=["banjir"]
    )

    article_services.publish_article(fresh, by=fresh.author)
    with CaptureQueriesContext(connection) as queries:
        html = fetch(anonymous, "/tag/banjir/")

    assert "Terbit setelah hitungan" in html
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"]]


def test_the_home_and_topic_totals_are_never_counted(settings, anonymous, article):
    """Their totals come from the topic tallies (articles.tallies), exact at once."""
    settings.PAGE_CACHE = False
    with CaptureQueriesContext(connection) as queries:
        fetch(anonymous, "/")
        fetch(anonymous, article.topic.get_absolute_url())
    assert not [q for q in queries.captured_queries if "COUNT(" in q["sql"]]
