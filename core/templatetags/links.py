"""``{% link "comments:like" comment.pk %}`` and ``{% link "comments:like_status" %}``:
``{% url %}`` for a view of one key or of none, without ``reverse()`` each time
(core.links)."""

from django import template

from core import links

register = template.Library()


@register.simple_tag
def link(name: str, pk=None) -> str:
    return links.url(name) if pk is None else links.pk_url(name, pk)
