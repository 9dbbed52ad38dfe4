from django.conf import settings
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject

from core import origin


def site(request):
    """The site's name, the current page in each language for the switcher, and
    the same as absolute ``hreflang`` alternates, Indonesian as ``x-default``
    (each worked out only when shown: a cached header does not need it)."""
    path = request.get_full_path()

    def language_urls():
        return [(code, name, translate_url(path, code)) for code, name in settings.LANGUAGES]

    def alternates():
        urls = {code: origin.absolute_url(url) for code, _name, url in language_urls()}
        return [*urls.items(), ("x-default", urls[settings.LANGUAGE_CODE])]

    return {
        "SITE_NAME": settings.SITE_NAME,
        "language_urls": SimpleLazyObject(language_urls),
        "language_alternates": SimpleLazyObject(alternates),
    }
