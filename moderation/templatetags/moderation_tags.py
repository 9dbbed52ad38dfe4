"""Moderation parts that lower apps' pages compose in their templates.

``articles`` never imports moderation; its templates load these tags instead,
as the article page loads ``comment_tags``.
"""

from django import template

from ..models import ModerationAction

register = template.Library()

NOTICES_SHOWN = 10


@register.inclusion_tag("moderation/notices.html")
def moderation_notices(user):
    """The author's dashboard: what moderators did to their content or account, and why."""
    notices = []
    if user.is_authenticated:
        notices = list(ModerationAction.objects.notices_for(user)[:NOTICES_SHOWN])
    return {"notices": notices}


@register.inclusion_tag("moderation/hidden_notice.html")
def hidden_article_notice(article):
    """The public notice on a hidden article's page: which rule, and the moderator's reason."""
    action = (
        ModerationAction.objects.filter(
            case__article=article,
            kind__in=[ModerationAction.Kind.HIDE, ModerationAction.Kind.AUTO_HIDE],
        )
        .order_by("-created_at", "-pk")
        .first()
    )
    return {"action": action, "article": article}
