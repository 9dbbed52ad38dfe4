"""Rights parts that lower apps' pages compose in their templates (as the
article page loads comment_tags): the author's reply on the moderation case page,
the legal orders due atop the moderation queue, and a withheld article's notice."""

from django import template
from django.utils import timezone

from ..models import GovernmentOrder, OrderTarget, RightOfReply

register = template.Library()


@register.inclusion_tag("rights/includes/case_reply.html")
def right_of_reply(case):
    """The author's side, or how long the moderators should wait for it."""
    invitation = RightOfReply.objects.filter(case_id=case.pk).first()
    return {"invitation": invitation, "case": case, "now": timezone.now()}


@register.inclusion_tag("rights/includes/withheld_notice.html")
def withheld_notice(article, *, is_author=False):
    """Why a withheld article's page answers 451: the order that took it down."""
    target = (
        OrderTarget.objects.filter(article_id=article.pk, order__kind=GovernmentOrder.Kind.TAKEDOWN)
        .select_related("order")
        .order_by("-order__closed_at", "-pk")
        .first()
    )
    return {"order": target.order if target else None, "is_author": is_author}
