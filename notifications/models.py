"""Notifications: what happened to a person's comments, articles, follows and reports.

Where this app sits: every other app's services call ``notifications.services``
(a comment, a publication, a follow, a moderation outcome), so this app imports
none of theirs. Its rows point at their rows through lazy foreign keys
("articles.Article", ...), which ties the migrations together but not the code:
the dependency arrow for imports still points one way, towards this app.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    REPLY = "reply", _("Replies to my comments")
    COMMENT = "comment", _("Comments on my articles")
    NEW_ARTICLE = "new_article", _("New articles from writers I follow")
    FOLLOWER = "follower", _("New followers")
    REPORT_OUTCOME = "report_outcome", _("Decisions on my reports")
    MODERATION = "moderation", _("Moderators' decisions about my content or account")
    # A post held by the spam rules (trust app) was released or rejected.
    REVIEW_RELEASED = "review_released", _("My post passed review")
    REVIEW_REJECTED = "review_rejected", _("My post was not published after review")
    COMMENT_HIDDEN = "comment_hidden", _("My comments hidden by an article's author")
    MENTION = "mention", _("Mentions of me")
    # One per comment, brought back to the top by each new like (services.notify_comment_liked).
    COMMENT_LIKE = "comment_like", _("Likes of my comments")


# Kinds about a piece of content that can later be hidden or removed: they are
# withdrawn when it is (services.withdraw_about_article / _comment).
CONTENT_KINDS = (
    NotificationKind.REPLY,
    NotificationKind.COMMENT,
    NotificationKind.NEW_ARTICLE,
    NotificationKind.MENTION,
    NotificationKind.COMMENT_LIKE,
)


# Kinds that lead to their comment.
COMMENT_TARGET_KINDS = (
    NotificationKind.REPLY,
    NotificationKind.COMMENT,
    NotificationKind.MENTION,
    NotificationKind.COMMENT_LIKE,
)

# Kinds that lead to their article.
ARTICLE_TARGET_KINDS = (NotificationKind.NEW_ARTICLE, NotificationKind.MENTION)


class EmailState(models.TextChoices):
    # Not emailed: the recipient does not want this kind by email, or another
    # mail already told them (the moderation notice).
    SKIPPED = "skipped", _("Not emailed")
    PENDING = "pending", _("Waiting for the next email")
    SENT = "sent", _("Emailed")


class NotificationQuerySet(models.QuerySet):
    def for_recipient(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)

    def for_page(self):
        """Newest first, with everything the list shows joined (long bodies left behind)."""
        return (
            self.select_related(
                "actor",
                "article",
                "comment",
                "report",
                "action__case__article",
                "action__case__comment",
            )
            .defer(
                "article__body",
                "article__body_html",
                "article__search_document",
                "article__search_body_terms",
                "article__search_vector",
                "report__snapshot_html",
                "report__snapshot_bio",
                "action__case__article__body",
                "action__case__article__body_html",
                "action__case__article__search_document",
                "action__case__article__search_body_terms",
                "action__case__article__search_vector",
            )
            .order_by("-created_at", "-pk")
        )


class Notification(models.Model):
    """One event for one person. Never about oneself; never about hidden content."""

    Kind = NotificationKind
    EmailState = EmailState

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    # Who caused it: the commenter, the writer, the new follower. Empty for
    # moderation: readers are not told which moderator decided.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=20, choices=NotificationKind)
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    comment = models.ForeignKey(
        "comments.Comment",
        verbose_name=_("comment"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    report = models.ForeignKey(
        "moderation.Report",
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.ForeignKey(
        "moderation.ModerationAction",
        verbose_name=_("moderation action"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    email_state = models.CharField(
        _("email"), max_length=10, choices=EmailState, default=EmailState.SKIPPED
    )
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=NotificationKind.values),
                name="notifications_notification_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(email_state__in=EmailState.values),
                name="notifications_notification_email_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(actor__isnull=True) | ~Q(actor=models.F("recipient")),
                name="notifications_notification_not_to_oneself",
            ),
            # Each event is announced once to each person, however often the
            # service runs (a republished article, a re-follow, a retried task);
            # the services insert with ignore_conflicts against these.
            models.UniqueConstraint(
                fields=["recipient", "comment"],
                condition=Q(kind__in=["reply", "comment"]),
                name="notifications_notification_once_per_comment",
            ),
            models.UniqueConstraint(
                fields=["recipient", "article"],
                condition=Q(kind="new_article"),
                name="notifications_notification_once_per_article",
            ),
            models.UniqueConstraint(
                fields=["recipient", "comment", "kind"],
                condition=Q(kind__in=["mention", "comment_like"]),
                name="notifications_once_per_comment_kind",
            ),
            models.UniqueConstraint(
                fields=["recipient", "article"],
                condition=Q(kind="mention", comment__isnull=True),
                name="notifications_mention_once_per_article",
            ),
            models.UniqueConstraint(
                fields=["recipient", "actor"],
                condition=Q(kind="follower"),
                name="notifications_notification_once_per_follower",
            ),
            models.UniqueConstraint(
                fields=["recipient", "report"],
                condition=Q(kind="report_outcome"),
                name="notifications_notification_once_per_report",
            ),
            models.UniqueConstraint(
                fields=["recipient", "action"],
                condition=Q(kind="moderation"),
                name="notifications_notification_once_per_action",
            ),
        ]
        # Index names are capped at 30 characters: notifications_<purpose>.
        indexes = [
            # The bell (COUNT of a person's unread) and "mark all read".
            models.Index(
                fields=["recipient", "read_at", "-created_at"],
                name="notifications_unread",
            ),
            # The notifications page: a person's notifications, newest first.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notifications_page"),
            # The email task: a person's notifications waiting for an email (few rows).
            models.Index(
                fields=["recipient"],
                condition=Q(email_state="pending"),
                name="notifications_email_due",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"

    def get_absolute_url(self):
        return reverse("notifications:list")

    @property
    def target_url(self) -> str:
        """Where the notification leads: the comment, the article, the follower, the report."""
        if self.kind in COMMENT_TARGET_KINDS and self.comment_id:
            return self.comment.get_absolute_url()
        if (
            self.kind in (NotificationKind.NEW_ARTICLE, NotificationKind.MENTION)
            and self.article_id
        ):
            return self.article.get_absolute_url()
        if self.kind == NotificationKind.FOLLOWER and self.actor_id:
            return self.actor.get_absolute_url()
        if self.kind == NotificationKind.REPORT_OUTCOME:
            return reverse("moderation:my_reports")
        if self.kind == NotificationKind.COMMENT_HIDDEN and self.comment_id:
            return reverse("comments:hidden_notice", kwargs={"pk": self.comment_id})
        if self.kind == NotificationKind.MODERATION:
            return reverse("articles:dashboard")
        if self.kind == NotificationKind.REVIEW_RELEASED:
            return (self.comment or self.article).get_absolute_url()
        if self.kind == NotificationKind.REVIEW_REJECTED:
            return reverse("articles:dashboard")
        return reverse("notifications:list")

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class EmailPreference(models.Model):
    """Which kinds a person wants by email (all, until they say otherwise).

    One row per person, created the first time they get a notification or
    save the form. ``email_due_at`` is set while an email task for them is
    queued (when it will run): the first notification of a burst queues the
    task, the rest wait for it, so a burst becomes one email.

    Moderators' decisions about one's own content have no switch: the
    moderation app always emails that notice (the platform must be able to
    show it told the author).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_preference",
    )
    email_reply = models.BooleanField(_("Replies to my comments"), default=True)
    email_comment = models.BooleanField(_("Comments on my articles"), default=True)
    email_new_article = models.BooleanField(_("New articles from writers I follow"), default=True)
    email_follower = models.BooleanField(_("New followers"), default=True)
    email_report_outcome = models.BooleanField(_("Decisions on my reports"), default=True)
    email_mention = models.BooleanField(_("Mentions of me"), default=True)
    # Switched off, these kinds are not recorded at all (not only not emailed).
    notify_mention = models.BooleanField(_("Mentions of me"), default=True)
    notify_comment_like = models.BooleanField(_("Likes of my comments"), default=True)
    email_due_at = models.DateTimeField(_("next email"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("email preference")
        verbose_name_plural = _("email preferences")

    def __str__(self):
        return str(self.user)

    def get_absolute_url(self):
        return reverse("notifications:preferences")

    @staticmethod
    def field_for(kind: str) -> str | None:
        """The switch for a kind, or None for a kind that has none."""
        name = f"email_{kind}"
        return name if kind in EMAILED_KINDS else None

    def wants(self, kind: str) -> bool:
        field = self.field_for(kind)
        return bool(field and getattr(self, field))


# Kinds a person can choose to receive by email (EmailPreference switches).
EMAILED_KINDS = (
    NotificationKind.REPLY,
    NotificationKind.COMMENT,
    NotificationKind.NEW_ARTICLE,
    NotificationKind.FOLLOWER,
    NotificationKind.REPORT_OUTCOME,
    NotificationKind.MENTION,
)
# Kinds a person can switch off altogether (EmailPreference.notify_<kind>).
OPTIONAL_KINDS = (NotificationKind.MENTION, NotificationKind.COMMENT_LIKE)
