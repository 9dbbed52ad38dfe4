"""Federation's part of the author, topic and article pages' heads, composed by
their templates (the articles app never imports federation)."""

from django import template
from django.conf import settings
from django.urls import reverse
from django.utils.html import format_html

from .. import actors, reactions
from ..models import AuthorChoice

register = template.Library()


@register.simple_tag
def activity_alternate(kind: str, key: str):
    """``<link rel="alternate">`` to the ActivityStreams document of the page."""
    if not settings.FEDERATION:
        return ""
    name, argument = {
        "person": ("federation:person", "username"),
        "group": ("federation:group", "slug"),
        "article": ("federation:article", "pk"),
    }[kind]
    # Absolute with SITE_URL; else the path (no query for the Sites domain).
    href = settings.SITE_URL + reverse(name, kwargs={argument: key})
    return format_html('<link rel="alternate" type="application/activity+json" href="{}">', href)


@register.simple_tag
def fediverse_creator(author):
    """``fediverse:creator``: the handle the author gave, else their handle here
    while they federate. One query; the article head is cached (author's generation)."""
    if not settings.FEDERATION:
        return ""
    choice = AuthorChoice.objects.filter(user_id=author.pk).only("federated", "fediverse_handle")
    choice = choice.first()
    if choice and choice.fediverse_handle:
        handle = choice.fediverse_handle
    elif choice is None or choice.federated:
        handle = f"@{author.username}@{actors.domain()}"
    else:
        return ""
    return format_html('<meta name="fediverse:creator" content="{}">', handle.lstrip("@"))


@register.inclusion_tag("federation/reactions.html")
def fediverse_reactions(article):
    """Likes and boosts from the fediverse on the article page: one query, inside
    the page's cached part (a reaction bumps the article's generation)."""
    if not settings.FEDERATION:
        return {"counts": reactions.Counts()}
    return {"counts": reactions.for_article(article.pk)}


@register.simple_tag
def fediverse_reactions_for(articles):
    """{article pk: Counts} for a page of articles (the dashboard), in one query;
    None when federation is off (no column)."""
    if not settings.FEDERATION:
        return None
    return reactions.for_articles(article.pk for article in articles)


@register.filter
def reactions_of(counts_by_article: dict, pk):
    return counts_by_article.get(pk) or reactions.Counts()
