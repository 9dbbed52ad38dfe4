"""Public pages: their headers, their query parameters and the page cache (README, "Caching")."""

import functools
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, QueryDict
from django.utils.cache import patch_cache_control, patch_vary_headers

from . import generations, readers, redis, responses, shared, stats

NONCE_PLACEHOLDER = b"__page-cache-csp-nonce__"
# A page whose query is longer is answered without the cache (nothing kept
# under made-up long keys); the view's forms tell the reader what is wrong.
MAX_CACHED_QUERY = 300


def canonical_query(request, names) -> QueryDict:
    """The parameters ``names`` as the view reads them (``GET.get``: the last
    value of a repeated one), in that order; every other parameter dropped."""
    query = QueryDict(mutable=True)
    for name in names:
        values = request.GET.getlist(name)
        if values:
            query[name] = values[-1]
    query._mutable = False
    return query


def public_page(view=None, *, query=(), depends=()):
    """Mark a read-only view's page as the same for every signed-out reader, and
    declare, in one place, what it reads and what it shows:

        @public_page(query=["halaman"], depends=[generations.LISTS])
        @public_page(query=[...], depends=lambda pk, **rest: [generations.article(pk)])

    ``query`` names the only parameters the page reads: the view, its templates
    and everything cached for it see just those (one value each), so the page
    and the links in it (sign-in ``next=``, language switcher, pagination) are
    the same whatever else the URL carried. ``depends`` names the generations
    (besides the header's topics) whose tokens are read before the view runs.
    A signed-out 200 is then public for shared caches and this process's page
    cache; a signed-in one never (the middleware makes it private), but an
    ordinary signed-in reader's comes from the copy shared by every such reader,
    with their slots filled in (caching.readers).
    """
    if view is None:
        return functools.partial(public_page, query=tuple(query), depends=depends)

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        raw = request.META.get("QUERY_STRING", "")
        request.GET = canonical_query(request, query)
        request.META["QUERY_STRING"] = request.GET.urlencode()
        cacheable = len(raw) <= MAX_CACHED_QUERY
        request.page_query_is_canonical = cacheable and raw == request.META["QUERY_STRING"]
        names = (generations.TOPICS, *(depends(**kwargs) if callable(depends) else depends))
        request.is_public_page = cacheable  # the caching template tags cache only these
        if readers.is_sharable(request):
            return readers.serve(request, lambda: view(request, *args, **kwargs), names)
        generations.depend_on(*names)
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not request.user.is_authenticated
            and not response.has_header("Cache-Control")
        ):
            patch_cache_control(response, public=True, max_age=settings.PAGE_CACHE_MAX_AGE)
            patch_vary_headers(response, ["Cookie"])
            response.page_cache_public = True
        return response

    return wrapped


def on_hit(request, function, *args) -> None:
    """Have a cached copy of this page call ``function(*args, request)`` when
    served (the view count, which a cached page must still count)."""
    calls = getattr(request, "_page_cache_on_hit", None)
    if calls is not None:
        calls.append((function, args))


@dataclass
class _Entry:
    status: int
    headers: list[tuple[str, str]]
    content: bytes
    names: tuple[str, ...]
    tokens: tuple[str, ...]
    on_hit: list

    @property
    def size(self) -> int:
        return len(self.content) + sum(len(n) + len(v) + 100 for n, v in self.headers) + 400

    def response(self, request) -> HttpResponse:
        content = responses.with_nonce(request, self.content, NONCE_PLACEHOLDER)
        response = HttpResponse(content, status=self.status)
        for name, value in self.headers:
            response.headers[name] = value
        response.headers["Content-Length"] = str(len(content))
        return response


class PageCacheMiddleware:
    """Serve signed-out readers' public pages from this process's memory, or from
    Redis when another process rendered them (caching.shared).

    Sits after WhiteNoise and before the session: a hit skips the session,
    locale, CSRF, authentication and messages middleware and the view. Also
    keeps the generations each request reads, and makes every response to a
    signed-in reader ``private, no-store``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        reset = generations.start_request()
        try:
            return self._respond(request)
        finally:
            generations.end_request(reset)

    def _respond(self, request):
        if not (settings.PAGE_CACHE and self._is_anonymous_read(request)):
            return self._finish(request, self.get_response(request))
        key = self._cache_key(request)
        entry = shared.pages.get(key)
        if entry is not None:
            current = generations.current(*entry.names)
            if current == entry.tokens:
                if entry.on_hit:
                    request.user = AnonymousUser()
                    for function, args in entry.on_hit:
                        function(*args, request)
                stats.counts["page.hit"] += 1
                return entry.response(request)
        request._page_cache_on_hit = []
        failures = redis.health.failures
        response = self._finish(request, self.get_response(request))
        if getattr(response, "page_cache_public", False):
            stats.counts["page.miss"] += 1  # a public page, rendered
        if responses.may_store(failures) and self._is_storable(request, response):
            entry = self._entry(request, response)
            shared.pages.put(
                key,
                entry,
                seconds=generations.settled_timeout(entry.tokens, settings.PAGE_CACHE_SECONDS),
            )
        return response

    @staticmethod
    def _is_anonymous_read(request) -> bool:
        cookies = request.COOKIES
        return (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME not in cookies
            and getattr(settings, "MESSAGE_COOKIE_NAME", "messages") not in cookies
            and "HTTP_AUTHORIZATION" not in request.META
        )

    @staticmethod
    def _cache_key(request) -> str:
        # The raw Host: a page is only stored after CommonMiddleware accepted it.
        host = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
        return f"{request.scheme}://{host}{request.path}?{request.META.get('QUERY_STRING', '')}"

    @staticmethod
    def _is_storable(request, response) -> bool:
        cache_control = response.get("Cache-Control", "")
        return (
            getattr(response, "page_cache_public", False)
            # A URL with parameters the page does not read (or a repeated one)
            # is answered from the clean URL's data but never stored under its own.
            and getattr(request, "page_query_is_canonical", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        )

    @staticmethod
    def _entry(request, response) -> _Entry:
        read = generations.read_so_far()
        return _Entry(
            status=response.status_code,
            headers=responses.kept_headers(response),
            content=responses.without_nonce(request, response.content, NONCE_PLACEHOLDER),
            names=tuple(read),
            tokens=tuple(read.values()),
            on_hit=request._page_cache_on_hit,
        )

    @classmethod
    def _finish(cls, request, response):
        if getattr(response, "page_cache_public", False):
            # The URL alone decides a public page's language (Indonesian at /,
            # English under /en/), so a shared cache needs no copy per
            # Accept-Language header, which LocaleMiddleware names in Vary.
            vary = [
                name.strip()
                for name in response.get("Vary", "").split(",")
                if name.strip() and name.strip().lower() != "accept-language"
            ]
            response.headers["Vary"] = ", ".join(vary)
        user = getattr(request, "user", None)
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and user is not None
            and user.is_authenticated
        ):
            patch_cache_control(response, private=True, no_store=True)
        return response
