"""Personal access tokens: the page that makes and revokes them, Bearer
authentication, scopes, limits, and the writes they allow (through the site's services)."""

import pytest
from django.core import mail
from django.test import Client

from accounts.services import follow_author, suspend_account
from api.models import AccessToken, AuditEntry
from api.services import token_digest
from articles.models import Article
from comments.models import Comment
from notifications.models import Notification
from tests.api.conftest import bearer
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

NEW_DRAFT = {
    "title": "Catatan dari  pasar",
    "topic": "kebijakan",
    "body": "<p>Harga cabai naik.</p><script>alert(1)</script>",
    "tags": ["Harga Pangan", "pasar"],
}


def post(client, url, data, secret, **extra):
    return client.post(url, data, content_type="application/json", **bearer(secret), **extra)


def patch(client, url, data, secret):
    return client.patch(url, data, content_type="application/json", **bearer(secret))


# The token page -------------------------------------------------------------------------


def test_a_token_is_shown_once_and_stored_hashed(author):
    client = Client()
    client.force_login(author)

    response = client.post("/profil/token/", {"name": "Skrip terbit", "scopes": ["read", "drafts"]})

    token = AccessToken.objects.get(user=author)
    page = response.content.decode()
    secret = page.split('<code id="new-token">')[1].split("</code>")[0]
    assert secret.startswith("kw_") and secret not in token.digest
    assert token.digest == token_digest(secret)
    assert token.scopes == ["read", "drafts"]
    assert secret not in client.get("/profil/token/").content.decode()
    assert (
        response["Cache-Control"] == "no-store, private" or "no-store" in response["Cache-Control"]
    )


def test_the_profile_page_links_to_the_tokens(author):
    client = Client()
    client.force_login(author)

    assert 'href="/profil/token/"' in client.get("/profil/ubah/").content.decode()


def test_a_token_needs_a_scope(author):
    client = Client()
    client.force_login(author)

    response = client.post("/profil/token/", {"name": "Tanpa izin"})

    assert response.status_code == 200
    assert not AccessToken.objects.exists()


def test_a_revoked_token_stops_working_and_only_its_owner_revokes_it(api, author, token_for):
    secret = token_for(author)
    token = AccessToken.objects.get()
    thief = Client()
    thief.force_login(make_user(username="maling"))
    assert thief.post(f"/profil/token/{token.pk}/cabut/").status_code == 404
    assert api.get("/api/v1/me", **bearer(secret)).status_code == 200

    owner = Client()
    owner.force_login(author)
    owner.post(f"/profil/token/{token.pk}/cabut/")

    token.refresh_from_db()
    assert token.revoked_at is not None
    assert api.get("/api/v1/me", **bearer(secret)).status_code == 401


def test_the_token_page_refuses_a_post_without_csrf(author):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)

    response = client.post("/profil/token/", {"name": "x", "scopes": ["read"]})

    assert response.status_code == 403
    assert not AccessToken.objects.exists()


def test_the_token_page_needs_sign_in():
    response = Client().get("/profil/token/")

    assert response.status_code == 302


# Authentication -------------------------------------------------------------------------


def test_me_tells_whose_token_it_is_and_records_its_use(api, author, token_for):
    secret = token_for(author, "read")

    response = api.get("/api/v1/me", **bearer(secret))

    assert response.json()["username"] == "ani"
    assert response.json()["scopes"] == ["read"]
    assert (
        response["Cache-Control"] == "no-store, private" or "private" in response["Cache-Control"]
    )
    assert AccessToken.objects.get().last_used_at is not None


def test_a_suspended_accounts_token_stops_working(api, author, token_for):
    secret = token_for(author)

    suspend_account(author)

    response = api.get("/api/v1/me", **bearer(secret))
    assert response.status_code == 401
    assert response["Content-Type"] == "application/problem+json"
    assert post(api, "/api/v1/articles", NEW_DRAFT, secret).status_code == 401


def test_a_session_cookie_never_authorises_a_write(author, topic):
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)

    response = client.post("/api/v1/articles", NEW_DRAFT, content_type="application/json")

    assert response.status_code == 401
    assert not Article.objects.exists()


