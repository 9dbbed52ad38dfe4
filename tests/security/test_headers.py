"""Production headers on real responses: HSTS, cookies, nosniff, Referrer-Policy, framing,
and the Content-Security-Policy on every kind of response (pages, the admin, errors,
JSON, redirects, files).

The test settings are the production settings with DEBUG off; each test still
sets DEBUG off itself so it cannot pass by accident under a debug run.
"""

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.admin import helpers
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.factories import BROWSER, make_article, make_user
from tests.moderation.builders import make_comment, make_moderator, report

from .conftest import signed_in
from .html_audit import csp_nonce, page_problems

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls")]


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: sources}."""
    header = response.get("Content-Security-Policy", "")
    directives = [part.split() for part in header.split(";") if part.strip()]
    return {name: sources for name, *sources in directives}


def assert_policy(response, name: str) -> None:
    directives = policy(response)
    assert directives, f"{name}: no Content-Security-Policy"
    scripts = directives["script-src"]
    assert "'self'" in scripts, name
    for loose in ("'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "https:"):
        assert loose not in scripts, (name, loose)
    assert all(source == "'self'" or source.startswith("'nonce-") for source in scripts), name
    assert directives["default-src"] == ["'self'"], name
    assert directives["object-src"] == ["'none'"], name
    assert directives["base-uri"] == ["'none'"], name
    assert directives["frame-ancestors"] == ["'none'"], name
    assert directives["form-action"] == ["'self'"], name
    assert "script-src-attr" not in directives and "script-src-elem" not in directives, name


def assert_security_headers(response, name: str) -> None:
    assert response["X-Content-Type-Options"] == "nosniff", name
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", name
    assert response["X-Frame-Options"] == "DENY", name
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", name
    assert_policy(response, name)


# --- One response of every kind -----------------------------------------------------


@pytest.fixture
def scene(db, media, topic):
    author = make_user(username="penulis")
    article = make_article(author=author, topic=topic, tags=["banjir"])
    hidden = make_article(author=author, topic=topic, status=Article.Status.HIDDEN)
    reader = make_user(username="pembaca")
    moderator = make_moderator(username="moderator")
    superuser = make_user(username="admin", is_staff=True, is_superuser=True)
    comment = make_comment(article, author=reader)
    case = report(article).case
    (media / "foto.jpg").write_bytes(b"<html><script>alert(1)</script></html>")
    return {
        "author": author,
        "article": article,
        "hidden": hidden,
        "reader": reader,
        "moderator": moderator,
        "superuser": superuser,
        "comment": comment,
        "case": case,
    }


def _comment_fetch(scene, *, times=1):
    client = signed_in(scene["author"], HTTP_X_COMMENTS_FETCH="1")
    url = reverse("comments:post", args=[scene["article"].pk])
    for _ in range(times):
        response = client.post(url, {"body": "Komentar lewat skrip"}, secure=True)
    return response


def _failed_logins(scene):
    client = Client()
    for _ in range(7):
        response = client.post(
            reverse("account_login"), {"login": "penulis", "password": "salah"}, secure=True
        )
    return response


def _too_many_password_resets(scene):
    client = Client()
    for _ in range(4):
        response = client.post(
            reverse("account_reset_password"), {"email": "penulis@example.com"}, secure=True
        )
    return response


# (name, expected status, how to get it)
RESPONSES = [
    ("home", 200, lambda s: Client().get("/", secure=True)),
    ("home, English", 200, lambda s: Client().get("/en/", secure=True)),
    (
        "article",
        200,
        lambda s: Client(HTTP_USER_AGENT=BROWSER).get(s["article"].get_absolute_url(), secure=True),
    ),
    ("article hidden by a moderator", 410, lambda s: Client().get(s["hidden"].get_absolute_url())),
    ("tag page", 200, lambda s: Client().get(reverse("articles:tag", args=["banjir"]))),
    ("author page", 200, lambda s: Client().get(s["author"].get_absolute_url())),
    (
        "write page with the editor",
        200,
        lambda s: signed_in(s["author"]).get(reverse("articles:write"), secure=True),
    ),
    (
        "edit page with the editor",
        200,
        lambda s: signed_in(s["author"]).get(reverse("articles:edit", args=[s["article"].pk])),
    ),
    ("sign in", 200, lambda s: Client().get(reverse("account_login"), secure=True)),
    ("sign up", 200, lambda s: Client().get(reverse("account_signup"), secure=True)),
    ("password reset", 200, lambda s: Client().get(reverse("account_reset_password"))),
    ("sign in refused after failures", 200, _failed_logins),
    ("password reset rate limited", 429, _too_many_password_resets),
    ("redirect to sign in", 302, lambda s: Client().get(reverse("articles:dashboard"))),
    ("not found", 404, lambda s: Client().get("/tidak-ada/", secure=True)),
    ("not found, English", 404, lambda s: Client().get("/en/nothing-here/", secure=True)),
    (
        "permission denied",
        403,
        lambda s: signed_in(s["reader"]).get(reverse("articles:edit", args=[s["article"].pk])),
    ),
    ("bad host", 400, lambda s: Client().get("/", HTTP_HOST="evil.example", secure=True)),
    (
        "method not allowed",
        405,
        lambda s: signed_in(s["author"]).get(reverse("articles:publish", args=[s["article"].pk])),
    ),
    ("server error", 500, lambda s: Client(raise_request_exception=False).get("/uji/rusak/")),
    (
        "JSON: tag suggestions",
        200,
        lambda s: Client().get(reverse("articles:tag_suggestions"), {"q": "ba"}),
    ),
    (
        "JSON: follow",
        200,
        lambda s: signed_in(s["reader"]).post(
            reverse("accounts:follow", args=["penulis"]), HTTP_X_REQUESTED_WITH="fetch"
        ),
    ),
    ("comment fragment", 201, _comment_fetch),
    ("comment flood", 429, lambda s: _comment_fetch(s, times=2)),
    ("robots.txt", 200, lambda s: Client().get("/robots.txt")),
    ("sitemap", 200, lambda s: Client().get("/sitemap.xml")),
    ("feed", 200, lambda s: Client().get(reverse("articles:feed"))),
    ("media file", 200, lambda s: Client().get("/media/foto.jpg")),
    ("admin sign in", 200, lambda s: Client().get(reverse("admin:login"), secure=True)),
    ("admin index", 200, lambda s: signed_in(s["superuser"]).get(reverse("admin:index"))),
    (
        "admin change form",
        200,
        lambda s: signed_in(s["superuser"]).get(
            reverse("admin:articles_article_change", args=[s["article"].pk])
        ),
    ),
    (
        "moderation queue",
        200,
        lambda s: signed_in(s["moderator"]).get(reverse("admin:moderation_case_changelist")),
    ),
    (
        "case page",
        200,
        lambda s: signed_in(s["moderator"]).get(
            reverse("admin:moderation_case_change", args=[s["case"].pk])
        ),
    ),
    (
        "bulk action page",
        200,
        lambda s: signed_in(s["moderator"]).post(
            reverse("admin:moderation_case_changelist"),
            {"action": "hide_selected", helpers.ACTION_CHECKBOX_NAME: [s["case"].pk]},
        ),
    ),
    (
        "admin JavaScript catalogue",
        200,
        lambda s: signed_in(s["superuser"]).get(reverse("admin:jsi18n")),
    ),
]


@pytest.mark.parametrize(
    ("name", "status", "get"), RESPONSES, ids=[name for name, _, _ in RESPONSES]
)
def test_every_kind_of_response_carries_the_policy_and_the_headers(scene, name, status, get):
    response = get(scene)

    assert response.status_code == status, (name, response.status_code)
    assert_security_headers(response, name)
    if response.get("Content-Type", "").startswith("text/html") and response.content:
        # Every script on the page carries the nonce the policy names.
        assert page_problems(response) == [], name


def test_pages_with_scripts_allow_exactly_their_nonce(scene):
    response = signed_in(scene["author"]).get(reverse("articles:write"))
    nonce = csp_nonce(response)
    html = response.content.decode()

    assert re.fullmatch(r"[A-Za-z0-9_-]{16,}", nonce)
    assert policy(response)["script-src"] == ["'self'", f"'nonce-{nonce}'"]
    assert html.count(f'nonce="{nonce}"') >= 2  # our scripts and the editor's
    assert "nonce=" not in html.replace(f'nonce="{nonce}"', "")


def test_each_response_gets_its_own_nonce(scene):
    first, second = (Client().get("/") for _ in range(2))

    assert csp_nonce(first) and csp_nonce(second)
    assert csp_nonce(first) != csp_nonce(second)


def test_json_and_files_are_never_sniffed_as_html(scene):
    suggestions = Client().get(reverse("articles:tag_suggestions"), {"q": "<script>"})
    media = Client().get("/media/foto.jpg")

    assert suggestions["Content-Type"] == "application/json"
    assert suggestions["X-Content-Type-Options"] == "nosniff"
    # An HTML document saved under an image's name is sent as an image, unsniffed.
    assert media["Content-Type"] == "image/jpeg"
    assert media["X-Content-Type-Options"] == "nosniff"


# --- HTTPS: HSTS, redirects and secure cookies ----------------------------------------


def test_https_responses_carry_hsts_for_a_year_with_subdomains_and_preload(client):
    response = client.get("/", secure=True)

    assert response["Strict-Transport-Security"] == ("max-age=31536000; includeSubDomains; preload")


def test_plain_http_is_redirected_to_https_when_enabled(client, settings):
    # Production redirects (SECURE_SSL_REDIRECT defaults on with DEBUG off); the
    # test settings turn it off so the suite can use plain requests.
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/tag/banjir/?halaman=2")

    assert response.status_code == 301
    assert response["Location"] == "https://testserver/tag/banjir/?halaman=2"


def test_the_load_balancers_https_header_counts_as_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True

    response = client.get("/", HTTP_X_FORWARDED_PROTO="https")

    assert response.status_code == 200
    assert "Strict-Transport-Security" in response


def assert_cookie(response, name: str, *, httponly: bool = True) -> None:
    cookie = response.cookies[name]
    assert cookie["secure"] is True, name
    assert bool(cookie["httponly"]) is httponly, name
    assert cookie["samesite"] == "Lax", name


def test_every_cookie_is_secure_httponly_and_samesite_lax(db):
    person = make_user(username="pembaca", password="kata-sandi-uji")
    EmailAddress.objects.create(user=person, email=person.email, verified=True, primary=True)
    author = make_user(username="penulis")
    client = Client()

    login_page = client.get(reverse("account_login"), secure=True)
    assert_cookie(login_page, "csrftoken")

    signed = client.post(
        reverse("account_login"),
        {"login": "pembaca", "password": "kata-sandi-uji"},
        secure=True,
    )
    assert signed.status_code == 302
    assert_cookie(signed, "sessionid")

    followed = client.post(reverse("accounts:follow", args=[author.username]), secure=True)
    assert_cookie(followed, "messages")

    switched = client.post(reverse("set_language"), {"language": "en", "next": "/"}, secure=True)
    assert_cookie(switched, "django_language")
