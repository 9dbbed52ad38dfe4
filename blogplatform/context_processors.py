from django.conf import settings
from django.urls import translate_url


def site(request):
    """The site's name, and the current page in each language for the switcher."""
    path = request.get_full_path()
    return {
        "SITE_NAME": settings.SITE_NAME,
        "language_urls": [
            (code, name, translate_url(path, code)) for code, name in settings.LANGUAGES
        ],
    }