def test_a_scope_the_token_lacks_is_refused(api, author, topic, published, token_for):
    secret = token_for(author, "read")

    draft = post(api, "/api/v1/articles", NEW_DRAFT, secret)
    publish = post(api, f"/api/v1/articles/{published.pk}/unpublish", {}, secret)
    comment = post(api, f"/api/v1/articles/{published.pk}/comments", {"body": "Hai"}, secret)

    assert [draft.status_code, publish.status_code, comment.status_code] == [403, 403, 403]
    assert "drafts" in draft.json()["detail"]
    published.refresh_from_db()
    assert published.status == Article.Status.PUBLISHED
    assert Article.objects.count() == 1 and not Comment.objects.exists()


# Writes through the services ------------------------------------------------------------


def test_a_draft_is_written_updated_and_published_through_the_services(
    api, author, topic, token_for
):
    follower = make_user(username="pengikut")
    follow_author(follower, author=author)
    secret = token_for(author, "drafts", "publish")

    created = post(api, "/api/v1/articles", NEW_DRAFT, secret)
    assert created.status_code == 201, created.content
    article = Article.objects.get(pk=created.json()["id"])
    assert article.status == Article.Status.DRAFT and article.author == author
    assert article.title == "Catatan dari pasar"  # the site's form cleaned it
    assert "<script" not in article.body_html
    assert sorted(article.tags.names()) == ["harga pangan", "pasar"]

    changed = patch(api, f"/api/v1/articles/{article.pk}", {"excerpt": "Ringkas."}, secret)
    assert changed.status_code == 200 and changed.json()["excerpt"] == "Ringkas."
    published = post(api, f"/api/v1/articles/{article.pk}/publish", {}, secret)

    assert published.status_code == 200 and published.json()["status"] == "published"
    article.refresh_from_db()
    assert article.published_at is not None
    # The followers' notices, as when publishing on the site.
    assert Notification.objects.filter(recipient=follower).count() == 1
    assert api.get(f"/api/v1/articles/{article.pk}").status_code == 200
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["article.create", "article.update", "article.publish"]
    assert AuditEntry.objects.filter(user=author, token__isnull=False).count() == 3


def test_bad_article_input_is_refused_with_translated_messages(api, author, topic, token_for):
    secret = token_for(author)

    no_topic = post(api, "/api/v1/articles", {**NEW_DRAFT, "topic": "tidak-ada"}, secret)
    blank = post(api, "/api/v1/articles", {**NEW_DRAFT, "title": "   "}, secret)
    english = post(
        api, "/api/v1/articles", {**NEW_DRAFT, "title": " "}, secret, HTTP_ACCEPT_LANGUAGE="en"
    )
    too_many = post(
        api, "/api/v1/articles", {**NEW_DRAFT, "tags": [f"t{n}" for n in range(11)]}, secret
    )
    empty_publish = post(api, "/api/v1/articles", {**NEW_DRAFT, "body": ""}, secret)
    publish = post(api, f"/api/v1/articles/{empty_publish.json()['id']}/publish", {}, secret)

    assert no_topic.status_code == 422 and "topic" in no_topic.json()["errors"]
    assert blank.json()["errors"]["title"] == ["Judul artikel wajib diisi."]
    assert english.json()["errors"]["title"] == ["Give the article a title."]
    assert too_many.status_code == 422 and "tags" in too_many.json()["errors"]
    assert publish.status_code == 422
    assert Article.objects.count() == 1  # only the empty draft
    assert Article.objects.get().status == Article.Status.DRAFT


def test_a_token_reaches_only_its_owners_articles(api, author, published, token_for):
    secret = token_for(make_user(username="lain", is_staff=True))

    edit = patch(api, f"/api/v1/articles/{published.pk}", {"title": "Dibajak"}, secret)
    unpublish = post(api, f"/api/v1/articles/{published.pk}/unpublish", {}, secret)

    assert edit.status_code == 404 and unpublish.status_code == 404
    published.refresh_from_db()
    assert published.title != "Dibajak" and published.status == Article.Status.PUBLISHED


def test_changing_a_published_article_needs_the_publish_scope(api, author, published, token_for):
    secret = token_for(author, "drafts")

    response = patch(api, f"/api/v1/articles/{published.pk}", {"title": "Ganti"}, secret)

    assert response.status_code == 403


def test_my_articles_include_drafts(api, author, published, token_for):
    draft = make_article(author=author, status=Article.Status.DRAFT)
    secret = token_for(author, "read")

    listed = api.get("/api/v1/me/articles", **bearer(secret)).json()["results"]
    one = api.get(f"/api/v1/me/articles/{draft.pk}", **bearer(secret))

    assert [item["id"] for item in listed] == [draft.pk, published.pk]
    assert one.json()["status"] == "draft"


