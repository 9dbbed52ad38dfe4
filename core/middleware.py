"""Middleware that belongs to no app (the bottom layer: it imports no project app)."""

import logging
import re

from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.urls import get_resolver

logger = logging.getLogger("django.request")

# PostgreSQL refuses NUL in text (psycopg raises before the query is sent) and
# psycopg cannot encode a lone surrogate; SQLite stores both. Either one in a
# URL segment or a parameter would reach a query and answer 500 on PostgreSQL.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _texts(request):
    yield request.path
    for name, values in request.GET.lists():
        yield name
        yield from values
    for name, value in request.COOKIES.items():
        yield name
        yield value
    if request.method == "POST":
        # Form fields only: uploaded files (request.FILES) are bytes, and their
        # names are never stored (uploads get generated names).
        for name, values in request.POST.lists():
            yield name
            yield from values


def has_unstorable_text(request) -> bool:
    return any(_UNSTORABLE.search(text) for text in _texts(request))


class RefuseUnstorableTextMiddleware:
    """Answer 400 to a request whose path, query string, cookies or form fields carry
    text the database cannot store, before any view (or a query) sees it.

    Placed after LocaleMiddleware, so the 400 page speaks the language of the URL,
    and after CommonMiddleware, so a bad Host header is refused first; before
    CSRF, authentication and every view. The project's 400 page (templates/400.html
    through Django's handler400) answers: it renders without the request, so it
    reads nothing from the refused one. It is called here instead of raising, so the
    log gets Django's one line ("Bad Request: <path>"), not a traceback per probe.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if has_unstorable_text(request):
            handler = get_resolver().resolve_error_handler(400)
            return handler(request, exception=BadRequest("NUL or lone surrogate"))
        return self.get_response(request)


class FriendlyErrorPagesMiddleware:
    """With DEBUG on (``make run``), answer errors with the site's own 400, 403, 404
    and 500 pages, as production does, instead of Django's technical pages; the
    traceback of a 500 still goes to the console. ``TECHNICAL_ERROR_PAGES=true``
    brings the technical pages back (settings.py adds this middleware only
    without it). Innermost, so it sees a view's exception first.

    A URL that matches no pattern never reaches a view (Django turns its
    Resolver404 into the technical page before any middleware), so a 404 without
    a resolver match is answered again here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 404 and request.resolver_match is None:
            return self._error_page(request, 404, Http404())
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return self._error_page(request, 404, exception)
        if isinstance(exception, PermissionDenied):
            return self._error_page(request, 403, exception)
        if isinstance(exception, (BadRequest, SuspiciousOperation)):
            return self._error_page(request, 400, exception)
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        return get_resolver().resolve_error_handler(500)(request)

    @staticmethod
    def _error_page(request, status, exception):
        return get_resolver().resolve_error_handler(status)(request, exception=exception)
