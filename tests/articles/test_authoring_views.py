"""Writing over HTTP: the author's journey, tampering, permissions, bad input,
the dashboard and tag suggestions."""

from datetime import datetime

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from articles.models import Article
from articles.sanitizer import PAGE_BREAK
from articles.services import flush_view_counts, normalise_tag
from tests.authoring_builders import (
    article_data,
    edit_data,
    field_error,
    find,
    inside,
    text_of,
)
from tests.factories import BROWSER, make_article, make_topic

pytestmark = pytest.mark.django_db

WRITE_URL = reverse("articles:write")


def whole_seconds(moment):
    """<time datetime> carries whole seconds (HTML allows at most three digits of a fraction)."""
    return moment.replace(microsecond=0)


def edit_url(article):
    return reverse("articles:edit", kwargs={"pk": article.pk})


def publish_url(article):
    return reverse("articles:publish", kwargs={"pk": article.pk})


def unpublish_url(article):
    return reverse("articles:unpublish", kwargs={"pk": article.pk})


def delete_url(article):
    return reverse("articles:delete", kwargs={"pk": article.pk})


def is_login_redirect(response):
    return response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def meta_times(page):
    """The <time> elements under the article title: published, then updated if shown."""
    (meta,) = find(page, "div", class_="article-meta")
    return inside(page, meta, "time")


def snapshot(article):
    """What a refused request must leave exactly as it was."""
    article.refresh_from_db()
    return {
        "title": article.title,
        "slug": article.slug,
        "body": article.body,
        "status": article.status,
        "author_id": article.author_id,
        "published_at": article.published_at,
        "updated_at": article.updated_at,
        "tags": sorted(article.tags.names()),
    }


@pytest.fixture
def anonymous():
    """A second, signed-out browser (the ``client`` fixture is the author's once signed in)."""
    return Client()


@pytest.fixture
def topic(db):
    return make_topic("pendidikan-umum", name="Pendidikan")


