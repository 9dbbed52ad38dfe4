"""The read API: what it lists, what it hides, and how it pages, caches and answers."""

from datetime import timedelta

import pytest
from django.contrib.sites.models import Site
from django.utils import timezone

from accounts.services import lift_suspension, suspend_account
from articles import services as article_services
from articles.models import Article
from comments import services as comment_services
from tests.factories import make_article, make_topic, make_user

pytestmark = pytest.mark.django_db


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["results"]]


# What is listed -------------------------------------------------------------------------


def test_the_list_shows_published_articles_newest_first(api, author, topic):
    older = make_article(author=author, topic=topic)
    newer = make_article(author=author, topic=topic)

    response = api.get("/api/v1/articles")

    assert ids(response) == [newer.pk, older.pk]
    first = response.json()["results"][0]
    assert first["author"]["username"] == "ani"
    assert first["topic"]["slug"] == "kebijakan"
    assert first["url"].endswith(newer.get_absolute_url())


@pytest.mark.parametrize(
    "state",
    ["draft", "hidden", "deleted", "suspended", "suspended_until", "deactivated"],
)
def test_no_hidden_state_reaches_the_api(api, author, topic, state):
    shown = make_article(author=make_user(username="budi"), topic=topic, tags=["rahasia"])
    article = make_article(author=author, topic=topic, tags=["rahasia"], title="Tak terlihat")
    comment = comment_services.post_comment(shown, author=author, body="Komentar Ani")
    if state == "draft":
        Article.objects.filter(pk=article.pk).update(status=Article.Status.DRAFT)
    elif state == "hidden":
        article_services.hide_article(article)
    elif state == "deleted":
        article_services.delete_article(article, by=author)
    elif state == "suspended":
        suspend_account(author)
    elif state == "suspended_until":
        suspend_account(author, until=timezone.now() + timedelta(days=3))
    else:
        author.is_active = False
        author.save(update_fields=["is_active"])

    assert ids(api.get("/api/v1/articles")) == [shown.pk]
    assert ids(api.get("/api/v1/articles?tag=rahasia")) == [shown.pk]
    assert api.get(f"/api/v1/articles/{article.pk}").status_code == 404
    assert api.get(f"/api/v1/articles/{article.pk}/comments").status_code == 404
    authors = [item["username"] for item in api.get("/api/v1/authors").json()["results"]]
    assert authors == ["budi"]
    comments = api.get(f"/api/v1/articles/{shown.pk}/comments").json()["results"]
    if state in ("suspended", "suspended_until", "deactivated"):
        assert comments == []  # the account's comment is gone too
        assert api.get("/api/v1/authors/ani").status_code == 404
    else:
        assert [c["id"] for c in comments] == [comment.pk]


def test_a_suspension_that_ended_shows_the_account_again(api, author, published):
    suspend_account(author)
    assert api.get(f"/api/v1/articles/{published.pk}").status_code == 404

    lift_suspension(author)

    assert api.get(f"/api/v1/articles/{published.pk}").status_code == 200
    past = timezone.now() - timedelta(minutes=1)
    author.suspended_until = past
    author.save(update_fields=["suspended_until"])
    assert ids(api.get("/api/v1/articles")) == [published.pk]


def test_a_tag_only_drafts_carry_is_not_listed(api, author, topic):
    make_article(author=author, topic=topic, tags=["terbit"])
    make_article(author=author, topic=topic, tags=["rencana"], status=Article.Status.DRAFT)

    tags = api.get("/api/v1/tags").json()["results"]

    assert [tag["slug"] for tag in tags] == ["terbit"]


def test_authors_carry_public_fields_only(api, published):
    body = api.get("/api/v1/authors/ani").json()

    assert body["display_name"] == "Ani Wulandari"
    assert "email" not in body and "password" not in body
    assert "ani@example.com" not in api.get("/api/v1/authors").content.decode()
    assert "ani@example.com" not in api.get(f"/api/v1/articles/{published.pk}").content.decode()


# Filters --------------------------------------------------------------------------------


def test_filters_by_topic_tag_author_and_day(api, author, topic):
    politik = make_topic("politik", name="Politik")
    child = make_topic("pemilu", name="Pemilu", parent=politik)
    other = make_user(username="budi")
    in_child = make_article(author=author, topic=child, tags=["pemilu-2029"])
    in_parent = make_article(author=other, topic=politik)
    elsewhere = make_article(author=other, topic=topic, tags=["pemilu-2029"])
    Article.objects.filter(pk=elsewhere.pk).update(published_at=timezone.now() - timedelta(days=10))

    assert ids(api.get("/api/v1/articles?topic=politik")) == [in_parent.pk, in_child.pk]
    assert ids(api.get("/api/v1/articles?topic=pemilu")) == [in_child.pk]
    assert ids(api.get("/api/v1/articles?tag=pemilu-2029")) == [in_child.pk, elsewhere.pk]
    assert ids(api.get("/api/v1/articles?author=budi")) == [in_parent.pk, elsewhere.pk]
    recent = (timezone.localdate() - timedelta(days=5)).isoformat()
    assert elsewhere.pk not in ids(api.get(f"/api/v1/articles?published_after={recent}"))
    assert ids(api.get(f"/api/v1/articles?published_before={recent}")) == [elsewhere.pk]
    assert api.get("/api/v1/articles?topic=tidak-ada").status_code == 404


