from django.conf import settings
from django.urls import translate_url
from django.utils.functional import SimpleLazyObject


def site(request):
    """The site's name, and the current page in each language for the switcher
    (worked out only when shown: a cached header does not need it)."""
    path = request.get_full_path()
    return {
        "SITE_NAME": settings.SITE_NAME,
        "language_urls": SimpleLazyObject(
            lambda: [(code, name, translate_url(path, code)) for code, name in settings.LANGUAGES]
        ),
    }
