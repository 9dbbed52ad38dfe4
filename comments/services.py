"""Writes to comments. The views (and, later, moderation) call these functions."""

import hashlib

from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts import mentions
from articles.models import Article
from articles.sanitizer import plain_text_to_html
from caching import generations
from core import events, lookups, screening
from notifications import services as notification_services

from .models import (
    HIDE_REASON_MAX_LENGTH,
    MAX_DEPTH,
    MAX_LENGTH,
    PATH_DIGITS,
    Comment,
    CommentLike,
    CommentStatus,
)

FLOOD_SECONDS = 15
DUPLICATE_SECONDS = 5 * 60


class CommentRateLimited(Exception):
    """Too many comments too fast, or the same comment again: answer 429."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _duplicate_key(user, article: Article, body: str) -> str:
    normalised = " ".join(body.split()).casefold()
    digest = hashlib.sha256(normalised.encode()).hexdigest()[:32]
    return f"comment:dup:{user.pk}:{article.pk}:{digest}"


def _check_limits(user, article: Article, body: str) -> None:
    """Flood and duplicate control, kept in the shared cache so it holds across processes."""
    if user.is_staff:
        return
    if cache.get(_duplicate_key(user, article, body)):
        raise CommentRateLimited(_("You already posted this comment here a moment ago."))
    if not cache.add(f"comment:flood:{user.pk}", 1, timeout=FLOOD_SECONDS):
        raise CommentRateLimited(
            _("You are commenting too fast. Please wait %(seconds)s seconds and try again.")
            % {"seconds": FLOOD_SECONDS}
        )


def _validate_body(body: str) -> str:
    """The same rules as the form, for every caller of the services."""
    body = body.strip()
    if not body:
        raise ValidationError(_("Write something before sending."), code="required")
    if len(body) > MAX_LENGTH:
        raise ValidationError(
            _("A comment can be at most %(limit)s characters.") % {"limit": MAX_LENGTH},
            code="max_length",
        )
    return body


def _path_segment(pk: int) -> str:
    return str(pk).zfill(PATH_DIGITS)


def comment_event_recipients(comment: Comment) -> list:
    """Who should hear about a new comment: the article's author and, for a reply,
    the writer of the comment it answers; never the commenter.

    notifications.services.notify_comment records one event for each of them.
    """
    recipients = [comment.article.author]
    if comment.reply_to_id:
        recipients.append(comment.reply_to.author)
    unique = {person.pk: person for person in recipients if person.pk != comment.author_id}
    return list(unique.values())


@transaction.atomic
def post_comment(
    article: Article,
    *,
    author,
    body: str,
    reply_to: Comment | None = None,
    enforce_limits=True,
    screen: bool = True,
    form_seconds: float | None = None,
    honeypot_filled: bool = False,
    hold: screening.Hold | None = None,
) -> Comment:
    """Post a comment or a reply on a published article and count it.

    The screeners (core.screening, README "Trust and spam") look at it first: a
    hold stores it HELD, uncounted and untold, until a moderator releases it
    (release_held_comment); a limit raises screening.Refused (a ValidationError)
    and changes nothing. ``screen=False`` is for demo data. ``hold`` holds it
    whatever the screeners say (a reply from a silenced server, federation).
    """
    body = _validate_body(body)
    if not article.is_public:
        raise ValidationError(_("This article does not accept comments."))
    if reply_to is not None:
        if reply_to.article_id != article.pk:
            raise ValidationError(_("You can only reply to a comment on the same article."))
        if not reply_to.is_visible:
            raise ValidationError(_("This comment can no longer be replied to."))
    if enforce_limits:
        _check_limits(author, article, body)
    if screen and hold is None:
        hold = screening.screen(
            screening.Submission(
                kind=screening.COMMENT,
                author=author,
                title="",
                text=body,
                html=plain_text_to_html(body),
                form_seconds=form_seconds,
                honeypot_filled=honeypot_filled,
            )
        )

    if reply_to is None:
        parent, depth = None, 0
    elif reply_to.depth < MAX_DEPTH:
        parent, depth = reply_to, reply_to.depth + 1
    else:
        # Deepest level reached: attach beside the comment answered.
        parent, depth = reply_to.parent, reply_to.depth
    comment = Comment.objects.create(
        article=article,
        author=author,
        parent=parent,
        reply_to=reply_to,
        depth=depth,
        body=body,
        thread_id=parent.thread_id if parent else None,
        status=CommentStatus.HELD if hold else CommentStatus.VISIBLE,
    )
    comment.path = (
        f"{parent.path}/{_path_segment(comment.pk)}" if parent else _path_segment(comment.pk)
    )
    if parent is None:
        comment.thread_id = comment.pk
    comment.save(update_fields=["path", "thread"])
    if enforce_limits and not author.is_staff:
        cache.set(_duplicate_key(author, article, body), 1, timeout=DUPLICATE_SECONDS)
    if hold:
        screening.held(screening.COMMENT, comment.pk, hold)
        return comment
    Article.objects.filter(pk=article.pk).update(comment_count=F("comment_count") + 1)
    generations.bump(generations.article(article.pk))
    _announce(comment)
    return comment


def _announce(comment: Comment) -> None:
    notification_services.notify_comment(comment, recipients=comment_event_recipients(comment))
    _tell_mentioned(comment)
    events.emit(events.COMMENT_POSTED, comment_id=comment.pk, article_id=comment.article_id)


@transaction.atomic
def release_held_comment(comment: Comment) -> bool:
    """A moderator lets a held comment through: counted, shown and announced as
    if just posted. True if it was held."""
    if not _change_status(comment, allowed_from={CommentStatus.HELD}, to=CommentStatus.VISIBLE):
        return False
    _announce(comment)
    return True


def reject_held_comment(comment: Comment) -> bool:
    """A moderator keeps a held comment from the public: hidden, never deleted."""
    return _change_status(
        comment, allowed_from={CommentStatus.HELD}, to=CommentStatus.HIDDEN_BY_MODERATOR
    )


def edit_comment(comment: Comment, *, editor, body: str) -> Comment:
    """The writer changes their visible comment; it then shows as edited."""
    if editor.pk != comment.author_id:
        raise PermissionDenied
    if not comment.is_visible:
        raise ValidationError(_("This comment can no longer be edited."))
    comment.body = _validate_body(body)
    comment.edited_at = timezone.now()
    comment.save(update_fields=["body", "edited_at"])
    generations.bump(generations.article(comment.article_id))
    _tell_mentioned(comment)  # those named for the first time in this edit
    return comment


def _tell_mentioned(comment: Comment) -> None:
    """The people the comment names with @username (README, "Mentions")."""
    if comment.is_visible and comment.article.is_public:
        notification_services.notify_mentions(
            people=mentions.mentioned_user_ids(comment.body),
            actor_id=comment.author_id,
            article_id=comment.article_id,
            comment_id=comment.pk,
        )


# Likes


# The most ids one status request may ask about (a page of threads).
LIKE_STATUS_LIMIT = 200


def like_comment(comment: Comment, *, reader) -> bool:
    """The reader likes a visible comment (not their own), once; True if it is new.
    The count moves with the row in one transaction, so it never drifts."""
    if reader.pk == comment.author_id:
        raise ValidationError(_("You cannot like your own comment."))
    if not comment.is_visible:
        raise ValidationError(_("This comment can no longer be liked."))
    try:
        with transaction.atomic():
            CommentLike.objects.create(reader=reader, comment=comment)
            Comment.objects.filter(pk=comment.pk).update(like_count=F("like_count") + 1)
    except IntegrityError:
        return False
    generations.bump(generations.article(comment.article_id))
    comment.refresh_from_db(fields=["like_count"])
    notification_services.notify_comment_liked(comment, by=reader)
    return True


def unlike_comment(comment: Comment, *, reader) -> bool:
    """The reader takes their like back; True if there was one."""
    with transaction.atomic():
        deleted, _ = CommentLike.objects.filter(reader=reader, comment=comment).delete()
        if deleted:
            Comment.objects.filter(pk=comment.pk, like_count__gt=0).update(
                like_count=F("like_count") - 1
            )
    if not deleted:
        return False
    generations.bump(generations.article(comment.article_id))
    comment.refresh_from_db(fields=["like_count"])
    if comment.like_count == 0:
        notification_services.withdraw_comment_likes(comment)
    return True


def withdraw_likes_of(reader) -> int:
    """Take back every like the reader gave (account deletion), each count kept right."""
    withdrawn = 0
    for comment in Comment.objects.filter(likes__reader=reader).order_by("pk"):
        withdrawn += unlike_comment(comment, reader=reader)
    return withdrawn


def liked_among(reader, comment_ids) -> list[int]:
    """Which of these comments (at most LIKE_STATUS_LIMIT) the reader liked."""
    rows = CommentLike.objects.filter(reader=reader)
    return lookups.among(rows, "comment_id", comment_ids, limit=LIKE_STATUS_LIMIT)


@transaction.atomic
def _change_status(comment: Comment, *, allowed_from: set[str], to: str) -> bool:
    """Move a comment between statuses exactly once, keeping the article's count right.

    The conditional UPDATE makes concurrent requests race safely: only the one
    that changes the row adjusts the count.
    """
    for previous in sorted(allowed_from):
        if Comment.objects.filter(pk=comment.pk, status=previous).update(
            status=to, status_changed_at=timezone.now()
        ):
            break
    else:
        return False
    delta = (to == CommentStatus.VISIBLE) - (previous == CommentStatus.VISIBLE)
    if delta:
        Article.objects.filter(pk=comment.article_id).update(
            comment_count=F("comment_count") + delta
        )
    generations.bump(generations.article(comment.article_id))
    if previous == CommentStatus.VISIBLE:
        # Hidden or deleted: nobody is told about it any more.
        notification_services.withdraw_about_comment(comment)
        # Gone from readers' view, by whoever's hand: "comment.hidden" for webhooks
        # (core/events.py).
        events.emit(events.COMMENT_HIDDEN, comment_id=comment.pk, article_id=comment.article_id)
    elif to == CommentStatus.VISIBLE and previous != CommentStatus.HELD:
        # Shown again after a hide: copies elsewhere (federation) may follow.
        events.emit(
            events.COMMENT_SHOWN_AGAIN, comment_id=comment.pk, article_id=comment.article_id
        )
    comment.refresh_from_db(fields=["status", "status_changed_at"])
    return True


def delete_comment(comment: Comment, *, by) -> bool:
    """The writer removes their comment. The row stays; the thread shows a placeholder."""
    if by.pk != comment.author_id:
        raise PermissionDenied
    return _change_status(comment, allowed_from={CommentStatus.VISIBLE}, to=CommentStatus.DELETED)


def can_hide_as_article_author(user, comment: Comment) -> bool:
    return user.is_authenticated and (user.pk == comment.article.author_id or user.is_staff)


def hide_comment_as_author(comment: Comment, *, by, reason: str = "") -> bool:
    """The article's author (or staff) hides a comment on their article, with an
    optional reason; its writer is told (with the reason) and may contest it.

    The author keeps seeing it as a placeholder with "show again"."""
    if not can_hide_as_article_author(by, comment):
        raise PermissionDenied
    reason = " ".join(reason.split())
    if len(reason) > HIDE_REASON_MAX_LENGTH:
        raise ValidationError(
            _("A reason can be at most %(limit)s characters.") % {"limit": HIDE_REASON_MAX_LENGTH},
            code="max_length",
        )
    with transaction.atomic():
        changed = _change_status(
            comment, allowed_from={CommentStatus.VISIBLE}, to=CommentStatus.HIDDEN_BY_AUTHOR
        )
        if changed:
            Comment.objects.filter(pk=comment.pk).update(hidden_reason=reason)
            comment.hidden_reason = reason
            notification_services.notify_comment_hidden(comment, by=by)
    return changed


def unhide_comment_as_author(comment: Comment, *, by) -> bool:
    """The article's author shows again a comment they hid."""
    if not can_hide_as_article_author(by, comment):
        raise PermissionDenied
    with transaction.atomic():
        changed = _change_status(
            comment, allowed_from={CommentStatus.HIDDEN_BY_AUTHOR}, to=CommentStatus.VISIBLE
        )
        if changed:
            Comment.objects.filter(pk=comment.pk).update(hidden_reason="")
            comment.hidden_reason = ""
            notification_services.withdraw_comment_hidden(comment)
    return changed


