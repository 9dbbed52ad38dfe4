from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts import mentions
from articles.sanitizer import plain_text_to_html
from core import links, screening

# Replies nest visibly down to this depth (0 is a top-level comment); a reply
# to a comment at the deepest level becomes its sibling and names whom it answers.
MAX_DEPTH = 3
MAX_LENGTH = 5000
HIDE_REASON_MAX_LENGTH = 500
PATH_DIGITS = 12


class CommentStatus(models.TextChoices):
    VISIBLE = "visible", _("Visible")
    HIDDEN_BY_AUTHOR = "hidden_author", _("Hidden by the article's author")
    HIDDEN_BY_MODERATOR = "hidden_moderator", _("Hidden by a moderator")
    DELETED = "deleted", _("Deleted by its writer")
    # Held by the spam rules (core.screening, the trust app) until a moderator
    # releases it; shown to nobody, counted nowhere.
    HELD = "held", _("Waiting for review")


class CommentQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(status=CommentStatus.VISIBLE)

    def shown_top_level(self, article, *, for_article_author: bool = False):
        """Top-level comments that appear in the thread: visible ones, and removed
        ones that still have a visible reply (shown as a placeholder).

        For the article's author (and staff), the comments the author hid stay
        as placeholders too, with "show again", even without replies.
        """
        visible_reply = Comment.objects.filter(
            thread_id=OuterRef("pk"), status=CommentStatus.VISIBLE
        ).exclude(pk=OuterRef("pk"))
        shown = Q(status=CommentStatus.VISIBLE) | Exists(visible_reply)
        if for_article_author:
            shown |= Q(status=CommentStatus.HIDDEN_BY_AUTHOR)
        return self.filter(article=article, parent__isnull=True).filter(shown)

    def with_people(self):
        return self.select_related("author", "reply_to__author")


class Comment(models.Model):
    """A comment on an article, threaded by a materialised path.

    ``thread`` is the top-level comment of the thread (itself for a top-level
    comment) and ``path`` the zero-padded keys from the top down, so a page of
    threads loads in two queries, in order, whatever the depth: the top-level
    comments, then every reply of those threads ordered by path.
    """

    Status = CommentStatus

    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="comments",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("writer"),
        on_delete=models.PROTECT,
        related_name="comments",
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    reply_to = models.ForeignKey(
        "self",
        verbose_name=_("in reply to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    thread = models.ForeignKey(
        "self",
        verbose_name=_("thread"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    path = models.CharField(_("path"), max_length=(PATH_DIGITS + 1) * (MAX_DEPTH + 1))
    depth = models.PositiveSmallIntegerField(_("depth"), default=0)
    body = models.TextField(_("comment"), max_length=MAX_LENGTH)
    body_html = models.TextField(_("rendered comment"), editable=False)
    status = models.CharField(
        _("status"), max_length=20, choices=CommentStatus, default=CommentStatus.VISIBLE
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    # Why the article's author hid it (optional), told to the commenter.
    hidden_reason = models.CharField(
        _("reason for hiding"), max_length=HIDE_REASON_MAX_LENGTH, blank=True
    )
    # CommentLike rows, counted by services.like_comment / unlike_comment with F().
    like_count = models.PositiveIntegerField(_("likes"), default=0, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CommentStatus.values), name="comments_comment_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(depth__lte=MAX_DEPTH), name="comments_comment_depth_capped"
            ),
        ]
        indexes = [
            # Top-level comments of an article, oldest or newest first.
            models.Index(
                fields=["article", "parent", "created_at", "id"],
                name="comments_comment_top_level",
            ),
            # The replies of a page of threads, in thread order.
            models.Index(fields=["thread", "path"], name="comments_comment_thread_path"),
            # A writer's comments (profile, moderation history).
            models.Index(fields=["author", "-created_at"], name="comments_comment_author"),
        ]

    def __str__(self):
        return f"{self.author}: {self.body[:60]}"

    def save(self, *args, **kwargs):
        self.body_html = mentions.link(
            plain_text_to_html(self.body, trusted_links=screening.links_followed(self.author_id))
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "body" in update_fields:
            kwargs["update_fields"] = {*update_fields, "body_html"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return links.pk_url("comments:permalink", self.pk)

    @property
    def is_visible(self) -> bool:
        return self.status == CommentStatus.VISIBLE

    @property
    def anchor(self) -> str:
        return f"komentar-{self.pk}"


class CommentLike(models.Model):
    """A reader liking a comment, once (services.like_comment)."""

    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        on_delete=models.CASCADE,
        related_name="comment_likes",
    )
    comment = models.ForeignKey(
        Comment, verbose_name=_("comment"), on_delete=models.CASCADE, related_name="likes"
    )
    created_at = models.DateTimeField(_("liked"), auto_now_add=True)

    class Meta:
        verbose_name = _("comment like")
        verbose_name_plural = _("comment likes")
        constraints = [
            # Also the index of "which of these comments has this reader liked".
            models.UniqueConstraint(fields=["reader", "comment"], name="comments_like_once"),
        ]
        indexes = [models.Index(fields=["comment"], name="comments_like_comment")]

    def __str__(self):
        return f"{self.reader} ♥ {self.comment_id}"
