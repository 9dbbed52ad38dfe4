"""Signed-in pages rendered once for every ordinary reader, with slots (README, "Caching").

A public page asked for by a signed-in reader who is not staff is rendered,
on a miss, for :data:`ANY_READER`: a stand-in user with no name, no key and
no rights, so nothing of the real reader can reach the shared copy. What
depends on the reader is a *slot* (``{% reader_slot "name" arg=... %}``): the
shared copy holds a marker, and each request fills it with a small template
rendered for the real reader (the header's account links and bell, the follow
button, the rating form, the messages waiting), after a few indexed lookups.
What differs between a thing's owner and everyone else (a comment's edit link
or its report link) is kept both ways (:func:`own_or_not`). CSRF tokens are
replaced by the reader's own. The copy lives in this process's memory and in
Redis (``shared.reader_pages``) under the generations the page read, like a
signed-out page. It is not served to people the render named with
:func:`not_for` (an article's author), nor to staff: they get the page
rendered for them.
"""

import base64
import hashlib
import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.template import Context
from django.template.loader import get_template
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from . import fragments, generations, redis, responses, shared, stats

# A slot's marker carries its name and arguments, signed with the site's secret
# key: nothing but our own render makes one, and a block holding markers
# (a cached one, say) means the same in every process.
_SLOT = re.compile(r'<kw-slot d="([A-Za-z0-9_-]+={0,2})" s="([0-9a-f]{24})"></kw-slot>')
_CSRF_INPUT = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')


def _placeholder(purpose: str) -> str:
    """Text no content can hold (it is derived from the site's secret key), the same
    in every process of a release: what is kept in Redis (a slot's HTML, a
    comment section) holds it, and any process puts the reader's value in."""
    secret = salted_hmac(f"caching.readers.{purpose}", settings.CACHE_RELEASE, algorithm="sha256")
    return f"kw-{purpose}-{secret.hexdigest()[:24]}"


# Where the reader's CSRF token goes (comments.templatetags uses it too), and the nonce.
CSRF_PLACEHOLDER = _CSRF = _placeholder("csrf")
_CSP_NONCE = _placeholder("csp")
# Around what only its owner sees and what everyone else sees instead (own_or_not).
_MINE, _OTHERS, _END = _placeholder("mine"), _placeholder("others"), _placeholder("end")
_OWN = re.compile(rf"{_MINE}(\d+):(.*?){_OTHERS}(.*?){_END}", re.DOTALL)
# Around what signed-in readers see and what signed-out readers see (signed_in_or_not).
_IN, _OUT, _END_IN = _placeholder("in"), _placeholder("out"), _placeholder("end-in")
_SIGNED_IN = re.compile(rf"{_IN}(.*?){_OUT}(.*?){_END_IN}", re.DOTALL)
# What a shared copy holds besides text: a slot, the reader's CSRF token, the CSP
# nonce, a part that is the reader's own or not.
_PLACES = re.compile(rf"{_SLOT.pattern}|{_CSRF}|{_CSP_NONCE}|{_OWN.pattern}", re.DOTALL)
# Stored in place of the last two (a slot is stored as its name and arguments).
_CSRF_PLACE, _NONCE_PLACE = -1, -2

# name -> function(request, **arguments) returning the slot's HTML for request.user.
_slots: dict[str, Callable[..., str]] = {}


class _AnyReader:
    """The user a shared signed-in page is rendered for: signed in, nobody in particular."""

    pk = id = None
    is_authenticated = True
    is_anonymous = False
    is_staff = is_superuser = False
    is_active = True
    username = ""
    name = ""

    def has_perm(self, *args, **kwargs) -> bool:
        return False

    def __str__(self) -> str:
        return ""


ANY_READER = _AnyReader()


class _Anyone(_AnyReader):
    """The user a block shared by signed-out and signed-in readers alike is rendered
    for: what differs between them is kept both ways (:func:`signed_in_or_not`)."""


ANYONE = _Anyone()


