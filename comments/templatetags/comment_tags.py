from django import template

from ..forms import CommentForm
from ..threads import NEWEST, OLDEST, ORDER_PARAMETER, thread_page

register = template.Library()


@register.inclusion_tag("comments/thread.html", takes_context=True)
def comment_thread(context, article):
    """The comment section under an article: house rules, form and a page of threads."""
    request = context["request"]
    threads = thread_page(request, article)
    return {
        "article": article,
        "request": request,
        "user": context["user"],
        "threads": threads,
        "form": CommentForm(),
        "order_parameter": ORDER_PARAMETER,
        "newest": NEWEST,
        "oldest": OLDEST,
        "csp_nonce": context.get("csp_nonce"),
    }
