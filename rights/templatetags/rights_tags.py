"""Rights parts that lower apps' pages compose in their templates (as the
article page loads comment_tags): the author's reply on the moderation case page."""

from django import template
from django.utils import timezone

from ..models import RightOfReply

register = template.Library()


@register.inclusion_tag("rights/includes/case_reply.html")
def right_of_reply(case):
    """The author's side, or how long the moderators should wait for it."""
    invitation = RightOfReply.objects.filter(case_id=case.pk).first()
    return {"invitation": invitation, "case": case, "now": timezone.now()}