def test_odd_parameters_are_refused_with_problem_details(api):
    for query in ["limit=0", "limit=51", "limit=abc", "published_after=kemarin"]:
        response = api.get(f"/api/v1/articles?{query}")
        assert response.status_code == 422, query
        assert response["Content-Type"] == "application/problem+json"
    bad_cursor = api.get("/api/v1/articles?cursor=bukan-kursor")
    assert bad_cursor.status_code == 400
    assert "kursor" in bad_cursor.json()["detail"].lower()


# Pages and cursors ----------------------------------------------------------------------


def test_the_cursor_is_stable_while_new_articles_are_published(api, author, topic):
    articles = [make_article(author=author, topic=topic) for _ in range(5)]
    first = api.get("/api/v1/articles?limit=2").json()
    assert [item["id"] for item in first["results"]] == [articles[4].pk, articles[3].pk]

    make_article(author=author, topic=topic)  # a new one at the top
    second = api.get(first["next"].split("testserver")[-1].split("8000")[-1]).json()
    third = api.get(f"/api/v1/articles?limit=2&cursor={second['next_cursor']}").json()

    assert [item["id"] for item in second["results"]] == [articles[2].pk, articles[1].pk]
    assert [item["id"] for item in third["results"]] == [articles[0].pk]
    assert third["next"] is None and third["next_cursor"] is None


def test_the_detail_has_each_page_as_sanitised_html_and_text(api, author, topic):
    article = make_article(
        author=author,
        topic=topic,
        body='<p>Satu <script>alert(1)</script><a href="javascript:x()">tautan</a></p>'
        "<hr><p>Dua &amp; tiga</p>",
    )

    body = api.get(f"/api/v1/articles/{article.pk}").json()

    assert [page["number"] for page in body["pages"]] == [1, 2]
    assert "<script" not in body["pages"][0]["html"]
    assert "javascript:" not in body["pages"][0]["html"]
    assert body["pages"][1]["text"] == "Dua & tiga"
    assert body["pages"][1]["url"].endswith(article.get_page_url(2))


def test_comments_come_in_thread_order_with_placeholders(api, author, published):
    reader, other = make_user(username="citra"), make_user(username="dedi")
    first = comment_services.post_comment(
        published, author=reader, body="Pertama", enforce_limits=False
    )
    reply = comment_services.post_comment(
        published, author=other, body="Balasan", reply_to=first, enforce_limits=False
    )
    second = comment_services.post_comment(
        published, author=other, body="Kedua", enforce_limits=False
    )
    hidden = comment_services.post_comment(
        published, author=reader, body="Disembunyikan", enforce_limits=False
    )
    comment_services.hide_comment_as_moderator(hidden)
    comment_services.hide_comment_as_moderator(first)  # it keeps a visible reply

    results = api.get(f"/api/v1/articles/{published.pk}/comments").json()["results"]

    assert [c["id"] for c in results] == [first.pk, reply.pk, second.pk]
    assert results[0]["removed"] is True
    assert results[0]["text"] is None and results[0]["author"] is None
    assert results[1]["parent_id"] == first.pk and results[1]["text"] == "Balasan"
    assert (
        "Disembunyikan" not in api.get(f"/api/v1/articles/{published.pk}/comments").content.decode()
    )


def test_comment_threads_page_by_cursor(api, author, published):
    for n in range(3):
        comment_services.post_comment(
            published, author=author, body=f"Komentar {n}", enforce_limits=False
        )

    first = api.get(f"/api/v1/articles/{published.pk}/comments?limit=2").json()
    rest = api.get(
        f"/api/v1/articles/{published.pk}/comments?limit=2&cursor={first['next_cursor']}"
    ).json()

    assert [c["text"] for c in first["results"]] == ["Komentar 0", "Komentar 1"]
    assert [c["text"] for c in rest["results"]] == ["Komentar 2"]


# Headers --------------------------------------------------------------------------------


def test_an_unchanged_answer_is_304_with_its_etag(api, published):
    url = f"/api/v1/articles/{published.pk}"
    first = api.get(url)

    again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    stale = api.get(url, HTTP_IF_NONE_MATCH='"something-else"')

    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert stale.status_code == 200


def test_a_change_changes_the_etag(api, author, published):
    url = f"/api/v1/articles/{published.pk}"
    before = api.get(url)["ETag"]
    article_services.save_article(
        published,
        author=author,
        data={
            "title": "Judul baru",
            "topic": published.topic,
            "excerpt": "",
            "body": published.body,
            "cover_caption": "",
            "cover_credit": "",
        },
        tags=["subsidi"],
    )

    response = api.get(url, HTTP_IF_NONE_MATCH=before)

    assert response.status_code == 200
    assert response.json()["title"] == "Judul baru"


