"""Whole pages for signed-out readers, and the generations that keep cached things fresh.

Generations
    A generation is a random token in the shared cache (Redis in production)
    under ``gen:<name>``. Whatever is cached from the database (a whole page
    here, a rendered fragment elsewhere) records the tokens of the generations
    it depends on, read *before* the data was; it is served again only while
    every token is unchanged. Writes call :func:`bump` from the service
    functions, which replaces the tokens once the transaction commits, so the
    next request misses and renders from the committed rows. Two names exist:

    - ``site``: anything that may show on a list page (home, topics, tags,
      authors, related lists, sidebars): an article published, edited,
      unpublished, deleted, hidden or restored, a profile changed;
    - ``article:<pk>``: what shows only on that article's page: its comments
      and ratings.

    Versioned keys instead of deleting what is stale: a page does not know
    every list an article appears on (its topic and the parent topic, each of
    its tags, its author, the home page's four lists, the related lists of its
    neighbours, every page number of each), and a delete that misses one
    leaves it stale forever. A generation is one key per name, read in one
    MGET with the page. A missing token (never bumped, expired, evicted) is
    created at random, which only turns old entries into misses: losing the
    generations can never make stale content look fresh. A token carries the
    time it was made: with read replicas, what is cached under a token younger
    than REPLICA_LAG_SECONDS lives only until the replicas have caught up.

Fragments
    :func:`cached` keeps an object or rendered fragment under a key and the
    tokens it depends on (the article with its pages, the related list, the
    ratings, the comment section, the header's topics, a list's contents), so a
    page that misses the page cache, or runs without it, is built mostly from
    there: in this process's memory (:data:`fragments`) in front of the shared
    cache, as fresh as the shared copy since the tokens are in the key.
    ``FRAGMENT_CACHE = False`` turns that off (the test suite does, as its
    factories write past the services).

The page cache
    :class:`PageCacheMiddleware` keeps the 200 responses of views decorated
    with :func:`public_page` in this process's memory, for signed-out GET and
    HEAD requests without a session or messages cookie, keyed on scheme, host
    and the full path with its query (the URL alone decides the language). A
    hit costs one round trip to the shared cache (the generations) and no
    query. Entries also expire after ``PAGE_CACHE_SECONDS`` (60) as a safety
    net for writes that bypass the services (the admin's change form, the
    shell), and for numbers that change on every read: the view count shown on
    an article page is at most that old. Never stored: a response that sets a
    cookie, used a CSRF token, says private/no-store/no-cache, or was not
    marked public by the view. The CSP nonce is replaced with a placeholder
    when stored and a fresh one is put in on every hit, so it matches the
    header ``ContentSecurityPolicyMiddleware`` adds.

Headers
    :func:`public_page` gives a signed-out 200 ``Cache-Control: public,
    max-age=PAGE_CACHE_MAX_AGE`` (10 s) and ``Vary: Cookie``, so nginx or a CDN
    may serve it to other signed-out readers (they cannot be told about a
    bump: that short max-age is the staleness they add). Every response to a
    signed-in reader gets ``Cache-Control: private, no-store``, so no shared
    cache ever keeps one.
"""

import functools
import pickle
import secrets
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csp import get_nonce
from django.utils.cache import patch_cache_control, patch_vary_headers

SITE = "site"
# A generation lives this long without a bump; a missing one is recreated.
GENERATION_TIMEOUT = 24 * 60 * 60
NONCE_PLACEHOLDER = b"__page-cache-csp-nonce__"


def article_generation(pk: int) -> str:
    return f"article:{pk}"


def _key(name: str) -> str:
    return f"gen:{name}"


def _token() -> str:
    # When it was made (milliseconds, hex), then random: see _settled_timeout.
    return f"{int(time.time() * 1000):x}.{secrets.token_hex(6)}"


