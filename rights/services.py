"""Writes of the rights app. It changes the lower apps' rows only through their
services (README, "People's rights")."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from comments.models import Comment, CommentStatus
from moderation import services as moderation_services
from moderation.models import DETAILS_MAX_LENGTH, Reason, Report


def contest_comment_hide(comment: Comment, *, by, details: str) -> Report:
    """The commenter reports the article's author for abusing the hide of their
    comment: a report on the author's account, reason "Other", whose details name
    the comment, so it reaches the moderation queue like any report.

    Raises moderation's errors (already reported, rate limited) unchanged.
    """
    if comment.author_id != by.pk or comment.status != CommentStatus.HIDDEN_BY_AUTHOR:
        raise ValidationError(_("Only a comment the article's author hid can be contested."))
    details = details.strip()
    if not details:
        raise ValidationError(_("Tell the moderators what happened."), code="required")
    # The moderators read the queue in the site's language.
    with translation.override(settings.LANGUAGE_CODE):
        heading = _(
            "Abuse of hiding: the author hid comment #%(pk)s on their article “%(title)s”."
        ) % {"pk": comment.pk, "title": comment.article.title}
        if comment.hidden_reason:
            heading += " " + _("Their reason: %(reason)s") % {"reason": comment.hidden_reason}
    return moderation_services.report_account(
        comment.article.author,
        reporter=by,
        reason=Reason.OTHER,
        # The comment and reason first, shortened if need be; the commenter's words whole.
        details=f"{heading[: max(0, DETAILS_MAX_LENGTH - len(details) - 2)]}\n\n{details}"[
            :DETAILS_MAX_LENGTH
        ],
    )