def slot(name: str, *, depends: Callable[..., list[str]] | None):
    """Register the renderer of a slot: ``function(request, **arguments) -> str``.

    ``depends(reader_pk, **arguments)`` names every generation its HTML shows: in
    a shared copy the slot's HTML is kept per reader, language and arguments
    under them (its CSRF token put in afresh), so a reader's header, rating or
    follow button is rendered again only when something it shows changed.
    ``depends=None``: rendered on every request, never kept (the messages).
    """

    def register(function):
        _slots[name] = function
        _depends[name] = depends
        return function

    return register


# name -> function(reader_pk, **arguments) returning the generations the slot shows.
_depends: dict[str, Callable[..., list[str]] | None] = {}


@dataclass(frozen=True)
class _Own:
    """In a shared copy: what the reader ``owner`` sees there, and what the others see."""

    owner: int
    mine: str
    others: str


def own_or_not(user, owner_pk: int, mine: Callable[[], str], others: Callable[[], str]) -> str:
    """``mine()`` for the user ``owner_pk``, ``others()`` for everyone else (a comment's
    edit and delete links, or its report link). Rendered for :data:`ANY_READER`
    (or :data:`ANYONE`), both, marked: each request keeps the one for its reader
    (:func:`as_seen_by`, and a shared copy's fill), so a commenter shares the
    copy of the page. Text only: no slot, token or nonce inside."""
    if isinstance(user, _AnyReader):
        return f"{_MINE}{int(owner_pk)}:{mine()}{_OTHERS}{others()}{_END}"
    return mine() if user.pk == owner_pk else others()


def signed_in_or_not(user, signed_in: Callable[[], str], signed_out: Callable[[], str]) -> str:
    """``signed_in()`` for a signed-in reader, ``signed_out()`` for the others; both,
    marked, when rendered for :data:`ANYONE`, for :func:`as_seen_by` to choose."""
    if user is ANYONE:
        return f"{_IN}{signed_in()}{_OUT}{signed_out()}{_END_IN}"
    return signed_in() if user.is_authenticated else signed_out()


def as_seen_by(html: str, reader_pk: int | None) -> str:
    """HTML rendered for :data:`ANYONE` or :data:`ANY_READER`, each part chosen for
    the signed-in reader ``reader_pk``, or for a signed-out reader (None)."""
    html = _choose_signed_in(html, reader_pk is not None)
    if _MINE not in html:
        return html
    return _OWN.sub(lambda found: found[2] if int(found[1]) == reader_pk else found[3], html)


def as_any_reader_sees(html: str) -> str:
    """HTML rendered for :data:`ANYONE`, as a shared signed-in copy holds it: the
    signed-in parts, each reader's own parts still both ways."""
    return _choose_signed_in(html, True)


def _choose_signed_in(html: str, signed_in: bool) -> str:
    if _IN not in html:
        return html
    return _SIGNED_IN.sub(lambda found: found[1 if signed_in else 2], html)


def _slot_html(request, name: str, arguments: dict) -> str:
    """A slot's HTML for the reader of a shared copy, kept under what it shows."""
    if _depends[name] is None:
        return _slots[name](request, **arguments)
    reader = request.user.pk
    given = hashlib.sha256(json.dumps(arguments, sort_keys=True).encode()).hexdigest()[:20]
    key = f"slot:{name}:{reader}:{get_language()}:{given}"
    return fragments.cached(
        key,
        _depends[name](reader, **arguments),
        lambda: _CSRF_INPUT.sub(rf"\g<1>{_CSRF}\g<2>", _slots[name](request, **arguments)),
    )


@dataclass
class _Render:
    """What a shared render collects."""

    excluded: set = field(default_factory=set)