def _settled_timeout(tokens, timeout: float) -> float:
    """``timeout``, shortened while a token is younger than the replicas' lag.

    With read replicas a reader may still see the rows from before a write
    for REPLICA_LAG_SECONDS after the bump; what it caches under the new token
    then lives only until the replicas have caught up.
    """
    lag = (
        getattr(settings, "REPLICA_LAG_SECONDS", 0)
        if getattr(settings, "DATABASE_REPLICAS", None)
        else 0
    )
    if not lag:
        return timeout
    now = time.time()
    for token in tokens:
        made, _, _ = token.partition(".")
        try:
            age = now - int(made, 16) / 1000
        except ValueError:
            continue
        if age < lag:
            timeout = min(timeout, max(1.0, lag - age))
    return timeout


def redis_client():
    """One Redis client per process for the shared cache's server; None if it is not Redis.

    Django's RedisCache makes a new client object (with its table of response
    callbacks) for every operation, a good part of the cost of a page built from
    the cache; the generations and fragments go to Redis through this one, under
    the keys Django would use (``cache.make_key``), so ``cache.clear()`` clears
    them too.
    """
    config = settings.CACHES["default"]
    if not config["BACKEND"].endswith("RedisCache"):
        return None
    location = config["LOCATION"]
    return _redis_client(location if isinstance(location, str) else location[0])


@functools.cache
def _redis_client(url: str):
    import redis

    return redis.Redis.from_url(url)


def _decoded(value: bytes | None) -> str | None:
    try:
        return value.decode("ascii") if value is not None else None
    except UnicodeDecodeError:
        return None


def generations(names) -> tuple[str, ...]:
    """The current token of each name, in order (one MGET; a missing one is created)."""
    client = redis_client()
    if client is not None:
        keys = [cache.make_key(_key(name)) for name in names]
        tokens = []
        for key, value in zip(keys, client.mget(keys), strict=True):
            token = _decoded(value)
            if token is None:
                # NX so two processes creating it at once agree on one token;
                # anything else under the key (an older format) is replaced.
                if value is None:
                    client.set(key, _token(), nx=True, ex=GENERATION_TIMEOUT)
                else:
                    client.set(key, _token(), ex=GENERATION_TIMEOUT)
                token = _decoded(client.get(key)) or _token()
            tokens.append(token)
        return tuple(tokens)
    keys = [_key(name) for name in names]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            # add() so two processes creating it at once agree on one token.
            cache.add(key, _token(), timeout=GENERATION_TIMEOUT)
            found[key] = cache.get(key) or _token()
    return tuple(found[key] for key in keys)


def bump(*names: str) -> None:
    """Make everything cached under these generations stale.

    Inside a transaction twice: at once, and again when it commits. A reader
    between the two may cache the rows as they were under the first new token;
    the second makes that stale, so what stays cached is read after the commit.
    """

    def replace():
        client = redis_client()
        if client is None:
            cache.set_many({_key(name): _token() for name in names}, timeout=GENERATION_TIMEOUT)
            return
        with client.pipeline(transaction=False) as pipe:
            for name in names:
                pipe.set(cache.make_key(_key(name)), _token(), ex=GENERATION_TIMEOUT)
            pipe.execute()

    replace()
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(replace)


def bump_site() -> None:
    bump(SITE)


def bump_article(pk: int) -> None:
    bump(article_generation(pk))


# Requests ----------------------------------------------------------------------


def depend_on(request, *names: str) -> tuple[str, ...]:
    """The tokens of the generations ``names`` for this request; the page cache
    keeps the page under every token read this way.

    Call it before reading the data, so a write committed while the page
    renders leaves what is cached under this token already stale. Each name is
    read once per request, and the names not read yet in one MGET: fragments
    cached under the same name reuse the token.
    """
    tokens = request.__dict__.setdefault("_generations", {})
    missing = [name for name in names if name not in tokens]
    if missing:
        tokens.update(zip(missing, generations(missing), strict=True))
    return tuple(tokens[name] for name in names)


