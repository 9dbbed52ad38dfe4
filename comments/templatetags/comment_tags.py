from dataclasses import dataclass

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


@dataclass
class _Section:
    html: str
    commenters: frozenset  # the authors of the comments shown


@register.simple_tag(takes_context=True)
def comment_thread(context, article):
    """The comment section under an article: house rules, form and a page of threads.

    The section depends on the reader only through their own comments (edit and
    delete instead of report) and their role (the article's author and staff
    may hide comments), so it is cached rendered, per language, order and page
    of threads, under the article's generation (bumped by every comment and
    moderation change of its comments) and the people's (a commenter's changed
    name), in two versions: one for signed-out readers and one for any
    signed-in reader who is not the article's author, not staff and wrote none
    of the comments shown, with their CSRF token put in on each request. Those
    three kinds of reader get it rendered for them.
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
        html = str(section.render(context.new(values)))
        return _Section(html, frozenset(c.author_id for c in values["threads"].comments))

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
        return mark_safe(cached("signed-out", user, None).html)  # our own template's output
    if not (user.is_staff or user.pk == article.author_id):
        section = cached("signed-in", readers.ANY_READER, CSRF_PLACEHOLDER)
        # A page shared by every signed-in reader is not for the commenters shown.
        readers.not_for(request, *section.commenters)
        if user.pk not in section.commenters:
            # our own template's output; the token is letters and digits
            return mark_safe(section.html.replace(CSRF_PLACEHOLDER, get_token(request)))
    return mark_safe(render(user, context.get("csrf_token")).html)  # our own template's output
