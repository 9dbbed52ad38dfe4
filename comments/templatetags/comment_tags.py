from django import template

register = template.Library()


@register.inclusion_tag("comments/thread.html", takes_context=True)
def comment_thread(context, article):
    """The comment section under an article: house rules, form and threads."""
    return {"article": article, "request": context["request"], "user": context["user"]}