@pytest.fixture
def author(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def draft(user, topic):
    return make_article(
        author=user,
        topic=topic,
        title="Catatan Awal",
        body="<p>Isi draf.</p>",
        status=Article.Status.DRAFT,
        tags=["catatan"],
    )


@pytest.fixture
def published(user, topic):
    return make_article(author=user, topic=topic, title="Sudah Terbit", tags=["terbit"])


def as_user(person):
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


# --- The journey, end to end -----------------------------------------------------


def test_author_journey_from_empty_form_to_deleted_article(author, user, other_user, topic):
    # The empty form, with the editor's scripts and styles.
    response = author.get(WRITE_URL)
    assert response.status_code == 200
    assert find(response, "form", class_="write-form")
    assert find(response, "textarea", name="body")
    assert find(response, "script", src="/static/django_prose_editor/editor.js")
    assert find(response, "link", href="/static/django_prose_editor/editor.css")

    # A draft.
    response = author.post(
        WRITE_URL,
        article_data(
            topic,
            title="Sekolah Gratis",
            body="<p>Halaman satu.</p><hr><p>Halaman dua.</p>",
            tags="Pendidikan, #Kebijakan  Publik ,pendidikan",
        ),
    )
    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == edit_url(article)
    assert article.author == user
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert sorted(article.tags.names()) == ["kebijakan publik", "pendidikan"]
    draft_url = article.get_absolute_url()
    assert as_user(None).get(draft_url).status_code == 404
    assert as_user(other_user).get(draft_url).status_code == 404
    assert author.get(draft_url).status_code == 200

    # Preview saves and shows the public page.
    response = author.post(edit_url(article), edit_data(article, action="preview"))
    assert response.status_code == 302
    assert response["Location"] == draft_url

    # Publish: on the home page.
    response = author.post(edit_url(article), edit_data(article, action="publish"))
    article.refresh_from_db()
    assert response.status_code == 302
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at is not None
    first_published_at = article.published_at
    home = as_user(None).get(reverse("articles:home"))
    assert draft_url in [link.attrs["href"] for link in find(home, "a")]

    # A later edit: marked as updated, same URL.
    response = author.post(
        edit_url(article), edit_data(article, title="Sekolah Gratis untuk Semua", action="save")
    )
    article.refresh_from_db()
    assert response.status_code == 302
    assert article.get_absolute_url() == draft_url
    assert article.updated_at is not None
    assert article.published_at == first_published_at

    # Unpublished: gone for the public, and republishing keeps the first time.
    response = author.post(unpublish_url(article))
    assert response.status_code == 302
    assert as_user(None).get(draft_url).status_code == 404
    response = author.post(publish_url(article))
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at == first_published_at

    # Deleted: everywhere 404, the row kept.
    assert author.get(delete_url(article)).status_code == 200
    response = author.post(delete_url(article))
    assert response.status_code == 302
    assert author.get(draft_url).status_code == 404
    assert author.get(edit_url(article)).status_code == 404
    assert Article.objects.filter(pk=article.pk, status=Article.Status.DELETED).exists()


# --- Writing a draft -------------------------------------------------------------


def test_write_page_shows_the_form_with_the_editor(author, topic):
    response = author.get(WRITE_URL)

    assert response.status_code == 200
    assert find(response, "input", name="title")
    assert find(response, "select", name="topic")
    assert find(response, "textarea", name="body")
    assert find(response, "input", name="tags")
    assert find(response, "input", name="cover_upload", type="file")
    assert find(response, "script", src="/static/django_prose_editor/configurable.js")
    assert find(response, "script", type="importmap")
    # The editor's scripts carry the page's CSP nonce, so they run.
    nonce = find(response, "script", type="importmap")[0].attrs.get("nonce")
    assert nonce
    assert nonce in response["Content-Security-Policy"]


def test_save_draft_creates_a_draft_owned_by_the_user(author, user, topic):
    response = author.post(WRITE_URL, article_data(topic, action="draft"))

    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == edit_url(article)
    assert article.author == user
    assert article.topic == topic
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None
    assert article.updated_at is None


def test_saved_body_is_sanitised(author, topic):
    body = (
        '<p onclick="steal()">Halo <script>alert(1)</script><strong>warga</strong></p>'
        '<p><a href="javascript:alert(1)">klik</a><img src="x" onerror="alert(1)"></p>'
    )
    author.post(WRITE_URL, article_data(topic, body=body))

    article = Article.objects.get()
    assert article.body_html.startswith("<p>Halo <strong>warga</strong></p>")
    for hostile in ("script", "onclick", "onerror", "javascript:", "alert"):
        assert hostile not in article.body_html


def test_tags_are_normalised_and_deduplicated(author, topic):
    author.post(WRITE_URL, article_data(topic, tags="Pendidikan, #Kebijakan  Publik ,pendidikan"))

    assert sorted(Article.objects.get().tags.names()) == ["kebijakan publik", "pendidikan"]


def test_existing_tag_in_other_case_is_reused(author, topic):
    Tag.objects.create(name="pendidikan", slug="pendidikan")

    author.post(WRITE_URL, article_data(topic, tags="PENDIDIKAN"))

    assert list(Article.objects.get().tags.values_list("slug", flat=True)) == ["pendidikan"]
    assert Tag.objects.count() == 1


def test_preview_saves_and_redirects_to_the_article_page(author, topic):
    response = author.post(WRITE_URL, article_data(topic, action="preview"))

    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert article.status == Article.Status.DRAFT


def test_draft_is_404_for_anonymous_and_other_users(client, draft, other_user):
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(other_user)
    assert client.get(draft.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("who", ["author", "staff"])
def test_draft_is_visible_to_its_author_and_staff(client, draft, user, staff_user, who):
    client.force_login(user if who == "author" else staff_user)

    response = client.get(draft.get_absolute_url())

    assert response.status_code == 200
    assert text_of(find(response, "h1", class_="article-title")[0]) == draft.title
    assert find(response, "div", class_="notice")


def test_draft_preview_splits_pages_at_every_horizontal_rule(author, topic):
    author.post(
        WRITE_URL,
        article_data(topic, body="<p>Satu.</p><hr><p>Dua.</p><hr/><p>Tiga.</p>", action="preview"),
    )
    article = Article.objects.get()
    assert article.body_html == f"<p>Satu.</p>{PAGE_BREAK}<p>Dua.</p>{PAGE_BREAK}<p>Tiga.</p>"

    response = author.get(article.get_absolute_url())

    assert response.status_code == 200
    nav = find(response, "nav", class_="article-pages")
    assert nav
    assert "HALAMAN" in text_of(nav[0])
    page_links = [link.attrs["href"] for link in inside(response, nav[0], "a")]
    assert article.get_page_url(2) in page_links
    assert article.get_page_url(3) in page_links
    body = text_of(find(response, "div", class_="article-body")[0])
    assert body == "Satu."
    page_two = author.get(article.get_page_url(2))
    assert page_two.status_code == 200
    assert text_of(find(page_two, "div", class_="article-body")[0]) == "Dua."


def test_preview_renders_like_the_published_page(author, user, topic):
    """The author's preview of a draft and the public page after publishing are the same
    article page: same title, body, pages and author block."""
    author.post(
        WRITE_URL, article_data(topic, body="<p>Satu.</p><hr><p>Dua.</p>", action="preview")
    )
    article = Article.objects.get()
    preview = author.get(article.get_absolute_url())
    author.post(publish_url(article))
    public = Client().get(article.get_absolute_url())

    for response in (preview, public):
        assert response.status_code == 200
        assert response.templates[0].name == "articles/detail.html"
    for tag, class_ in [
        ("h1", "article-title"),
        ("div", "article-body"),
        ("nav", "article-pages"),
        ("section", "author-block"),
    ]:
        # Signed out, the author block shows a "+" sign-in link instead of nothing.
        preview_text, public_text = (
            " ".join(text_of(find(page, tag, class_=class_)[0]).replace("+", " ").split())
            for page in (preview, public)
        )
        assert preview_text == public_text


# --- Publishing ------------------------------------------------------------------


def test_publish_from_the_form_publishes_and_lists_on_home(author, anonymous, topic):
    response = author.post(WRITE_URL, article_data(topic, action="publish"))

    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == article.get_absolute_url()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_at is not None
    home = Client().get(reverse("articles:home"))
    assert article.get_absolute_url() in [link.attrs["href"] for link in find(home, "a")]
    assert Client().get(article.get_absolute_url()).status_code == 200


def test_publish_button_publishes_a_draft(author, draft):
    before = timezone.now()

    response = author.post(publish_url(draft))

    draft.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == draft.get_absolute_url()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.published_at >= before


def test_publishing_twice_keeps_the_first_published_time(author, draft):
    author.post(publish_url(draft))
    draft.refresh_from_db()
    first = draft.published_at

    author.post(publish_url(draft))
    author.post(edit_url(draft), edit_data(draft, action="publish"))

    draft.refresh_from_db()
    assert draft.published_at == first
    assert draft.status == Article.Status.PUBLISHED


def test_edit_after_publishing_shows_the_updated_time(author, published):
    response = author.post(edit_url(published), edit_data(published, body="<p>Versi baru.</p>"))

    published.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == published.get_absolute_url()
    assert published.updated_at is not None
    assert published.updated_at > published.published_at
    assert published.body_html == "<p>Versi baru.</p>"

    page = Client().get(published.get_absolute_url())
    published_time, updated_time = meta_times(page)
    assert datetime.fromisoformat(published_time.attrs["datetime"]) == whole_seconds(
        published.published_at
    )
    assert datetime.fromisoformat(updated_time.attrs["datetime"]) == whole_seconds(
        published.updated_at
    )
    assert text_of(updated_time.parents[-1]).startswith("Diperbarui:")


def test_updated_label_is_english_under_en(author, published):
    author.post(edit_url(published), edit_data(published, body="<p>Versi baru.</p>"))
    published.refresh_from_db()

    page = Client().get("/en" + published.get_absolute_url())

    _, updated_time = meta_times(page)
    assert text_of(updated_time.parents[-1]).startswith("Updated:")


def test_a_published_article_never_edited_shows_no_updated_time(published):
    page = Client().get(published.get_absolute_url())

    (published_time,) = meta_times(page)
    assert datetime.fromisoformat(published_time.attrs["datetime"]) == whole_seconds(
        published.published_at
    )
    assert "Diperbarui" not in page.content.decode()


def test_edit_of_a_draft_does_not_mark_it_updated(author, draft):
    author.post(edit_url(draft), edit_data(draft, body="<p>Masih draf.</p>"))

    draft.refresh_from_db()
    assert draft.updated_at is None
    assert draft.body_html == "<p>Masih draf.</p>"


def test_slug_follows_the_title_before_publishing(author, draft):
    old_url = draft.get_absolute_url()

    author.post(edit_url(draft), edit_data(draft, title="Judul yang Lebih Baik"))

    draft.refresh_from_db()
    assert draft.slug == "judul-yang-lebih-baik"
    response = author.get(old_url)
    assert response.status_code == 301
    assert response["Location"] == draft.get_absolute_url()


def test_slug_stays_after_publishing_and_an_old_slug_redirects(anonymous, author, published):
    url = published.get_absolute_url()

    author.post(edit_url(published), edit_data(published, title="Judul Baru Sama Sekali"))

    published.refresh_from_db()
    assert published.title == "Judul Baru Sama Sekali"
    assert published.get_absolute_url() == url
    assert anonymous.get(url).status_code == 200
    stale = reverse("articles:detail", kwargs={"pk": published.pk, "slug": "judul-lama"})
    response = anonymous.get(stale)
    assert response.status_code == 301
    assert response["Location"] == url


def test_unpublish_returns_the_article_to_draft(anonymous, author, published):
    response = author.post(unpublish_url(published))

    published.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == reverse("articles:dashboard")
    assert published.status == Article.Status.DRAFT
    assert anonymous.get(published.get_absolute_url()).status_code == 404
    assert author.get(published.get_absolute_url()).status_code == 200


def test_republishing_keeps_the_original_published_time(author, published):
    original = published.published_at
    author.post(unpublish_url(published))

    author.post(publish_url(published))

    published.refresh_from_db()
    assert published.status == Article.Status.PUBLISHED
    assert published.published_at == original


# --- Deleting --------------------------------------------------------------------


def test_delete_asks_for_confirmation_first(author, published):
    response = author.get(delete_url(published))

    published.refresh_from_db()
    assert response.status_code == 200
    assert find(response, "form", method="post")
    assert published.status == Article.Status.PUBLISHED


def test_deleted_article_is_gone_everywhere_but_the_row_stays(anonymous, author, user, published):
    response = author.post(delete_url(published))

    assert response.status_code == 302
    assert response["Location"] == reverse("articles:dashboard")
    published.refresh_from_db()
    assert published.status == Article.Status.DELETED
    url = published.get_absolute_url()
    assert anonymous.get(url).status_code == 404
    assert author.get(url).status_code == 404
    assert author.get(published.get_all_pages_url()).status_code == 404
    assert author.get(edit_url(published)).status_code == 404
    assert author.post(publish_url(published)).status_code == 404
    for list_url in (
        reverse("articles:home"),
        reverse("articles:dashboard"),
        published.topic.get_absolute_url(),
        user.get_absolute_url(),
        reverse("articles:tag", kwargs={"slug": "terbit"}),
    ):
        links = [link.attrs.get("href") for link in find(author.get(list_url), "a")]
        assert url not in links, list_url
    published.refresh_from_db()
    assert published.status == Article.Status.DELETED


# --- Tampering -------------------------------------------------------------------

TAMPERING = {
    "status": "published",
    "view_count": "999",
    "comment_count": "77",
    "published_at": "2020-01-01 08:00",
    "updated_at": "2020-01-02 08:00",
    "is_pick": "on",
    "is_headline": "on",
    "slug": "slug-pilihan-sendiri",
}


def test_new_article_ignores_fields_the_form_does_not_show(author, user, other_user, topic):
    author.post(WRITE_URL, article_data(topic, author=str(other_user.pk), **TAMPERING))

    article = Article.objects.get()
    assert article.author == user
    assert article.status == Article.Status.DRAFT
    assert article.view_count == 0
    assert article.comment_count == 0
    assert article.published_at is None
    assert article.updated_at is None
    assert not article.is_pick
    assert not article.is_headline
    assert article.slug == "sekolah-gratis-untuk-semua"


def test_edit_ignores_fields_the_form_does_not_show(author, user, other_user, published):
    before = snapshot(published)

    author.post(
        edit_url(published),
        edit_data(published, author=str(other_user.pk), action="save", **TAMPERING),
    )

    published.refresh_from_db()
    assert published.author == user
    assert published.status == Article.Status.PUBLISHED
    assert published.view_count == 0
    assert published.comment_count == 0
    assert published.published_at == before["published_at"]
    assert not published.is_pick
    assert not published.is_headline
    assert published.slug == before["slug"]


def test_draft_action_with_status_published_still_saves_a_draft(anonymous, author, topic):
    author.post(WRITE_URL, article_data(topic, action="draft", status="published"))

    article = Article.objects.get()
    assert article.status == Article.Status.DRAFT
    assert anonymous.get(article.get_absolute_url()).status_code == 404


def test_edit_of_a_draft_with_status_published_stays_a_draft(author, draft):
    author.post(edit_url(draft), edit_data(draft, action="draft", status="published"))

    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert draft.published_at is None


def test_publish_action_cannot_bring_back_a_hidden_article(author, published):
    Article.objects.filter(pk=published.pk).update(status=Article.Status.HIDDEN)
    published.refresh_from_db()

    author.post(edit_url(published), edit_data(published, action="publish"))
    author.post(publish_url(published))

    published.refresh_from_db()
    assert published.status == Article.Status.HIDDEN


def test_unknown_action_saves_without_publishing(author, topic):
    author.post(WRITE_URL, article_data(topic, action="terbitkan-paksa"))

    assert Article.objects.get().status == Article.Status.DRAFT


# --- Permissions -----------------------------------------------------------------

# (name, method, url builder): every authoring endpoint that loads an article.
EDITOR_ENDPOINTS = [
    ("edit page", "get", edit_url),
    ("edit", "post", edit_url),
    ("publish", "post", publish_url),
    ("unpublish", "post", unpublish_url),
    ("delete page", "get", delete_url),
    ("delete", "post", delete_url),
]
ENDPOINT_IDS = [name for name, _, _ in EDITOR_ENDPOINTS]


def request_endpoint(client, method, url, article):
    if method == "get":
        return client.get(url)
    data = edit_data(article, title="Judul Orang Lain", body="<p>Diganti.</p>", action="save")
    return client.post(url, data)


@pytest.fixture(params=["draft", "published"])
def target(request, user, topic):
    status = Article.Status.DRAFT if request.param == "draft" else Article.Status.PUBLISHED
    return make_article(author=user, topic=topic, title="Milik Penulis", status=status, tags=["x"])


@pytest.mark.parametrize(("name", "method", "url_of"), EDITOR_ENDPOINTS, ids=ENDPOINT_IDS)
def test_anonymous_is_sent_to_sign_in_and_nothing_changes(client, target, name, method, url_of):
    before = snapshot(target)

    response = request_endpoint(client, method, url_of(target), target)

    assert is_login_redirect(response)
    assert snapshot(target) == before


@pytest.mark.parametrize(("name", "method", "url_of"), EDITOR_ENDPOINTS, ids=ENDPOINT_IDS)
def test_another_user_gets_403_and_nothing_changes(
    client, other_user, target, name, method, url_of
):
    client.force_login(other_user)
    before = snapshot(target)

    response = request_endpoint(client, method, url_of(target), target)

    assert response.status_code == 403
    assert snapshot(target) == before


@pytest.mark.parametrize("who", ["author", "staff"])
@pytest.mark.parametrize(("name", "method", "url_of"), EDITOR_ENDPOINTS, ids=ENDPOINT_IDS)
def test_author_and_staff_may_use_every_endpoint(
    client, user, staff_user, target, name, method, url_of, who
):
    client.force_login(user if who == "author" else staff_user)

    response = request_endpoint(client, method, url_of(target), target)

    target.refresh_from_db()
    assert response.status_code == (200 if method == "get" else 302)
    assert target.author == user  # staff editing never takes the article over
    if name == "edit":
        assert target.title == "Judul Orang Lain"
    elif name == "publish":
        assert target.status == Article.Status.PUBLISHED
    elif name == "unpublish":
        assert target.status == Article.Status.DRAFT
    elif name == "delete":
        assert target.status == Article.Status.DELETED


@pytest.mark.parametrize("url_of", [publish_url, unpublish_url], ids=["publish", "unpublish"])
@pytest.mark.parametrize("method", ["get", "head"])
def test_post_only_endpoints_refuse_other_methods(author, published, url_of, method):
    before = snapshot(published)

    response = getattr(author, method)(url_of(published))

    assert response.status_code == 405
    assert snapshot(published) == before


def test_missing_article_is_404_for_the_editor(author):
    for url in (
        reverse("articles:edit", kwargs={"pk": 999_999}),
        reverse("articles:delete", kwargs={"pk": 999_999}),
    ):
        assert author.get(url).status_code == 404


@pytest.fixture
def csrf_client(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("name", "url_of"),
    [
        ("edit", edit_url),
        ("publish", publish_url),
        ("unpublish", unpublish_url),
        ("delete", delete_url),
    ],
)
def test_writes_without_a_csrf_token_are_refused(csrf_client, published, name, url_of):
    before = snapshot(published)

    response = csrf_client.post(url_of(published), edit_data(published, title="Tanpa Token"))

    assert response.status_code == 403
    assert snapshot(published) == before


def test_new_article_without_a_csrf_token_is_refused(csrf_client, topic):
    response = csrf_client.post(WRITE_URL, article_data(topic))

    assert response.status_code == 403
    assert not Article.objects.exists()


def test_write_page_needs_sign_in(client):
    assert is_login_redirect(client.get(WRITE_URL))
    assert is_login_redirect(client.post(WRITE_URL, {"title": "x"}))
    assert not Article.objects.exists()


# --- Bad input keeps what was typed ----------------------------------------------


def test_missing_title_answers_400_with_the_error_and_keeps_the_typing(author, topic):
    data = article_data(
        topic, title="   ", body="<p>Tulisan panjang saya.</p>", tags="pendidikan, desa"
    )

    response = author.post(WRITE_URL, data)

    assert response.status_code == 400
    assert field_error(response, "title")
    assert (
        find(response, "span", class_="errorlist", id="id_title_errors")[0]
        .parents[-1]
        .attrs["class"]
        == "field has-error"
    )
    assert text_of(find(response, "textarea", name="body")[0]) == "<p>Tulisan panjang saya.</p>"
    assert find(response, "input", name="tags")[0].attrs["value"] == "pendidikan, desa"
    assert not Article.objects.exists()


def test_missing_topic_answers_400_with_the_error_next_to_the_topic(author, topic):
    response = author.post(WRITE_URL, article_data(topic, topic="", body="<p>Isi saya.</p>"))

    assert response.status_code == 400
    assert field_error(response, "topic")
    assert find(response, "input", name="title")[0].attrs["value"] == "Sekolah Gratis untuk Semua"
    assert text_of(find(response, "textarea", name="body")[0]) == "<p>Isi saya.</p>"
    assert not Article.objects.exists()


def test_unknown_topic_is_an_error_not_a_crash(author, topic):
    response = author.post(WRITE_URL, article_data(topic, topic="987654"))

    assert response.status_code == 400
    assert field_error(response, "topic")
    assert not Article.objects.exists()


@pytest.mark.parametrize("topic_value", ["abc", "1 OR 1=1", "-1", "1.5"])
def test_malformed_topic_is_an_error_not_a_crash(author, topic, topic_value):
    response = author.post(WRITE_URL, article_data(topic, topic=topic_value))

    assert response.status_code == 400
    assert field_error(response, "topic")
    assert not Article.objects.exists()


def test_more_than_ten_tags_is_refused_with_a_message(author, topic):
    tags = ", ".join(f"tag{n}" for n in range(settings.MAX_TAGS_PER_ARTICLE + 1))

    response = author.post(WRITE_URL, article_data(topic, tags=tags))

    assert response.status_code == 400
    assert "10" in field_error(response, "tags")
    assert find(response, "input", name="tags")[0].attrs["value"] == tags
    assert not Article.objects.exists()
    assert not Tag.objects.exists()


def test_ten_tags_are_accepted_and_duplicates_do_not_count(author, topic):
    names = [f"tag{n}" for n in range(settings.MAX_TAGS_PER_ARTICLE)]
    tags = ", ".join(names + [name.upper() for name in names])

    response = author.post(WRITE_URL, article_data(topic, tags=tags))

    assert response.status_code == 302
    assert sorted(Article.objects.get().tags.names()) == sorted(names)


def test_too_many_tags_under_en_names_the_limit(author, topic):
    tags = ", ".join(f"tag{n}" for n in range(11))

    response = author.post("/en" + WRITE_URL, article_data(topic, tags=tags))

    assert response.status_code == 400
    assert field_error(response, "tags") == "Use at most 10 tags."


def test_publishing_an_empty_body_is_refused(author, topic):
    response = author.post(WRITE_URL, article_data(topic, body="<p></p>", action="publish"))

    assert response.status_code == 400
    assert field_error(response, "body")
    assert not Article.objects.exists()


def test_publishing_a_body_that_sanitises_to_nothing_is_refused(author, topic):
    """Only a script: the stored page would be empty, so it cannot be published."""
    response = author.post(
        WRITE_URL, article_data(topic, body="<script>alert(1)</script>", action="publish")
    )

    assert response.status_code == 400
    assert field_error(response, "body")
    assert not Article.objects.filter(status=Article.Status.PUBLISHED).exists()


def test_empty_draft_may_be_saved_but_not_published(author, user, topic):
    response = author.post(WRITE_URL, article_data(topic, body="", action="draft"))
    assert response.status_code == 302
    article = Article.objects.get()

    response = author.post(publish_url(article))

    article.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == edit_url(article)
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None


def test_publish_button_refuses_a_draft_with_only_an_empty_paragraph(author, user, topic):
    """What the editor sends for an empty document is <p></p>."""
    article = make_article(author=user, topic=topic, body="<p></p>", status=Article.Status.DRAFT)

    author.post(publish_url(article))

    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.published_at is None


def test_invalid_edit_answers_400_and_keeps_the_stored_article(author, published):
    before = snapshot(published)

    response = author.post(
        edit_url(published),
        edit_data(published, title="", body="<p>Perubahan yang belum tersimpan.</p>"),
    )

    assert response.status_code == 400
    assert field_error(response, "title")
    assert (
        text_of(find(response, "textarea", name="body")[0])
        == "<p>Perubahan yang belum tersimpan.</p>"
    )
    assert snapshot(published) == before


def test_invalid_edit_with_too_many_tags_keeps_the_old_tags(author, published):
    before = snapshot(published)

    response = author.post(
        edit_url(published),
        edit_data(published, title="Judul Baru", tags=",".join(f"t{n}" for n in range(20))),
    )

    assert response.status_code == 400
    assert field_error(response, "tags")
    assert snapshot(published) == before


@pytest.mark.parametrize("tag", ["café", "???", "kopi ☕", "東京"])
def test_any_tag_an_author_types_leaves_a_working_article_page(author, anonymous, topic, tag):
    response = author.post(WRITE_URL, article_data(topic, tags=f"pendidikan, {tag}"))
    assert response.status_code == 302
    article = Article.objects.get()
    author.post(publish_url(article))

    page = anonymous.get(article.get_absolute_url())

    assert page.status_code == 200
    for link in find(page, "a", class_="chip"):
        assert anonymous.get(link.attrs["href"]).status_code == 200


# --- Dashboard -------------------------------------------------------------------


def test_dashboard_lists_my_drafts_published_and_hidden_articles(author, user, other_user, topic):
    mine = {
        "draft": make_article(author=user, topic=topic, status=Article.Status.DRAFT),
        "published": make_article(author=user, topic=topic, view_count=321, comment_count=45),
        "hidden": make_article(author=user, topic=topic, status=Article.Status.HIDDEN),
    }
    deleted = make_article(author=user, topic=topic, status=Article.Status.DELETED)
    theirs = make_article(author=other_user, topic=topic)

    response = author.get(reverse("articles:dashboard"))

    assert response.status_code == 200
    listed = {link.attrs["href"] for link in find(response, "a")}
    for article in mine.values():
        assert article.get_absolute_url() in listed
        assert edit_url(article) in listed
    assert deleted.get_absolute_url() not in listed
    assert theirs.get_absolute_url() not in listed
    row = next(
        element for element in find(response, "tr") if mine["published"].title in text_of(element)
    )
    cells = [text_of(cell) for cell in inside(response, row, "td")]
    assert "321" in cells
    assert "45" in cells
    statuses = [text_of(element) for element in find(response, "span", class_="status")]
    assert len(statuses) == 3


def test_dashboard_needs_sign_in(client):
    assert is_login_redirect(client.get(reverse("articles:dashboard")))


# Session user + count + page of articles (topic joined) + the author's
# statistics (one query) + the moderation notices (moderation_tags) + header
# topics + the bell's unread count + federation's likes and boosts of the page
# (one GROUP BY). The session lives in the cache.
DASHBOARD_QUERIES = 8


@pytest.mark.parametrize("count", [5, 30])
def test_dashboard_query_count_is_pinned(author, user, topic, django_assert_max_num_queries, count):
    for number in range(count):
        make_article(
            author=user,
            topic=make_topic(f"topik-dasbor-{number % 4}"),
            status=[Article.Status.DRAFT, Article.Status.PUBLISHED, Article.Status.HIDDEN][
                number % 3
            ],
            tags=["a", "b"],
        )

    with django_assert_max_num_queries(DASHBOARD_QUERIES):
        response = author.get(reverse("articles:dashboard"))

    assert response.status_code == 200
    assert len(find(response, "span", class_="status")) == min(count, 20)


def test_dashboard_query_count_does_not_grow_with_articles(author, user, topic):
    def measure():
        with CaptureQueriesContext(connection) as queries:
            response = author.get(reverse("articles:dashboard"))
        assert response.status_code == 200
        return len(queries)

    for _ in range(5):
        make_article(author=user, topic=make_topic(), tags=["a"])
    few = measure()
    for _ in range(25):
        make_article(author=user, topic=make_topic(), status=Article.Status.DRAFT, tags=["b"])
    assert measure() == few


# --- Tag suggestions -------------------------------------------------------------


def suggestions(client, query):
    response = client.get(reverse("articles:tag_suggestions"), {"q": query})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return response.json()["tags"]


def test_tag_suggestions_return_existing_tags_by_prefix(client, db):
    for name in ("pendidikan", "pemilu", "pertanian", "kesehatan", "politik"):
        Tag.objects.create(name=name, slug=name)

    assert suggestions(client, "pe") == ["pemilu", "pendidikan", "pertanian"]
    assert suggestions(client, "PEN") == ["pendidikan"]
    assert suggestions(client, " #pe ") == ["pemilu", "pendidikan", "pertanian"]


def test_tag_suggestions_return_at_most_ten(client, db):
    for number in range(15):
        Tag.objects.create(name=f"pemuda {number:02}", slug=f"pemuda-{number:02}")

    assert len(suggestions(client, "pe")) == 10


@pytest.mark.parametrize(
    "query",
    [
        "",
        "p",
        " p ",
        "%",
        "%%",
        "_%",
        "' OR 1=1 --",
        "<script>alert(1)</script>",
        "a" * 5000,
        "\\",
    ],
    ids=[
        "empty",
        "one letter",
        "one letter padded",
        "percent",
        "two percent",
        "like wildcards",
        "sql",
        "script",
        "very long",
        "backslash",
    ],
)
def test_tag_suggestions_for_short_or_hostile_queries_are_empty(client, db, query):
    Tag.objects.create(name="pendidikan", slug="pendidikan")

    assert suggestions(client, query) == []


def test_tag_suggestions_never_send_a_nul_byte_to_the_database(client, db):
    """PostgreSQL refuses NUL in text (a DataError, so a 500): the request is refused
    before the view (core.middleware), and the normaliser drops NUL besides."""
    Tag.objects.create(name="pendidikan", slug="pendidikan")

    response = client.get(reverse("articles:tag_suggestions"), {"q": "pe\x00"})

    assert response.status_code == 400
    assert normalise_tag("pe\x00") == "pe"
    assert normalise_tag("\x00\x00") == ""


def test_tag_suggestions_are_get_only(client, db):
    assert client.post(reverse("articles:tag_suggestions"), {"q": "pe"}).status_code == 405


def test_view_counts_do_not_count_the_authors_own_preview(author, anonymous, published):
    author.get(published.get_absolute_url(), headers={"user-agent": BROWSER})
    published.refresh_from_db()
    assert published.view_count == 0

    anonymous.get(published.get_absolute_url(), headers={"user-agent": BROWSER})
    flush_view_counts()  # with Redis, views reach the database in batches
    published.refresh_from_db()
    assert published.view_count == 1
