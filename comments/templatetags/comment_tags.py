from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from blogplatform import pagecache

from ..forms import CommentForm
from ..threads import NEWEST, OLDEST, ORDER_PARAMETER, PAGE_PARAMETER, reader_order, thread_page

register = template.Library()

# Rendered sections live this long at most; the generations make them stale sooner.
SECTION_SECONDS = 10 * 60


@register.simple_tag(takes_context=True)
def comment_thread(context, article):
    """The comment section under an article: house rules, form and a page of threads.

    A signed-out reader's section is the same for everyone, so it is cached
    rendered, per language, order and page of threads, under the article's
    generation (bumped by every comment and moderation change of its comments)
    and the site's (a commenter's changed name). Signed-in readers see their own
    reply, edit and hide links, so theirs is rendered each time.
    """
    request = context["request"]
    user = context["user"]

    def render():
        values = {
            "article": article,
            "request": request,
            "user": user,
            "threads": thread_page(request, article),
            "form": CommentForm(),
            "order_parameter": ORDER_PARAMETER,
            "newest": NEWEST,
            "oldest": OLDEST,
            "csp_nonce": context.get("csp_nonce"),
            # As an inclusion tag would: the signed-in forms need it.
            "csrf_token": context.get("csrf_token"),
        }
        section = context.template.engine.get_template("comments/thread.html")
        return str(section.render(context.new(values)))

    if user.is_authenticated:
        return mark_safe(render())  # our own template's output
    order = reader_order(request)
    number = request.GET.get(PAGE_PARAMETER, "1")[:12]
    html = pagecache.cached(
        request,
        f"comments:{article.pk}:{get_language()}:{order}:{number}",
        [pagecache.SITE, pagecache.article_generation(article.pk)],
        render,
        timeout=SECTION_SECONDS,
    )
    return mark_safe(html)  # our own template's output
