from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, translate_url
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from core import origin

# Paths longer than this are translated each time, not remembered.
REMEMBERED_PATH = 300


@lru_cache(maxsize=2048)
def _translated(path: str, code: str, language: str | None, prefix: str, urlconf) -> str:
    return translate_url(path, code)


def in_language(path: str, code: str) -> str:
    """``translate_url(path, code)``: a resolve and a reverse, remembered for short paths
    (as core.links does for links), under the language and prefix it resolved with."""
    if len(path) > REMEMBERED_PATH:
        return translate_url(path, code)
    return _translated(path, code, get_language(), get_script_prefix(), get_urlconf())


def site(request):
    """The site's name, the current page in each language for the switcher, and
    the same as absolute ``hreflang`` alternates, Indonesian as ``x-default``
    (each worked out only when shown: a cached header does not need it)."""
    path = request.get_full_path()

    def language_urls():
        return [(code, name, in_language(path, code)) for code, name in settings.LANGUAGES]

    def alternates():
        urls = {code: origin.absolute_url(url) for code, _name, url in language_urls()}
        return [*urls.items(), ("x-default", urls[settings.LANGUAGE_CODE])]

    return {
        "SITE_NAME": settings.SITE_NAME,
        "language_urls": SimpleLazyObject(language_urls),
        "language_alternates": SimpleLazyObject(alternates),
    }