def test_if_modified_since_answers_304_when_nothing_was_rebuilt(api, published, settings):
    settings.FRAGMENT_CACHE = True
    url = f"/api/v1/articles/{published.pk}"
    first = api.get(url)

    assert api.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304
    assert api.get(url, HTTP_IF_MODIFIED_SINCE="Mon, 01 Jan 2001 00:00:00 GMT").status_code == 200


def test_reads_are_public_for_ten_seconds_like_the_pages(api, published):
    response = api.get("/api/v1/articles")

    assert response["Cache-Control"] == "public, max-age=10"
    assert "Accept-Language" not in response.get("Vary", "")
    assert response["Access-Control-Allow-Origin"] == "*"


def test_head_answers_the_headers_of_get(api, published):
    get = api.get(f"/api/v1/articles/{published.pk}")
    head = api.head(f"/api/v1/articles/{published.pk}")

    assert head.status_code == 200 and head.content == b""
    assert head["ETag"] == get["ETag"]
    assert head["Content-Length"] == str(len(get.content))


def test_a_preflight_for_reads_is_answered_and_writes_get_no_cors(api):
    preflight = api.options(
        "/api/v1/articles",
        HTTP_ORIGIN="https://app.example",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
    )
    write = api.post("/api/v1/articles", {}, content_type="application/json")

    assert preflight.status_code == 204
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    assert "Access-Control-Allow-Origin" not in write


def test_a_nul_byte_is_refused_as_problem_details(api):
    response = api.get("/api/v1/articles?topic=a%00b")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"


def test_an_unknown_address_answers_problem_details(api):
    response = api.get("/api/v1/tidak-ada")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


# Freshness with the caches on -----------------------------------------------------------


def test_with_the_caches_on_a_publication_and_a_hide_show_at_once(api, author, topic, settings):
    settings.FRAGMENT_CACHE = True
    settings.PAGE_CACHE = True
    draft = make_article(author=author, topic=topic, status=Article.Status.DRAFT)
    assert ids(api.get("/api/v1/articles")) == []
    assert api.get(f"/api/v1/articles/{draft.pk}").status_code == 404

    article_services.publish_article(draft, by=author)
    assert ids(api.get("/api/v1/articles")) == [draft.pk]
    assert api.get(f"/api/v1/articles/{draft.pk}").status_code == 200

    article_services.hide_article(draft)
    assert ids(api.get("/api/v1/articles")) == []
    assert api.get(f"/api/v1/articles/{draft.pk}").status_code == 404

    article_services.restore_article(draft)
    suspend_account(author)
    assert ids(api.get("/api/v1/articles")) == []


# Query counts ---------------------------------------------------------------------------


def _busy_site(author, topic):
    people = [make_user(username=f"penulis{n}") for n in range(5)]
    articles = [
        make_article(author=people[n % 5], topic=topic, tags=[f"tag{n}", "umum"]) for n in range(25)
    ]
    for n in range(10):
        comment = comment_services.post_comment(
            articles[-1], author=people[n % 5], body=f"Komentar {n}", enforce_limits=False
        )
        comment_services.post_comment(
            articles[-1], author=author, body=f"Balasan {n}", reply_to=comment, enforce_limits=False
        )
    return articles


def test_query_counts_are_pinned(api, author, topic, django_assert_max_num_queries):
    articles = _busy_site(author, topic)
    newest = articles[-1]
    urls = {
        "/api/v1/articles?limit=50": 2,  # the page with authors and topics; its tags
        "/api/v1/articles?tag=umum": 4,  # + the tag; the author filter
        "/api/v1/articles?author=penulis1&topic=kebijakan": 4,  # + the topic, the author
        f"/api/v1/articles/{newest.pk}": 4,  # the article with tags, corrections; its author
        f"/api/v1/articles/{newest.pk}/comments": 6,  # the article (4), threads, replies
        "/api/v1/authors": 1,
        "/api/v1/tags": 1,
        "/api/v1/topics": 1,
    }
    Site.objects.get_current()  # once per process, then kept by Django
    for url, count in urls.items():
        with django_assert_max_num_queries(count):
            assert api.get(url).status_code == 200, url


def test_with_the_fragment_cache_warm_a_read_runs_no_query(
    api, author, topic, settings, django_assert_num_queries
):
    settings.FRAGMENT_CACHE = True
    newest = _busy_site(author, topic)[-1]
    urls = [
        "/api/v1/articles",
        f"/api/v1/articles/{newest.pk}",
        f"/api/v1/articles/{newest.pk}/comments",
    ]
    for url in urls:
        api.get(url)
    for url in urls:
        with django_assert_num_queries(0):
            assert api.get(url).status_code == 200
