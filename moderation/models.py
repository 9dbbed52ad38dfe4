"""Reports from readers, the case each reported target becomes, and the audit trail.

A report is about exactly one thing: an article, a comment or an account. Every
reported thing has one ``Case`` that carries the numbers the moderation queue
sorts on, so the queue is one row per target whatever the number of reports.
Every moderator decision (and the automatic hide) is one ``ModerationAction``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

DETAILS_MAX_LENGTH = 1000
REASON_MAX_LENGTH = 2000


class Reason(models.TextChoices):
    """The house rules a reader can point at, ordered as the report form lists them."""

    SARA = "sara", _("SARA or hate speech")
    HOAX = "hoax", _("Hoax or slander")
    PORNOGRAPHY = "pornography", _("Pornography")
    GAMBLING = "gambling", _("Gambling")
    PLAGIARISM = "plagiarism", _("Plagiarism or copyright")
    SPAM = "spam", _("Spam")
    HARASSMENT = "harassment", _("Harassment or bullying")
    IMPERSONATION = "impersonation", _("Fake account or impersonation")
    PERSONAL_DATA = "personal_data", _("Personal data exposed")
    OTHER = "other", _("Other")


# How much harm a breach of the rule does, highest first in the queue. Content
# that endangers people (hate speech, sexual content, doxxing) outranks content
# that is merely unwanted (spam).
SEVERITY = {
    Reason.SARA: 5,
    Reason.PORNOGRAPHY: 5,
    Reason.PERSONAL_DATA: 5,
    Reason.HARASSMENT: 4,
    Reason.HOAX: 4,
    Reason.GAMBLING: 3,
    Reason.IMPERSONATION: 3,
    Reason.PLAGIARISM: 2,
    Reason.SPAM: 1,
    Reason.OTHER: 1,
}


class TargetType(models.TextChoices):
    ARTICLE = "article", _("Article")
    COMMENT = "comment", _("Comment")
    ACCOUNT = "account", _("Account")


def _exactly_one_target(*, with_type: bool) -> Q:
    """One of article / comment / account is set, the other two are not."""
    options = []
    for kind in TargetType.values:
        condition = Q(**{f"{name}__isnull": name != kind for name in TargetType.values})
        if with_type:
            condition &= Q(target_type=kind)
        options.append(condition)
    result = options[0]
    for option in options[1:]:
        result |= option
    return result


class ReportedTarget(models.Model):
    """The reported thing, whichever of the three foreign keys holds it.

    Abstract and field-less, so migrations never refer to it.
    """

    class Meta:
        abstract = True

    @property
    def target(self):
        return self.article or self.comment or self.account

    @property
    def target_kind(self) -> str:
        if self.article_id:
            return TargetType.ARTICLE
        if self.comment_id:
            return TargetType.COMMENT
        return TargetType.ACCOUNT


class CaseQuerySet(models.QuerySet):
    def needing_review(self):
        """What the queue opens on: reported cases and posts held by the spam rules."""
        return self.filter(status__in=Case.QUEUE_STATUSES)

    def for_queue(self):
        """Cases as the queue lists them: targets and owner joined, article bodies left behind."""
        return self.select_related("article", "comment", "account", "owner").defer(
            "article__body", "article__body_html", "comment__body_html"
        )

    def by_urgency(self):
        """Most reporters first, then the worst rule broken, then the longest waiting.

        Closed cases have no open reports, so they sink below every open one.
        """
        return self.order_by("-reporter_count", "-max_severity", "first_reported_at", "pk")


class Case(ReportedTarget):
    """Everything the moderators know about one reported target.

    The counters describe the *open* reports only and are recomputed (under a
    row lock) whenever a report arrives or an action resolves reports, so the
    queue sorts and filters on plain columns instead of aggregating reports.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("Needs review")
        AUTO_HIDDEN = "auto_hidden", _("Hidden automatically, needs review")
        CLOSED = "closed", _("Closed")
        # A post the spam rules held before anyone saw it (the trust app's
        # HeldItem says why): released or rejected from the queue.
        HELD = "held", _("Held by the spam rules, needs review")

    REVIEW_STATUSES = (Status.OPEN, Status.AUTO_HIDDEN)
    QUEUE_STATUSES = (Status.OPEN, Status.AUTO_HIDDEN, Status.HELD)

    target_type = models.CharField(_("type"), max_length=16, choices=TargetType)
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moderation_cases",
    )
    comment = models.ForeignKey(
        "comments.Comment",
        verbose_name=_("comment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moderation_cases",
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moderation_cases",
    )
    # Whose content it is: the article's or comment's writer, or the account
    # itself. Warnings and suspensions apply to this person, and the author's
    # history on the case page is every action on cases they own.
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="owned_moderation_cases",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.OPEN, db_index=True
    )
    open_report_count = models.PositiveIntegerField(_("open reports"), default=0)
    reporter_count = models.PositiveIntegerField(_("reporters"), default=0)
    # Reporters whose accounts are older than MODERATION_AUTO_HIDE_MIN_ACCOUNT_AGE_DAYS:
    # only they count towards hiding the target automatically.
    established_reporter_count = models.PositiveIntegerField(_("established reporters"), default=0)
    max_severity = models.PositiveSmallIntegerField(_("severity"), default=0)
    first_reported_at = models.DateTimeField(_("first reported"), null=True, blank=True)
    last_reported_at = models.DateTimeField(_("last reported"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = CaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("reported case")
        verbose_name_plural = _("reported cases")
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one_target(with_type=True),
                name="moderation_case_exactly_one_target",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["open", "auto_hidden", "closed", "held"]),
                name="moderation_case_status_valid",
            ),
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(article__isnull=False),
                name="moderation_case_article",
            ),
            models.UniqueConstraint(
                fields=["comment"],
                condition=Q(comment__isnull=False),
                name="moderation_case_comment",
            ),
            models.UniqueConstraint(
                fields=["account"],
                condition=Q(account__isnull=False),
                name="moderation_case_account",
            ),
        ]
        indexes = [
            # The queue: open cases by urgency.
            models.Index(
                fields=["-reporter_count", "-max_severity", "first_reported_at", "id"],
                name="moderation_case_urgency",
            ),
        ]

    def __str__(self):
        return f"{self.get_target_type_display()}: {self.target_label}"

    def get_absolute_url(self):
        return reverse("admin:moderation_case_change", args=[self.pk])

    @property
    def target_label(self) -> str:
        if self.target_type == TargetType.ARTICLE:
            return self.article.title
        if self.target_type == TargetType.COMMENT:
            return Truncator(self.comment.body).chars(80)
        return self.account.name

    @property
    def needs_review(self) -> bool:
        return self.status in self.QUEUE_STATUSES

    @property
    def target_is_hidden(self) -> bool:
        """Hidden by moderation (by hand or automatically)."""
        if self.target_type == TargetType.ARTICLE:
            return self.article.status == "hidden"
        if self.target_type == TargetType.COMMENT:
            return self.comment.status == "hidden_moderator"
        return False

    @property
    def target_is_public(self) -> bool:
        if self.target_type == TargetType.ARTICLE:
            return self.article.status == "published"
        if self.target_type == TargetType.COMMENT:
            return self.comment.status == "visible"
        return self.account.is_active


