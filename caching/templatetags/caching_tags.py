"""{% signed_out_cache %} and {% same_for_every_reader %}: a block rendered once for many readers.

The block is keyed on its name, the language, the host and the path with the
query parameters the view declared (``public_page(query=...)``: nothing else
of the URL reaches the page), under every generation the request has read
before it (README, "Caching").
"""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from caching import fragments, generations, pages, readers

register = template.Library()


def block_key(request, name: str) -> str:
    # The host too: an article's head and share links hold absolute URLs.
    return f"block:{name}:{get_language()}:{request.get_host()}{request.get_full_path()}"


class CachedBlockNode(template.Node):
    def __init__(self, nodelist, name, *, signed_in_too, own=False):
        self.nodelist, self.name, self.signed_in_too = nodelist, name, signed_in_too
        self.own = own

    def render(self, context):
        request = context.get("request")
        user = context.get("user")
        if self.own:
            if (
                request is None
                or user is None
                or not user.is_authenticated
                or len(request.META.get("QUERY_STRING", "")) > pages.MAX_CACHED_QUERY
            ):
                return self.nodelist.render(context)
            key = f"{block_key(request, self.name)}:reader:{user.pk}"
        elif (
            request is None
            or not getattr(request, "is_public_page", False)
            or user is None
            or (
                user.is_authenticated
                and not self.signed_in_too
                and not readers.is_shared_render(request)
            )
        ):
            return self.nodelist.render(context)
        elif not self.signed_in_too:
            # Rendered once for signed-out readers and the copy every ordinary
            # signed-in reader shares (readers.ANYONE), the people it is not
            # for kept with it; each kind of reader gets its parts.
            html, named = fragments.cached(
                f"{block_key(request, self.name)}:anyone",
                list(generations.read_so_far()),
                lambda: readers.excluding(request, lambda: self._for_anyone(context)),
                timeout=settings.PAGE_CACHE_SECONDS,
            )
            if user.is_authenticated:
                readers.not_for(request, *named)
                return mark_safe(readers.as_any_reader_sees(html))  # our own template's output
            return mark_safe(readers.as_seen_by(html, None))  # our own template's output
        else:
            key = block_key(request, self.name)
        html = fragments.cached(
            key,
            list(generations.read_so_far()),
            lambda: str(self.nodelist.render(context)),
            timeout=settings.PAGE_CACHE_SECONDS,
        )
        return mark_safe(html)  # our own template's output

    def _for_anyone(self, context) -> str:
        # No reader's token either: a form in it holds the placeholder.
        with context.push(user=readers.ANYONE, csrf_token=readers.CSRF_PLACEHOLDER):
            return str(self.nodelist.render(context))


@register.tag
def signed_out_cache(parser, token):
    """Cache what it encloses for signed-out readers and the copy ordinary signed-in
    readers share (caching.readers), rendered once for both:

        {% signed_out_cache "article" %} ... {% endsigned_out_cache %}

    On pages of views marked ``public_page`` only. Inside, what differs between
    signed-in and signed-out readers is ``{% if_signed_in %}`` (not ``{% if
    user.is_authenticated %}``: it is rendered for ``readers.ANYONE``), the
    reader's own parts are slots or ``{% if_mine %}``, and there is no CSP
    nonce. Lazy querysets inside it are not run on a hit. Other signed-in
    readers (the article's author, staff) get it rendered for them.
    """
    return _cached_block(parser, token, "endsigned_out_cache", signed_in_too=False)


@register.tag
def same_for_every_reader(parser, token):
    """As ``signed_out_cache``, for content that does not depend on who reads at
    all (a list of articles, an article's head): signed-in readers share it."""
    return _cached_block(parser, token, "endsame_for_every_reader", signed_in_too=True)


@register.tag
def for_this_reader(parser, token):
    """Cache what it encloses for the signed-in reader alone, on a page of their own
    (Diikuti): keyed on them too, under every generation the request has read
    before it, which must include theirs. No CSRF token or nonce inside."""
    return _cached_block(parser, token, "endfor_this_reader", signed_in_too=True, own=True)


def _cached_block(parser, token, end: str, *, signed_in_too: bool, own: bool = False):
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a name")
    nodelist = parser.parse((end,))
    parser.delete_first_token()
    return CachedBlockNode(nodelist, bits[1].strip("\"'"), signed_in_too=signed_in_too, own=own)


class OwnOrNotNode(template.Node):
    def __init__(self, owner, mine, others):
        self.owner, self.mine, self.others = owner, mine, others

    def render(self, context):
        return readers.own_or_not(
            context.get("user"),
            self.owner.resolve(context),
            lambda: self.mine.render(context),
            lambda: self.others.render(context),
        )


@register.tag
def if_mine(parser, token):
    """What only the signed-in reader ``owner`` sees, and what everyone else sees:

        {% if_mine comment.author_id %} edit {% else %} report {% endif_mine %}

    In a page shared by every signed-in reader (caching.readers) both are kept,
    and each request shows its reader the one that is theirs. Text only: no
    ``{% csrf_token %}``, slot or nonce inside."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError(f"{bits[0]} takes the owner's key")
    mine = parser.parse(("else", "endif_mine"))
    others = template.NodeList()
    if parser.next_token().contents == "else":
        others = parser.parse(("endif_mine",))
        parser.delete_first_token()
    return OwnOrNotNode(parser.compile_filter(bits[1]), mine, others)


class SignedInOrNotNode(template.Node):
    def __init__(self, signed_in, signed_out):
        self.signed_in, self.signed_out = signed_in, signed_out

    def render(self, context):
        return readers.signed_in_or_not(
            context.get("user"),
            lambda: self.signed_in.render(context),
            lambda: self.signed_out.render(context),
        )


@register.tag
def if_signed_in(parser, token):
    """What signed-in readers see, and what signed-out readers see:

        {% if_signed_in %} the form {% else %} sign in to comment {% endif_signed_in %}

    As ``{% if user.is_authenticated %}``, except that a block rendered once for
    both (for ``readers.ANYONE``: the comment section) keeps both, for each
    kind of reader to get theirs (``readers.as_seen_by``)."""
    signed_in = parser.parse(("else", "endif_signed_in"))
    signed_out = template.NodeList()
    if parser.next_token().contents == "else":
        signed_out = parser.parse(("endif_signed_in",))
        parser.delete_first_token()
    return SignedInOrNotNode(signed_in, signed_out)


@register.simple_tag(takes_context=True)
def reader_slot(context, name, **arguments):
    """What depends on the signed-in reader in a page shared by every reader
    (caching.readers): ``{% reader_slot "follow" username=person.username %}``.
    The arguments are the same for every reader; the slot's renderer reads the rest."""
    return readers.render_slot(context["request"], name, arguments, user=context.get("user"))