@dataclass
class _Entry:
    status: int
    headers: list[tuple[str, str]]
    # The page split where it differs between readers: text, then a slot's
    # (name, arguments), an _Own, _CSRF_PLACE or _NONCE_PLACE, then text, and so on.
    # Holds no marker, so a copy one process made serves every process.
    parts: list
    excluded: frozenset
    names: tuple[str, ...]
    tokens: tuple[str, ...]
    on_hit: list

    @property
    def size(self) -> int:
        text = sum(len(part) + 60 for part in self.parts[::2])
        places = self.parts[1::2]
        own = sum(len(p.mine) + len(p.others) for p in places if isinstance(p, _Own))
        return 2 * (text + own) + 200 * len(places) + 8 * len(self.excluded) + 600


def is_shared_render(request) -> bool:
    return getattr(request, "_reader_render", None) is not None


def not_for(request, *pks) -> None:
    """During a shared render: the people who must get this page rendered for them."""
    render = getattr(request, "_reader_render", None)
    if render is not None:
        render.excluded.update(pk for pk in pks if pk is not None)


def render_own(request, template_name: str, context: dict) -> str:
    """A slot's template for ``request.user``, given ``context`` and the reader's
    CSRF token only: no context processors, which are the page's (the page
    has run them), and cost more than the slot itself."""
    template = get_template(template_name).template
    context = {**context, "user": request.user, "csrf_token": _csrf_token(request)}
    return template.render(Context(context))


def _csrf_token(request) -> str:
    """The reader's CSRF token, masked once per request (each ``get_token`` masks anew)."""
    token = getattr(request, "_reader_csrf_token", None)
    if token is None:
        token = request._reader_csrf_token = get_token(request)
    return token


def excluding(request, render: Callable[[], str]) -> tuple[str, tuple]:
    """``render()`` and the people it named with :func:`not_for`, for a block cached
    with them to name them again when a shared copy uses it (also when the block
    is rendered during a signed-out reader's request)."""
    outer = getattr(request, "_reader_render", None)
    request._reader_render = _Render()
    try:
        html = render()
        named = tuple(sorted(request._reader_render.excluded))
    finally:
        request._reader_render = outer
    if outer is not None:
        outer.excluded.update(named)
    return html, named


def render_slot(request, name: str, arguments: dict, *, user=None) -> SafeString:
    """The slot's HTML for this request: a marker in a shared render or a block
    rendered for a stand-in ``user``, else the real thing."""
    render = getattr(request, "_reader_render", None)
    if render is None and not isinstance(user, _AnyReader):
        return mark_safe(_slots[name](request, **arguments))  # our own templates' output
    data = base64.urlsafe_b64encode(json.dumps([name, arguments]).encode()).decode()
    return mark_safe(f'<kw-slot d="{data}" s="{_signature(data)}"></kw-slot>')


def _signature(data: str) -> str:
    return salted_hmac("caching.readers.slot", data, algorithm="sha256").hexdigest()[:24]


def _slot_of(data: str, signature: str) -> tuple[str, dict] | None:
    if not constant_time_compare(signature, _signature(data)):
        return None
    name, arguments = json.loads(base64.urlsafe_b64decode(data))
    return (name, arguments) if name in _slots else None


def is_sharable(request) -> bool:
    """Whether this signed-in request may be answered with the shared copy."""
    user = request.user
    return (
        settings.FRAGMENT_CACHE
        and user.is_authenticated
        and not user.is_staff
        and request.method in ("GET", "HEAD")
        and getattr(request, "page_query_is_canonical", False)
    )


def _key(request) -> str:
    host = request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")
    query = request.META.get("QUERY_STRING", "")
    return f"reader:{settings.CACHE_RELEASE}:{request.scheme}://{host}{request.path}?{query}"