def test_comments_go_through_flood_control(api, author, published, token_for):
    reader = make_user(username="pembaca2")
    secret = token_for(reader, "comment")
    url = f"/api/v1/articles/{published.pk}/comments"

    first = post(api, url, {"body": "Tulisan yang bagus."}, secret)
    reply = post(api, url, {"body": "Satu lagi.", "reply_to": first.json()["id"]}, secret)

    assert first.status_code == 201
    assert reply.status_code == 429 and reply["Retry-After"] == "15"
    assert Comment.objects.get().body == "Tulisan yang bagus."
    assert AuditEntry.objects.get().action == "comment.post"
    # The article's author was told, as for a comment on the site.
    assert Notification.objects.filter(recipient=author).count() == 1


def test_a_comment_on_a_hidden_article_or_a_foreign_reply_is_refused(
    api, author, published, token_for
):
    secret = token_for(make_user(username="pembaca3"), "comment")
    other = make_article(author=author)
    elsewhere = Comment.objects.create(article=other, author=author, body="di tempat lain")

    foreign = post(
        api,
        f"/api/v1/articles/{published.pk}/comments",
        {"body": "x", "reply_to": elsewhere.pk},
        secret,
    )
    empty = post(api, f"/api/v1/articles/{published.pk}/comments", {"body": "   "}, secret)
    Article.objects.filter(pk=published.pk).update(status=Article.Status.HIDDEN)
    hidden = post(api, f"/api/v1/articles/{published.pk}/comments", {"body": "Halo"}, secret)

    assert foreign.status_code == 422 and empty.status_code == 422
    assert hidden.status_code == 404
    assert Comment.objects.count() == 1


# Limits ---------------------------------------------------------------------------------


def test_too_many_requests_from_one_address_get_429_with_retry_after(api, settings):
    settings.API_RATE_LIMIT_ADDRESS = 3

    answers = [api.get("/api/v1/topics").status_code for _ in range(4)]
    other = Client(REMOTE_ADDR="10.1.2.3").get("/api/v1/topics")

    assert answers == [200, 200, 200, 429]
    assert other.status_code == 200
    limited = api.get("/api/v1/topics")
    assert 1 <= int(limited["Retry-After"]) <= 60
    assert limited["Content-Type"] == "application/problem+json"


def test_too_many_requests_with_one_token_get_429(author, token_for, settings):
    settings.API_RATE_LIMIT_TOKEN = 2
    secret = token_for(author)

    answers = [
        Client(REMOTE_ADDR=f"10.0.0.{n}").get("/api/v1/me", **bearer(secret)).status_code
        for n in range(3)
    ]

    assert answers == [200, 200, 429]


def test_an_oversized_or_non_json_body_is_refused(api, author, token_for, settings):
    settings.API_MAX_BODY_BYTES = 1000
    secret = token_for(author)

    big = post(api, "/api/v1/articles", {**NEW_DRAFT, "body": "x" * 2000}, secret)
    form = api.post("/api/v1/articles", {"title": "x"}, **bearer(secret))
    nul = post(api, "/api/v1/articles", {**NEW_DRAFT, "title": "a\x00b"}, secret)

    assert big.status_code == 413
    assert form.status_code == 415
    assert nul.status_code == 400
    assert not Article.objects.exists()
    assert not mail.outbox


def test_a_body_that_is_not_a_json_object_is_refused(api, author, published, token_for):
    secret = token_for(author)

    listed = patch(api, f"/api/v1/articles/{published.pk}", [None, None], secret)
    broken = api.patch(
        f"/api/v1/articles/{published.pk}", "{", content_type="application/json", **bearer(secret)
    )

    assert listed.status_code == 400 and broken.status_code == 400
    assert listed["Content-Type"] == "application/problem+json"
    assert not AuditEntry.objects.exists()


def test_the_api_reads_and_writes_while_redis_is_unavailable(
    author, topic, token_for, redis_refused
):
    """Every cache call is a miss and the API's limits allow (SECURITY.md)."""
    secret = token_for(author)
    redis_refused()
    client = Client()

    created = post(client, "/api/v1/articles", NEW_DRAFT, secret)
    listed = client.get("/api/v1/articles")

    assert created.status_code == 201
    assert listed.status_code == 200 and listed["ETag"]
