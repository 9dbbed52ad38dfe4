"""The site's own error pages under DEBUG (``make run``), as in production."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import override_settings
from django.urls import path

from blogplatform import urls as site_urls
from tests.test_settings import run_python

FRIENDLY = "core.middleware.FriendlyErrorPagesMiddleware"


def _forbidden(request):
    raise PermissionDenied


def _broken(request):
    raise RuntimeError("a bug")


# The site's own patterns too: the error pages link to them by name.
urlpatterns = [path("terlarang/", _forbidden), path("rusak/", _broken), *site_urls.urlpatterns]


@pytest.fixture
def debug_site(settings):
    settings.DEBUG = True
    settings.MIDDLEWARE = [*settings.MIDDLEWARE, FRIENDLY]
    return settings


@pytest.mark.django_db
def test_an_unknown_url_gets_the_sites_404_page_under_debug(client, debug_site):
    response = client.get("/tidak-ada-di-sini/")

    assert response.status_code == 404
    html = response.content.decode()
    assert "Halaman tidak ditemukan" in html
    assert 'class="site-header"' in html
    assert "URLconf" not in html  # Django's technical page lists the URL patterns


@pytest.mark.django_db
def test_a_missing_article_gets_the_sites_404_page_in_english_under_debug(client, debug_site):
    response = client.get("/en/artikel/999999/tidak-ada/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "Http404" not in response.content.decode()


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__)
def test_a_refusal_and_a_bug_get_the_sites_403_and_500_pages_under_debug(client, debug_site):
    client.raise_request_exception = False

    forbidden = client.get("/terlarang/")
    broken = client.get("/rusak/")

    assert forbidden.status_code == 403
    assert "Traceback" not in forbidden.content.decode()
    assert 'class="site-header"' in forbidden.content.decode()
    assert broken.status_code == 500
    assert "RuntimeError" not in broken.content.decode()
    assert "Kolom Warga" in broken.content.decode()


@pytest.mark.django_db
def test_without_the_middleware_debug_shows_the_technical_page(client, settings):
    settings.DEBUG = True  # what TECHNICAL_ERROR_PAGES=true gives

    response = client.get("/tidak-ada-di-sini/")

    assert response.status_code == 404
    assert "URLconf" in response.content.decode()


@pytest.mark.parametrize(("technical", "added"), [("false", "True"), ("true", "False")])
def test_debug_adds_the_friendly_pages_unless_technical_ones_are_asked_for(technical, added):
    result = run_python(
        "-c",
        f"import blogplatform.settings as s; print({FRIENDLY!r} in s.MIDDLEWARE)",
        DEBUG="true",
        TECHNICAL_ERROR_PAGES=technical,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == added
