"""A test-only URL configuration: the site's own, plus what production never routes.

- ``/media/...``: the development media server, exactly as blogplatform/urls.py
  adds it when SERVE_MEDIA is on (it is off under the test settings);
- ``/uji/rusak/``: a view that fails, for the server error page and its log;
- ``/uji/dilarang/``: a view that refuses, for the permission-denied page.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.urls import path, re_path
from django.views.static import serve

from blogplatform.urls import urlpatterns as site_urlpatterns

# What a careless error page could leak: the test looks for each of these.
LEAKS = ("SELECT secret_column FROM accounts_user", "tests-only-not-secret", "Traceback")


def failing_view(request):
    raise RuntimeError(f"{LEAKS[0]} WHERE SECRET_KEY = '{settings.SECRET_KEY}'")


def refusing_view(request):
    raise PermissionDenied(LEAKS[0])


def media(request, path):
    # MEDIA_ROOT read per request: the tests point it at a temporary folder.
    return serve(request, path, document_root=settings.MEDIA_ROOT)


urlpatterns = [
    path("uji/rusak/", failing_view),
    path("uji/dilarang/", refusing_view),
    re_path(r"^media/(?P<path>.*)$", media),
    *site_urlpatterns,
]