# Copies of reported files (moderation.services._evidence_copy):
# "evidence/<random>/<the original name>".
EVIDENCE_FOLDER = "evidence"


def evidence_source(name: str) -> str:
    """The original file name an evidence copy was made from (the name itself if not a copy)."""
    folder, _, rest = name.partition("/")
    if folder != EVIDENCE_FOLDER:
        return name
    return rest.partition("/")[2]


class ReportQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status__in=Report.OPEN_STATUSES)

    def for_reporter(self, user):
        """The reporter's own reports for Laporan Saya, newest first, with their outcome."""
        return (
            self.filter(reporter=user)
            .select_related("article", "account", "resolved_by")
            .defer("article__body", "article__body_html", "snapshot_html", "snapshot_bio")
            .order_by("-created_at", "-pk")
        )


class Report(ReportedTarget):
    """One reader's report about one article, comment or account.

    The ``snapshot_*`` fields keep what the reporter saw when reporting, so the
    evidence survives the author editing or deleting the content afterwards.
    """

    Reason = Reason

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        UNDER_REVIEW = "under_review", _("Under review")
        ACTION_TAKEN = "action_taken", _("Action taken")
        DISMISSED = "dismissed", _("Dismissed")

    OPEN_STATUSES = (Status.RECEIVED, Status.UNDER_REVIEW)

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="reports"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reporter"),
        on_delete=models.PROTECT,
        related_name="moderation_reports",
    )
    article = models.ForeignKey(
        "articles.Article",
        verbose_name=_("article"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moderation_reports",
    )
    comment = models.ForeignKey(
        "comments.Comment",
        verbose_name=_("comment"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moderation_reports",
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moderation_reports_about",
    )
    reason = models.CharField(_("reason"), max_length=20, choices=Reason)
    severity = models.PositiveSmallIntegerField(_("severity"), editable=False)
    details = models.TextField(_("details"), max_length=DETAILS_MAX_LENGTH, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.RECEIVED)
    created_at = models.DateTimeField(_("reported"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        "ModerationAction",
        verbose_name=_("resolved by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resolved_reports",
    )

    # Evidence: what the reporter saw. An article's title and sanitised body
    # (copied from body_html, never sanitised twice), a comment's text, or an
    # account's public profile; files (cover, avatar) as the name of a copy kept
    # under EVIDENCE_FOLDER.
    snapshot_title = models.CharField(_("title when reported"), max_length=200, blank=True)
    snapshot_html = models.TextField(_("article body when reported"), blank=True)
    snapshot_text = models.TextField(_("comment when reported"), blank=True)
    snapshot_display_name = models.CharField(
        _("display name when reported"), max_length=80, blank=True
    )
    snapshot_tagline = models.CharField(_("tagline when reported"), max_length=140, blank=True)
    snapshot_bio = models.TextField(_("bio when reported"), blank=True)
    snapshot_avatar = models.CharField(_("avatar when reported"), max_length=255, blank=True)
    snapshot_cover = models.CharField(_("cover image when reported"), max_length=255, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.CheckConstraint(
                condition=_exactly_one_target(with_type=False),
                name="moderation_report_exactly_one_target",
            ),
            models.CheckConstraint(
                condition=Q(reason__in=Reason.values), name="moderation_report_reason_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["received", "under_review", "action_taken", "dismissed"]),
                name="moderation_report_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(reason="other") | ~Q(details=""),
                name="moderation_report_other_has_details",
            ),
            # One open report per reporter per target: a second attempt while
            # the first is still open is "already reported".
            models.UniqueConstraint(
                fields=["reporter", "article"],
                condition=Q(article__isnull=False, status__in=["received", "under_review"]),
                name="moderation_report_one_open_per_article",
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(comment__isnull=False, status__in=["received", "under_review"]),
                name="moderation_report_one_open_per_comment",
            ),
            models.UniqueConstraint(
                fields=["reporter", "account"],
                condition=Q(account__isnull=False, status__in=["received", "under_review"]),
                name="moderation_report_one_open_per_account",
            ),
        ]
        indexes = [
            # The reports of a case, oldest first (case page, counters).
            models.Index(fields=["case", "status", "created_at"], name="moderation_report_case"),
            # Laporan Saya: a reporter's reports, newest first.
            models.Index(fields=["reporter", "-created_at"], name="moderation_report_reporter"),
        ]

    def __str__(self):
        return f"{self.get_reason_display()} ({self.reporter})"

    def save(self, *args, **kwargs):
        self.severity = SEVERITY.get(self.reason, 0)  # an unknown reason fails its constraint
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("moderation:my_reports")

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def snapshot_label(self) -> str:
        """What the reporter reported, as they saw it."""
        if self.article_id:
            return self.snapshot_title
        if self.comment_id:
            return Truncator(self.snapshot_text).chars(80)
        return self.snapshot_display_name


class ModerationActionQuerySet(models.QuerySet):
    def about_owner(self, user):
        """Decisions about a person's content or account, newest first (author history)."""
        return (
            self.filter(case__owner=user)
            .exclude(kind=ModerationAction.Kind.REVIEW)
            .select_related("case__article", "case__comment", "case__account", "moderator")
            .defer("case__article__body", "case__article__body_html")
            .order_by("-created_at", "-pk")
        )

    def notices_for(self, user):
        """What the author is told about: decisions that changed their content or account."""
        return self.about_owner(user).filter(kind__in=ModerationAction.NOTICE_KINDS)


class ModerationAction(models.Model):
    """The audit record: one row per moderation action, never changed afterwards."""

    class Kind(models.TextChoices):
        REVIEW = "review", _("Review started")
        AUTO_HIDE = "auto_hide", _("Hidden automatically")
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Restored")
        DISMISS = "dismiss", _("Reports dismissed")
        WARN = "warn", _("Account warned")
        SUSPEND = "suspend", _("Account suspended")
        LIFT_SUSPENSION = "lift_suspension", _("Suspension lifted")
        # Decisions on a post the spam rules held (they teach the classifier).
        RELEASE = "release", _("Released after review")
        REJECT = "reject", _("Rejected after review")

    # Kinds the content's author hears about (dashboard and email).
    NOTICE_KINDS = (
        Kind.AUTO_HIDE,
        Kind.HIDE,
        Kind.RESTORE,
        Kind.WARN,
        Kind.SUSPEND,
        Kind.LIFT_SUSPENSION,
    )
    # Kinds a moderator must give a public reason for.
    DECISION_KINDS = (
        Kind.HIDE,
        Kind.RESTORE,
        Kind.DISMISS,
        Kind.WARN,
        Kind.SUSPEND,
        Kind.LIFT_SUSPENSION,
        Kind.REJECT,
    )

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="actions"
    )
    kind = models.CharField(_("action"), max_length=20, choices=Kind)
    # Empty for what the system did by itself (the automatic hide).
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="moderation_actions",
    )
    created_at = models.DateTimeField(_("when"), auto_now_add=True)
    rule = models.CharField(_("rule broken"), max_length=20, choices=Reason, blank=True)
    public_reason = models.TextField(
        _("public reason"),
        max_length=REASON_MAX_LENGTH,
        blank=True,
        help_text=_("Shown to the reporters and to the author."),
    )
    internal_reason = models.TextField(
        _("internal note"),
        max_length=REASON_MAX_LENGTH,
        blank=True,
        help_text=_("Seen by moderators only."),
    )
    suspended_until = models.DateTimeField(
        _("suspended until"),
        null=True,
        blank=True,
        help_text=_("Empty for an indefinite suspension."),
    )
    # A hide taken before the author's right-of-reply wait ended (README,
    # "People's rights"): why it could not wait, as the moderator recorded it.
    urgent_reason = models.TextField(
        _("urgent: why it could not wait"), max_length=REASON_MAX_LENGTH, blank=True
    )

    objects = ModerationActionQuerySet.as_manager()

    class Meta:
        verbose_name = _("moderation action")
        verbose_name_plural = _("moderation actions")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    kind__in=[
                        "review",
                        "auto_hide",
                        "hide",
                        "restore",
                        "dismiss",
                        "warn",
                        "suspend",
                        "lift_suspension",
                        "release",
                        "reject",
                    ]
                ),
                name="moderation_moderationaction_kind_valid",
            ),
            models.CheckConstraint(
                condition=Q(rule="") | Q(rule__in=Reason.values),
                name="moderation_moderationaction_rule_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind="auto_hide") | Q(moderator__isnull=False),
                name="moderation_moderationaction_has_moderator",
            ),
            models.CheckConstraint(
                condition=~Q(
                    kind__in=[
                        "hide",
                        "restore",
                        "dismiss",
                        "warn",
                        "suspend",
                        "lift_suspension",
                        "reject",
                    ]
                )
                | ~Q(public_reason=""),
                name="moderation_moderationaction_decision_has_reason",
            ),
        ]
        indexes = [
            # The case page's timeline, and the hidden-article notice (latest hide).
            models.Index(fields=["case", "-created_at"], name="moderation_action_case"),
        ]

    def __str__(self):
        when = timezone.localtime(self.created_at)
        return f"{self.get_kind_display()} · {when:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("admin:moderation_moderationaction_change", args=[self.pk])

    @property
    def is_automatic(self) -> bool:
        return self.moderator_id is None
