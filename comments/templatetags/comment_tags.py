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

    The section depends on the reader only through whether they are signed in
    (the form, or a link to sign in: ``{% if_signed_in %}``), their own
    comments (edit and delete instead of report: ``{% if_mine %}``) and their
    role (the article's author and staff may hide comments). So it is rendered
    once for ``readers.ANYONE`` and cached, per language, order and page of
    threads, under the article's generation (bumped by every comment and
    moderation change of its comments) and the people's (a commenter's changed
    name), with a placeholder for the CSRF token; each request chooses its
    reader's parts and puts in their token. The article's author and staff get
    it rendered for them.
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

    if user.is_staff or user.pk == article.author_id:
        return mark_safe(render(user, context.get("csrf_token")))  # our own template's output
    order = reader_order(request)
    # Exactly the number thread_page reads: the article view declares both
    # parameters (public_page), so nothing else of the URL reaches the links.
    number = page_number(request.GET.get(PAGE_PARAMETER, "1"))
    section = fragments.cached(
        f"comments:{article.pk}:{get_language()}:{order}:{number}",
        [generations.article(article.pk), generations.PEOPLE],
        lambda: render(readers.ANYONE, CSRF_PLACEHOLDER),
        timeout=SECTION_SECONDS,
    )
    if user is readers.ANYONE:  # a block rendered once for every kind of reader
        return mark_safe(section)  # our own template's output
    if readers.is_shared_render(request):
        # the shared copy chooses each reader's own parts and puts in the token
        return mark_safe(readers.as_any_reader_sees(section))  # our own template's output
    section = readers.as_seen_by(section, user.pk)
    if user.is_authenticated:
        section = section.replace(CSRF_PLACEHOLDER, get_token(request))
    return mark_safe(section)  # our own template's output; the token is letters and digits