def serve(request, view: Callable[[], HttpResponse], names: tuple[str, ...]) -> HttpResponse:
    """The page for this signed-in reader: the shared copy filled in, or ``view()``,
    which depends on the generations ``names`` (and on what it reads itself)."""
    user = request.user
    key = _key(request)
    entry = shared.reader_pages.get(key)
    if entry is not None:
        # One MGET: the page's tokens and those its slots show for this reader.
        shown = [
            name
            for place in entry.parts[1::2]
            if isinstance(place, tuple) and _depends[place[0]] is not None
            for name in _depends[place[0]](user.pk, **place[1])
        ]
        read_before = generations.read_so_far()
        tokens = generations.current(*entry.names, *shown)
        if tokens[: len(entry.names)] == entry.tokens and user.pk not in entry.excluded:
            stats.counts["reader_page.hit"] += 1
            return _fill(request, entry)
        # Not served: what is rendered now must not depend on this reader's slots.
        generations.forget(*(set(shown) - set(entry.names) - set(read_before)))
        if user.pk in entry.excluded and tokens[: len(entry.names)] == entry.tokens:
            generations.depend_on(*names)
            return view()

    stats.counts["reader_page.miss"] += 1
    generations.depend_on(*names)
    failures = redis.health.failures
    request.user = ANY_READER
    request._reader_render = _Render()
    request._page_cache_on_hit = []
    try:
        response = view()
    except (Http404, PermissionDenied):
        response = None  # a draft, say: perhaps the reader's own
    finally:
        render, request._reader_render = request._reader_render, None
        request.user = user
    if response is None or response.status_code != 200 or response.streaming or response.cookies:
        return view()  # a redirect, 404 or 410: nothing shared, the reader's own answer
    entry = _entry(request, response, render)
    if responses.may_store(failures):
        timeout = generations.settled_timeout(entry.tokens, settings.PAGE_CACHE_SECONDS)
        shared.reader_pages.put(key, entry, seconds=timeout)
    if user.pk in entry.excluded:
        return view()
    return _fill(request, entry)


def _entry(request, response, render: _Render) -> _Entry:
    read = generations.read_so_far()
    content = responses.without_nonce(request, response.content.decode(), _CSP_NONCE)
    return _Entry(
        status=response.status_code,
        headers=responses.kept_headers(response),
        parts=_split(_CSRF_INPUT.sub(rf"\g<1>{_CSRF}\g<2>", content)),
        excluded=frozenset(render.excluded),
        names=tuple(read),
        tokens=tuple(read.values()),
        on_hit=request._page_cache_on_hit,
    )


def _split(content: str) -> list:
    parts, start = [], 0
    for found in _PLACES.finditer(content):
        if found.group(1) is not None:
            place = _slot_of(found.group(1), found.group(2))
            if place is None:
                continue  # not ours: left as it is
        elif found.group(3) is not None:
            place = _Own(int(found.group(3)), found.group(4), found.group(5))
        else:
            place = _CSRF_PLACE if found.group(0) == _CSRF else _NONCE_PLACE
        parts += [content[start : found.start()], place]
        start = found.end()
    parts.append(content[start:])
    return parts


def _fill(request, entry: _Entry) -> HttpResponse:
    for function, args in entry.on_hit:
        function(*args, request)
    pieces = entry.parts[:]
    for at in range(1, len(pieces), 2):
        place = pieces[at]
        if place == _CSRF_PLACE:
            pieces[at] = html.escape(_csrf_token(request))  # letters and digits; all the same
        elif place == _NONCE_PLACE:
            pieces[at] = str(get_nonce(request))
        elif isinstance(place, _Own):
            pieces[at] = place.mine if place.owner == request.user.pk else place.others
        else:
            pieces[at] = _slot_html(request, *place)
    content = "".join(pieces)
    if _CSRF in content:  # kept slots hold the place of the token, not a token
        content = content.replace(_CSRF, html.escape(_csrf_token(request)))
    response = HttpResponse(content, status=entry.status)
    for name, value in entry.headers:
        response.headers[name] = value
    return response


@slot("messages", depends=None)
def messages(request) -> str:
    """The messages waiting for the reader ("Your comment has been posted."), shown
    once: the page around them is still the shared copy."""
    waiting = list(get_messages(request))
    if not waiting:
        return ""
    return get_template("includes/messages.html").template.render(Context({"messages": waiting}))
