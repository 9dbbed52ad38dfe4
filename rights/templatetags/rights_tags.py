"""Rights parts that lower apps' pages compose in their templates (as the
article page loads comment_tags): the author's reply on the moderation case page,
the legal orders due atop the moderation queue, and a withheld article's notice."""

from django import template
from django.utils import timezone

from ..models import ORDER_DUE_SOON, GovernmentOrder, OrderTarget, RightOfReply

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


ORDERS_SHOWN = 10


@register.inclusion_tag("rights/includes/orders_due.html")
def orders_due():
    """Atop the moderation queue: open legal orders that are overdue or due within
    ORDER_DUE_SOON, soonest first, each with its countdown (index rights_order_due)."""
    from ..admin import _hours_left

    now = timezone.now()
    due = GovernmentOrder.objects.filter(
        status=GovernmentOrder.Status.OPEN, due_at__lt=now + ORDER_DUE_SOON
    ).order_by("due_at", "pk")
    shown = list(due[: ORDERS_SHOWN + 1])
    return {
        "orders": [
            (order, order.due_at < now, _hours_left(order.due_at)) for order in shown[:ORDERS_SHOWN]
        ],
        "more": len(shown) > ORDERS_SHOWN,
        "soon_hours": int(ORDER_DUE_SOON.total_seconds() // 3600),
    }