def hide_comment_as_moderator(comment: Comment) -> bool:
    """A moderator hides a comment (the moderation app records who and why)."""
    return _change_status(
        comment,
        allowed_from={CommentStatus.VISIBLE, CommentStatus.HIDDEN_BY_AUTHOR},
        to=CommentStatus.HIDDEN_BY_MODERATOR,
    )


def restore_comment_as_moderator(comment: Comment) -> bool:
    """A moderator brings back a comment they hid."""
    return _change_status(
        comment, allowed_from={CommentStatus.HIDDEN_BY_MODERATOR}, to=CommentStatus.VISIBLE
    )


def erase_comment(comment: Comment) -> Comment:
    """Remove a comment's text for good (its writer deleted their account and chose
    to remove their writing): it is deleted as its writer would delete it (a
    placeholder while replies hang below) and its text is gone. Moderation keeps
    the report's own snapshot as evidence."""
    _change_status(
        comment,
        allowed_from={
            CommentStatus.VISIBLE,
            CommentStatus.HIDDEN_BY_AUTHOR,
            CommentStatus.HIDDEN_BY_MODERATOR,
        },
        to=CommentStatus.DELETED,
    )
    Comment.objects.filter(pk=comment.pk).update(body="", body_html="", hidden_reason="")
    comment.body = comment.body_html = comment.hidden_reason = ""
    generations.bump(generations.article(comment.article_id))
    return comment
