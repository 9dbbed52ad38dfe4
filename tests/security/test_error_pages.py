"""Error pages with DEBUG off: branded, in the reader's language, and telling an attacker
nothing (no traceback, setting, query or internal message); bad Host headers answered
400; server errors logged."""

import logging
import re

import pytest
from django.core import mail
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from articles.models import Article
from tests.factories import make_article, make_user

from .conftest import signed_in
from .html_audit import page_problems
from .urls import LEAKS

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.security.urls")]

# What a debug page or a careless handler shows; none of it may reach a visitor.
GIVEAWAYS = [
    *LEAKS,
    "Traceback",
    "SECRET_KEY",
    "DATABASES",
    "SELECT ",
    "INSERT ",
    "Django tried these URL patterns",
    "Request Method:",
    "Exception Value",
    "urlpatterns",
    "settings.py",
    "DEBUG = True",
    "seeing this error because you have",
    "/work/",
    ".venv",
    "sqlite3",
    "RuntimeError",
    "PermissionDenied",
]


@pytest.fixture(autouse=True)
def _production(settings):
    settings.DEBUG = False


def in_language(language: str, text: str) -> str:
    with translation.override(language):
        return translation.gettext(text)


def assert_tells_nothing(response) -> None:
    html = response.content.decode()
    for giveaway in GIVEAWAYS:
        assert giveaway not in html, giveaway
    assert page_problems(response) == []


def assert_branded(response, language: str) -> None:
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'class="site-header"' in html and "Kolom Warga" in html
    assert 'href="/static/css/site.css"' in html


@pytest.mark.parametrize(("path", "language"), [("/tidak-ada/", "id"), ("/en/nothing-here/", "en")])
def test_an_unknown_url_is_a_branded_404_in_the_readers_language(client, path, language):
    response = client.get(path)

    assert response.status_code == 404
    assert_branded(response, language)
    assert in_language(language, "Page not found") in response.content.decode()
    assert_tells_nothing(response)


def test_the_indonesian_404_is_really_indonesian(client):
    html = client.get("/tidak-ada/").content.decode()

    assert "Halaman tidak ditemukan" in html
    assert "Page not found" not in html


def test_a_missing_object_is_the_same_404(client):
    response = client.get(reverse("articles:detail", args=[999_999, "tidak-ada"]))

    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()
    assert_tells_nothing(response)


@pytest.mark.parametrize(("prefix", "language"), [("", "id"), ("/en", "en")])
def test_permission_denied_is_a_branded_403_without_the_reason(db, prefix, language):
    article = make_article(author=make_user(username="penulis"))
    reader = signed_in(make_user(username="pembaca"))

    denied = reader.get(prefix + reverse("articles:edit", args=[article.pk]))
    internal = reader.get("/uji/dilarang/")  # PermissionDenied with an internal message

    assert (denied.status_code, internal.status_code) == (403, 403)
    assert_branded(denied, language)
    assert in_language(language, "You do not have permission to do that.") in (
        denied.content.decode()
    )
    assert_tells_nothing(denied)
    assert_tells_nothing(internal)


@pytest.mark.parametrize(("prefix", "language"), [("", "id"), ("/en", "en")])
def test_a_stale_form_is_a_branded_403_not_the_bare_csrf_page(db, prefix, language):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user(username="pembaca"))

    response = client.post(prefix + reverse("accounts:edit_profile"), {"display_name": "X"})

    assert response.status_code == 403
    html = response.content.decode()
    assert_branded(response, language)
    assert in_language(language, "This form has expired") in html
    assert "More information is available with DEBUG=True" not in html
    assert "Reason given for failure" not in html
    assert_tells_nothing(response)


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "testserver.evil.example",
        "evil.example:80@testserver",
        "testserver:xyz",
        "[::1",
        "<script>alert(1)</script>",
    ],
)
def test_a_bad_host_header_is_a_branded_400(client, host, caplog):
    with caplog.at_level(logging.ERROR, logger="django.security.DisallowedHost"):
        response = client.get("/", HTTP_HOST=host)

    assert response.status_code == 400
    html = response.content.decode()
    assert_branded(response, "id")
    assert "Permintaan tidak valid" in html
    assert host not in html and "evil.example" not in html
    assert_tells_nothing(response)
    assert any(record.name == "django.security.DisallowedHost" for record in caplog.records)


def test_a_forwarded_host_header_is_ignored(db, client):
    article = make_article(author=make_user(username="penulis"))

    response = client.get(article.get_absolute_url(), HTTP_X_FORWARDED_HOST="evil.example")

    assert response.status_code == 200
    assert "evil.example" not in response.content.decode()
    assert f'href="https://example.com{article.get_absolute_url()}"' in response.content.decode()


def test_password_reset_links_never_point_at_a_forwarded_host(db, client):
    make_user(username="pembaca", email="pembaca@example.com")

    client.post(
        reverse("account_reset_password"),
        {"email": "pembaca@example.com"},
        HTTP_X_FORWARDED_HOST="evil.example",
    )

    (message,) = mail.outbox
    assert "evil.example" not in message.body
    assert re.search(r"https://example.com/akun/password/reset/key/", message.body)


def test_the_500_page_renders_without_any_context():
    request = RequestFactory().get("/apa-saja/")

    response = server_error(request)

    html = response.content.decode()
    assert response.status_code == 500
    assert "Kolom Warga" in html
    assert "Maaf, terjadi kesalahan" in html and "Sorry, something went wrong" in html
    assert "{{" not in html and "{%" not in html
    for giveaway in GIVEAWAYS:
        assert giveaway not in html


def test_a_server_error_is_the_500_page_and_is_logged(client, caplog):
    client.raise_request_exception = False

    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/uji/rusak/")

    assert response.status_code == 500
    assert "Maaf, terjadi kesalahan" in response.content.decode()
    assert_tells_nothing(response)
    (record,) = [record for record in caplog.records if record.name == "django.request"]
    assert record.levelno == logging.ERROR
    assert record.status_code == 500
    assert record.exc_info and record.exc_info[0] is RuntimeError  # the traceback goes to the log


def test_the_error_log_reaches_the_console_handler(settings):
    """LOGGING sends django.request (server errors) to the console, where the process
    manager collects it; nothing is mailed (no ADMINS)."""
    logger = settings.LOGGING["loggers"]["django.request"]

    assert logger["handlers"] == ["console"]
    assert logging.getLevelName(logger["level"]) <= logging.ERROR
    assert not settings.ADMINS


def test_a_hidden_article_is_a_410_that_tells_nothing(db, client):
    article = make_article(author=make_user(username="penulis"), status=Article.Status.HIDDEN)

    response = client.get(article.get_absolute_url())

    assert response.status_code == 410
    assert_tells_nothing(response)
