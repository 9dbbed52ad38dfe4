"""What every request under /api/ passes, before Django Ninja sees it (README,
"Public API"): problem details for refused input and for errors answered
outside the API's views, the per-address rate limit, the request size limit,
and CORS, open for the reads only."""

import re

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _

from core.middleware import has_unstorable_text
from core.network import client_address

from . import limits

PREFIX = "/api/"
READ_METHODS = ("GET", "HEAD", "OPTIONS")
# Writes are never cross-origin: no CORS headers, so a browser page elsewhere
# can neither send a token nor read the answer (and cookies are never accepted).
READ_PATHS = re.compile(r"^/api/v1/(articles|topics|tags|authors|openapi\.json)")
# A JSON escape for NUL or a lone surrogate: PostgreSQL cannot store either.
_UNSTORABLE_ESCAPE = re.compile(rb"\\u(0000|d[89a-f][0-9a-f]{2})", re.IGNORECASE)


def _problem(status: int, detail: str, headers=None):
    from .v1 import problem_response  # v1 builds the API at import: load it lazily

    return problem_response(status, detail=detail, headers=headers)


class ApiMiddleware:
    """Placed after LocaleMiddleware (messages in the client's language) and before
    core's RefuseUnstorableTextMiddleware, which it stands in for under /api/."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        # The site's URLs carry their language; the API's do not, so its messages
        # follow Accept-Language (Indonesian by default).
        language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        is_read = request.method in READ_METHODS and READ_PATHS.match(request.path)
        # HEAD is GET without the body (Ninja routes GET only).
        is_head = request.method == "HEAD"
        if is_head:
            request.method = "GET"
        response = self._refusal(request)
        if response is None:
            if request.method == "OPTIONS" and is_read:
                response = HttpResponse(status=204)
            else:
                response = self.get_response(request)
        if is_read:
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Methods"] = "GET, HEAD, OPTIONS"
            response["Access-Control-Allow-Headers"] = "If-None-Match, If-Modified-Since"
            response["Access-Control-Expose-Headers"] = "ETag, Last-Modified, Retry-After"
            response["Access-Control-Max-Age"] = "86400"
        content_type = response.get("Content-Type", "")
        if response.status_code >= 400 and not content_type.startswith("application/"):
            # A 404 for an unknown address, a 405, a CSRF or server error page: as JSON.
            original = response
            response = _problem(original.status_code, original.reason_phrase)
            for name in ("Allow", "Retry-After", "WWW-Authenticate"):
                if original.has_header(name):
                    response[name] = original[name]
        if is_head and not response.streaming:
            response["Content-Length"] = str(len(response.content))
            response.content = b""
        return response

    @staticmethod
    def _refusal(request):
        if has_unstorable_text(request):
            return _problem(400, _("The request carries a character that cannot be stored."))
        wait = limits.hit(f"a:{client_address(request)}", settings.API_RATE_LIMIT_ADDRESS)
        if wait is not None:
            return _problem(
                429,
                _("Too many requests from your address. Try again in %(seconds)s seconds.")
                % {"seconds": wait},
                headers={"Retry-After": str(wait)},
            )
        if request.method in READ_METHODS:
            return None
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.API_MAX_BODY_BYTES:
            return _problem(
                413,
                _("Send at most %(size)s bytes in one request.")
                % {"size": settings.API_MAX_BODY_BYTES},
            )
        if length and not request.content_type.startswith("application/json"):
            return _problem(415, _("Send the body as application/json."))
        if _UNSTORABLE_ESCAPE.search(request.body):
            return _problem(400, _("The request carries a character that cannot be stored."))
        return None
