from django import template
from django.middleware.csrf import get_token
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from caching import fragments, generations, readers
from core.pagination import page_number

from ..forms import CommentForm
from ..threads import NEWEST, OLDEST, ORDER_PARAMETER, PAGE_PARAMETER, reader_order, thread_page

register = template.Library()

# Rendered sections live this long at most; the generations make them stale sooner.
SECTION_SECONDS = 10 * 60
# Stands for the reader's CSRF token in a section rendered for every signed-in reader:
# text no comment can hold, or the replacement would put the token into a comment.
CSRF_PLACEHOLDER = readers.CSRF_PLACEHOLDER


@register.simple_tag(takes_context=True)
def comment_thread(context, article):
    """The comment section under an article: house rules, form and a page of threads.

    The section depends on the reader only through their own comments (edit and
    delete instead of report: ``{% if_mine %}``) and their role (the article's
    author and staff may hide comments), so it is cached rendered, per
    language, order and page of threads, under the article's generation (bumped
    by every comment and moderation change of its comments) and the people's (a
    commenter's changed name), in two versions: one for signed-out readers and
    one for any signed-in reader who is not the article's author and not staff,
    with their own comments' controls chosen and their CSRF token put in on
    each request. The author and staff get it rendered for them.
    """
    request = context["request"]
    user = context["user"]

    def render(reader, csrf_token):
        for_article_author = reader.is_authenticated and (
            reader.is_staff or reader.pk == article.author_id
        )
        values = {
            "article": article,
            "request": request,
            "user": reader,
            "threads": thread_page(request, article, for_article_author=for_article_author),
            "form": CommentForm(),
            "order_parameter": ORDER_PARAMETER,
            "newest": NEWEST,
            "oldest": OLDEST,
            # As an inclusion tag would: the signed-in forms need it.
            "csrf_token": csrf_token,
        }
        section = context.template.engine.get_template("comments/thread.html")
        return str(section.render(context.new(values)))

    def cached(kind, reader, csrf_token):
        order = reader_order(request)
        # Exactly the number thread_page reads: the article view declares both
        # parameters (public_page), so nothing else of the URL reaches the links.
        number = page_number(request.GET.get(PAGE_PARAMETER, "1"))
        return fragments.cached(
            f"comments:{kind}:{article.pk}:{get_language()}:{order}:{number}",
            [generations.article(article.pk), generations.PEOPLE],
            lambda: render(reader, csrf_token),
            timeout=SECTION_SECONDS,
        )

    if not user.is_authenticated:
        return mark_safe(cached("signed-out", user, None))  # our own template's output
    if user.is_staff or user.pk == article.author_id:
        return mark_safe(render(user, context.get("csrf_token")))  # our own template's output
    section = cached("signed-in", readers.ANY_READER, CSRF_PLACEHOLDER)
    if readers.is_shared_render(request):
        return mark_safe(section)  # the shared copy fills in its places
    section = readers.as_seen_by(section, user.pk).replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(section)  # our own template's output; the token is letters and digits