def cached(request, key: str, names, compute, *, timeout: int = 600):
    """``compute()``, cached under ``key`` and the current tokens of the generations
    ``names``: a bump of any of them makes it a miss.

    For what a page reads that changes only with those generations. ``compute``
    must not return None (that reads as a miss). Two levels: this process's
    memory (:data:`fragments`), then the shared cache. The tokens are part of the
    key, so a copy in memory is as fresh as the one in the shared cache; it
    lives no longer than that one does. Values other than strings are kept
    pickled, so each request gets its own copy. ``FRAGMENT_CACHE = False`` (the
    test suite's default) computes every time.
    """
    tokens = depend_on(request, *names)
    if not settings.FRAGMENT_CACHE:
        return compute()
    full_key = ":".join(["fragment", key, *tokens])
    timeout = max(1, int(_settled_timeout(tokens, timeout)))
    client = redis_client()
    if client is None:  # an in-process cache already (development, tests)
        value = cache.get(full_key)
        if value is None:
            value = compute()
            cache.set(full_key, value, timeout=timeout)
        return value
    found = fragments.get(full_key)
    if found is not None:
        return _thaw(found)
    shared_key = cache.make_key(full_key)
    with client.pipeline(transaction=False) as pipe:
        stored, left_ms = pipe.get(shared_key).pttl(shared_key).execute()
    if stored is not None:
        try:
            value = pickle.loads(stored)  # noqa: S301 - written by this function only
        except Exception:  # noqa: S110 - a value in another format is a miss
            pass
        else:
            if left_ms > 0:
                _keep(full_key, value, stored, left_ms / 1000)
            return value
    value = compute()
    stored = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
    client.set(shared_key, stored, ex=timeout)
    _keep(full_key, value, stored, timeout)
    return value


def _keep(key: str, value, pickled: bytes, seconds: float) -> None:
    """Keep a fragment in this process's memory: a string as it is, anything
    else pickled (a request may change the objects it was given)."""
    frozen = value if isinstance(value, str) else pickled
    fragments.put(key, frozen, size=len(frozen), seconds=seconds)


def _thaw(frozen):
    return frozen if isinstance(frozen, str) else pickle.loads(frozen)  # noqa: S301 - ours


def replay_on_hit(request, function, *args) -> None:
    """Have a cached copy of this page call ``function(*args, request)`` when served
    (for the view count, which a cached page must still count)."""
    on_hit = getattr(request, "_page_cache_on_hit", None)
    if on_hit is not None:
        on_hit.append((function, args))


def public_page(view=None, *, also=None):
    """Mark a read-only view's page as the same for every signed-out reader.

    A signed-out 200 may then be kept by shared caches (and this process's page
    cache); a signed-in one never (the middleware makes it private). The site's
    generation is read before the view runs, with those ``also(**kwargs)``
    names (an article's), in one round trip:

        @public_page(also=lambda pk, **rest: [article_generation(pk)])
    """
    if view is None:
        return functools.partial(public_page, also=also)

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        # Read before the view reads anything (see depend_on); only public
        # pages pay for it.
        depend_on(request, SITE, *(also(**kwargs) if also else ()))
        request.is_public_page = True  # {% signed_out_cache %} caches only these
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


# The in-process store -------------------------------------------------------------


@dataclass
class _Entry:
    status: int
    headers: list[tuple[str, str]]
    content: bytes
    has_nonce: bool
    names: tuple[str, ...]
    tokens: tuple[str, ...]
    on_hit: list

    def response(self, request) -> HttpResponse:
        content = self.content
        if self.has_nonce:
            content = content.replace(NONCE_PLACEHOLDER, str(get_nonce(request)).encode())
        response = HttpResponse(content, status=self.status)
        for name, value in self.headers:
            response.headers[name] = value
        response.headers["Content-Length"] = str(len(content))
        return response


