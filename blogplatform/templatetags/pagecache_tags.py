"""{% signed_out_cache %}: a page's main content, rendered once for every signed-out reader."""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from blogplatform import pagecache

register = template.Library()

# The query parameters a cached page's content depends on (pages of lists and of
# comments, comment order, search). Others are left out of the key, so that
# made-up query strings cannot fill the shared cache with copies.
CONTENT_PARAMETERS = ("halaman", "komentar", "urutan", "q", "topik", "dari", "sampai")


def content_key(request) -> str:
    query = "&".join(
        f"{name}={value}" for name in CONTENT_PARAMETERS for value in request.GET.getlist(name)[:1]
    )
    # The host too: an article's head and share links hold absolute URLs.
    return f"{request.get_host()}{request.path}?{query[:300]}"


class CachedContentNode(template.Node):
    def __init__(self, nodelist, name, article_pk, *, signed_in_too):
        self.nodelist, self.name, self.article_pk = nodelist, name, article_pk
        self.signed_in_too = signed_in_too

    def render(self, context):
        request = context.get("request")
        user = context.get("user")
        if (
            request is None
            or not getattr(request, "is_public_page", False)
            or user is None
            or (user.is_authenticated and not self.signed_in_too)
        ):
            return self.nodelist.render(context)
        names = [pagecache.SITE]
        if self.article_pk is not None:
            names.append(pagecache.article_generation(self.article_pk.resolve(context)))
        html = pagecache.cached(
            request,
            f"content:{self.name}:{get_language()}:{content_key(request)}",
            names,
            lambda: str(self.nodelist.render(context)),
            timeout=settings.PAGE_CACHE_SECONDS,
        )
        return mark_safe(html)  # our own template's output


@register.tag
def signed_out_cache(parser, token):
    """Cache what it encloses for signed-out readers, per host, path (with the
    query parameters in CONTENT_PARAMETERS) and language, under the site's
    generation and, given an article's key, the article's:

        {% signed_out_cache "article" article.pk %} ... {% endsigned_out_cache %}

    For content that is the same for every signed-out reader (no CSRF token, no
    CSP nonce). Only on pages of views marked ``public_page``: a 404 for a
    made-up path renders without it. Lazy querysets inside it are not run on a
    hit. It lives at most PAGE_CACHE_SECONDS, as view counts shown in it may be
    that old. Signed-in readers always get it rendered.
    """
    return _cached_content(parser, token, "endsigned_out_cache", signed_in_too=False)


@register.tag
def same_for_every_reader(parser, token):
    """As ``signed_out_cache``, for content that does not depend on who reads at
    all (a list of articles, an article's head): signed-in readers get the same
    cached copy.

        {% same_for_every_reader "topic" %} ... {% endsame_for_every_reader %}
    """
    return _cached_content(parser, token, "endsame_for_every_reader", signed_in_too=True)


def _cached_content(parser, token, end: str, *, signed_in_too: bool):
    bits = token.split_contents()
    if len(bits) not in (2, 3):
        raise template.TemplateSyntaxError(f"{bits[0]} takes a name and an optional key")
    name = bits[1].strip("\"'")
    article_pk = parser.compile_filter(bits[2]) if len(bits) == 3 else None
    nodelist = parser.parse((end,))
    parser.delete_first_token()
    return CachedContentNode(nodelist, name, article_pk, signed_in_too=signed_in_too)