class _Store:
    """A least-recently-used dict of values that expire, bounded in bytes (the
    setting named ``limit_setting``, read at each write so tests can change it)."""

    def __init__(self, limit_setting: str):
        self._entries: OrderedDict[str, tuple[object, int, float]] = OrderedDict()
        self._bytes = 0
        self._limit_setting = limit_setting
        self._lock = threading.Lock()  # runserver and threaded workers

    def get(self, key: str):
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            value, _size, expires = found
            if expires < time.monotonic():
                self._drop(key)
                return None
            self._entries.move_to_end(key)
            return value

    def put(self, key: str, value, *, size: int, seconds: float) -> None:
        limit = getattr(settings, self._limit_setting)
        with self._lock:
            if key in self._entries:
                self._drop(key)
            self._entries[key] = (value, size, time.monotonic() + seconds)
            self._bytes += size
            while self._bytes > limit and self._entries:
                self._drop(next(iter(self._entries)))

    def _drop(self, key: str) -> None:
        self._bytes -= self._entries.pop(key)[1]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._bytes = 0


# Whole pages (PageCacheMiddleware) and the fragments of cached() in front of the
# shared cache, in this process's memory.
store = _Store("PAGE_CACHE_MAX_BYTES")
fragments = _Store("FRAGMENT_CACHE_MAX_BYTES")

_SKIPPED_HEADERS = {"content-length", "set-cookie"}


class PageCacheMiddleware:
    """Serve signed-out readers' public pages from this process's memory.

    Sits after WhiteNoise and before the session: a hit skips the session,
    locale, CSRF, authentication and messages middleware and the view. Also
    makes every response to a signed-in reader ``private, no-store``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not (settings.PAGE_CACHE and self._is_anonymous_read(request)):
            return self._finish(request, self.get_response(request))
        key = self._cache_key(request)
        entry = store.get(key)
        if entry is not None:
            current = generations(entry.names)
            if current == entry.tokens:
                if entry.on_hit:
                    request.user = AnonymousUser()
                    for function, args in entry.on_hit:
                        function(*args, request)
                return entry.response(request)
            # Stale: the view renders it again, under the tokens just read.
            request._generations = dict(zip(entry.names, current, strict=True))
        request._page_cache_on_hit = []
        response = self._finish(request, self.get_response(request))
        if self._is_storable(request, response):
            entry = self._entry(request, response)
            store.put(
                key,
                entry,
                size=len(entry.content),
                seconds=_settled_timeout(entry.tokens, settings.PAGE_CACHE_SECONDS),
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
        return f"{request.scheme}://{host}{request.get_full_path()}"

    @staticmethod
    def _is_storable(request, response) -> bool:
        cache_control = response.get("Cache-Control", "")
        return (
            getattr(response, "page_cache_public", False)
            and response.status_code == 200
            and not response.streaming
            and not response.cookies
            and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            and not any(word in cache_control for word in ("private", "no-store", "no-cache"))
        )

    @staticmethod
    def _entry(request, response) -> _Entry:
        read = getattr(request, "_generations", {})  # by depend_on
        names, tokens = tuple(read), tuple(read.values())
        content = response.content
        nonce = get_nonce(request)
        has_nonce = bool(nonce)  # a LazyNonce is false until something used it
        if has_nonce:
            content = content.replace(str(nonce).encode(), NONCE_PLACEHOLDER)
        return _Entry(
            status=response.status_code,
            headers=[
                (name, value)
                for name, value in response.headers.items()
                if name.lower() not in _SKIPPED_HEADERS
            ],
            content=content,
            has_nonce=has_nonce,
            names=names,
            tokens=tokens,
            on_hit=request._page_cache_on_hit,
        )

    @classmethod
    def _finish(cls, request, response):
        if getattr(response, "page_cache_public", False):
            # The URL alone decides a public page's language (Indonesian at /,
            # English under /en/: i18n_patterns without a default prefix), so a
            # shared cache needs no copy per Accept-Language header, which
            # LocaleMiddleware names in Vary for unprefixed URLs.
            vary = [
                name.strip()
                for name in response.get("Vary", "").split(",")
                if name.strip() and name.strip().lower() != "accept-language"
            ]
            response.headers["Vary"] = ", ".join(vary)
        return cls._private_if_signed_in(request, response)

    @staticmethod
    def _private_if_signed_in(request, response):
        user = getattr(request, "user", None)
        if (
            settings.SESSION_COOKIE_NAME in request.COOKIES
            and user is not None
            and user.is_authenticated
        ):
            patch_cache_control(response, private=True, no_store=True)
        return response
