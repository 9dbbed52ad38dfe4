"""People's rights under UU PDP 27/2022: data exports (Data Saya), consent
switches with their history, and correction requests (README, "People's rights")."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# UU PDP art. 32-33 (access), 34 (correction): answered within 3x24 hours.
RESPONSE_DEADLINE = timedelta(hours=72)
CORRECTION_MAX_LENGTH = 2000


class DataExportQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user).order_by("-created_at", "-pk")

    def in_progress(self):
        return self.filter(status__in=DataExport.IN_PROGRESS)


class DataExport(models.Model):
    """One ZIP of everything the site holds about a person, built by the task worker."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        BUILDING = "building", _("Being built")
        READY = "ready", _("Ready to download")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    IN_PROGRESS = (Status.QUEUED, Status.BUILDING)

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="data_exports",
    )
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # Path in the private export storage (rights.exports.storage), never under MEDIA_ROOT.
    file_name = models.CharField(_("file"), max_length=255, blank=True, editable=False)
    size = models.PositiveBigIntegerField(_("size (bytes)"), default=0, editable=False)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("link valid until"), null=True, blank=True)
    # Who asked: the person, or staff for a subscriber-information export.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = DataExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("data export")
        verbose_name_plural = _("data exports")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["queued", "building", "ready", "failed", "expired"]),
                name="rights_dataexport_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="rights_dataexport_progress_capped"
            ),
        ]
        indexes = [
            # Data Saya: a person's exports, newest first.
            models.Index(fields=["user", "-created_at"], name="rights_dataexport_user"),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("rights:my_data")

    @property
    def is_downloadable(self) -> bool:
        return (
            self.status == self.Status.READY
            and self.expires_at is not None
            and self.expires_at > timezone.now()
        )


class ConsentPurpose(models.TextChoices):
    """Optional processing a person can agree to or withdraw (UU PDP art. 9, 20):
    the emails, whose switches live in notifications.EmailPreference (same names)."""

    EMAIL_REPLY = "email_reply", _("Emails: replies to my comments")
    EMAIL_COMMENT = "email_comment", _("Emails: comments on my articles")
    EMAIL_NEW_ARTICLE = "email_new_article", _("Emails: new articles from writers I follow")
    EMAIL_FOLLOWER = "email_follower", _("Emails: new followers")
    EMAIL_REPORT_OUTCOME = "email_report_outcome", _("Emails: decisions on my reports")


class ConsentChange(models.Model):
    """One change of one switch: the history is the table, the current state its latest row."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="consent_changes",
    )
    purpose = models.CharField(_("purpose"), max_length=32, choices=ConsentPurpose)
    granted = models.BooleanField(_("agreed"))
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent change")
        verbose_name_plural = _("consent changes")
        constraints = [
            models.CheckConstraint(
                condition=Q(purpose__in=ConsentPurpose.values),
                name="rights_consentchange_purpose_valid",
            ),
        ]
        indexes = [
            # A person's history, newest first (and the current state per purpose).
            models.Index(fields=["user", "-changed_at", "-id"], name="rights_consent_user"),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_purpose_display()} · {self.granted}"

    def get_absolute_url(self):
        return reverse("rights:my_data")


class CorrectionRequest(models.Model):
    """A request to correct what a person cannot edit themselves, due in 3x24 hours."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Corrected")
        REFUSED = "refused", _("Refused with a reason")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="correction_requests",
    )
    what = models.TextField(_("what is wrong and what is right"), max_length=CORRECTION_MAX_LENGTH)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)
    due_at = models.DateTimeField(_("due"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    answer = models.TextField(_("answer to the person"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("correction request")
        verbose_name_plural = _("correction requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "done", "refused"]),
                name="rights_correctionrequest_status_valid",
            ),
        ]
        indexes = [
            # The admin list: open requests, soonest due first.
            models.Index(fields=["status", "due_at"], name="rights_correction_due"),
            # Data Saya: a person's requests, newest first.
            models.Index(fields=["user", "-created_at"], name="rights_correction_user"),
        ]

    def __str__(self):
        return f"{self.user} · {self.created_at:%Y-%m-%d}"

    def get_absolute_url(self):
        return reverse("rights:my_data")

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_at < timezone.now()


class PersonalDataAccess(models.Model):
    """A staff member looked at a person's personal data (UU PDP art. 31: the
    record of processing). Shown to the person in their export, without the
    staff member's name, and to superusers in the admin."""

    class Kind(models.TextChoices):
        ADMIN_VIEW = "admin_view", _("Account opened in the admin")
        SUBSCRIBER_EXPORT = "subscriber_export", _("Subscriber information exported")

    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("whose data"),
        on_delete=models.CASCADE,
        related_name="personal_data_accesses",
    )
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff member"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    kind = models.CharField(_("what"), max_length=20, choices=Kind)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("personal data access")
        verbose_name_plural = _("personal data accesses")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["admin_view", "subscriber_export"]),
                name="rights_personaldataaccess_kind_valid",
            ),
        ]
        indexes = [
            # A person's log, oldest first (the export), and the admin's newest first.
            models.Index(fields=["subject", "created_at"], name="rights_access_subject"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} · {self.subject}"

    def get_absolute_url(self):
        return reverse("rights:my_data")


# UU PDP art. 43: erasure on request; the grace period lets a person change their mind.
DELETION_GRACE = timedelta(days=14)


class AccountDeletion(models.Model):
    """A person's request to delete their account, carried out after the grace period."""

    class Writing(models.TextChoices):
        REMOVE = "remove", _("Remove my articles and comments")
        KEEP = "keep", _("Keep them, signed “Akun dihapus”")

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled by signing in")
        DONE = "done", _("Carried out")

    # Kept after the removal (pointing at the anonymised row): the record that
    # the request was made and carried out, with no personal data in it.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="deletion_requests",
    )
    writing = models.CharField(_("their writing"), max_length=8, choices=Writing)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.SCHEDULED)
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    due_at = models.DateTimeField(_("carried out after"))
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("account deletion")
        verbose_name_plural = _("account deletions")
        constraints = [
            models.CheckConstraint(
                condition=Q(writing__in=["remove", "keep"]),
                name="rights_accountdeletion_writing_valid",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["scheduled", "cancelled", "done"]),
                name="rights_accountdeletion_status_valid",
            ),
            # One scheduled deletion per person.
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(status="scheduled"),
                name="rights_accountdeletion_one_scheduled",
            ),
        ]
        indexes = [
            # The removal command: scheduled deletions that are due.
            models.Index(
                fields=["due_at"],
                condition=Q(status="scheduled"),
                name="rights_deletion_due",
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("rights:my_data")


# Appeals: once per decision, within this long after it, in at most this many characters.
APPEAL_WINDOW = timedelta(days=20)
APPEAL_MAX_LENGTH = 2000
# Decisions about a person's content or account that they can appeal.
APPEALABLE_KINDS = ("auto_hide", "hide", "warn", "suspend")


class Appeal(models.Model):
    """A person contests one moderation decision about their content or account;
    a different moderator than the one who decided it rules on it."""

    class Status(models.TextChoices):
        OPEN = "open", _("Waiting for a moderator")
        UPHELD = "upheld", _("Decision upheld")
        REVERSED = "reversed", _("Decision reversed")

    action = models.OneToOneField(
        "moderation.ModerationAction",
        verbose_name=_("decision appealed"),
        on_delete=models.PROTECT,
        related_name="appeal",
    )
    appellant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("appellant"),
        on_delete=models.PROTECT,
        related_name="appeals",
    )
    text = models.TextField(_("the appeal"), max_length=APPEAL_MAX_LENGTH)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.OPEN)
    created_at = models.DateTimeField(_("filed"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    outcome_reason = models.TextField(_("reason for the outcome"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "upheld", "reversed"]),
                name="rights_appeal_status_valid",
            ),
        ]
        indexes = [
            # The admin list: open appeals, oldest first.
            models.Index(fields=["status", "created_at"], name="rights_appeal_queue"),
        ]

    def __str__(self):
        return f"{self.appellant} · {self.action.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("rights:appeal", kwargs={"action_id": self.action_id})


class GovernmentOrder(models.Model):
    """An order from a ministry, a court or the police about content or an account.

    Permenkominfo 5/2020 art. 14-15: a takedown order is carried out within 24
    hours, 4 for urgent classes (terrorism, child sexual abuse material, content
    disturbing public order); art. 36: subscriber information to law
    enforcement; UU ITE art. 26(3): court-ordered erasure of irrelevant data.
    """

    class Source(models.TextChoices):
        MINISTRY = "ministry", _("Ministry (Komdigi)")
        COURT = "court", _("Court")
        POLICE = "police", _("Police or prosecutor")
        OTHER = "other", _("Other authority")

    class Urgency(models.TextChoices):
        URGENT = "urgent", _("Urgent: 4 hours")
        NORMAL = "normal", _("Normal: 24 hours")

    class Kind(models.TextChoices):
        TAKEDOWN = "takedown", _("Take down content")
        SUBSCRIBER_INFO = "subscriber_info", _("Subscriber information")
        ERASURE = "erasure", _("Court-ordered erasure (UU ITE art. 26)")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Carried out")
        REJECTED = "rejected", _("Refused (not valid)")

    HOURS = {Urgency.URGENT: 4, Urgency.NORMAL: 24}

    source = models.CharField(_("source"), max_length=16, choices=Source)
    authority = models.CharField(_("issuing authority"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    reference = models.CharField(_("reference number"), max_length=120)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.TAKEDOWN)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency, default=Urgency.NORMAL)
    received_at = models.DateTimeField(_("received at"))
    due_at = models.DateTimeField(_("due at"), editable=False)
    targets = models.TextField(
        _("targets"), help_text=_("One address of this site per line: articles, comments, authors.")
    )
    forbid_author_notice = models.BooleanField(
        _("the order forbids telling the author"), default=False
    )
    # An order naming an account suspends it (moderation.services), for as long
    # as the order says.
    account_suspended_until = models.DateTimeField(
        _("suspend the named accounts until"),
        null=True,
        blank=True,
        help_text=_("Empty: until the order is lifted (indefinitely)."),
    )
    notes = models.TextField(_("internal notes"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # When the moderators were emailed that it is overdue (once).
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered"), auto_now_add=True)

    class Meta:
        verbose_name = _("government or court order")
        verbose_name_plural = _("government and court orders")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "done", "rejected"]),
                name="rights_governmentorder_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(urgency__in=["urgent", "normal"]),
                name="rights_governmentorder_urgency_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=["takedown", "subscriber_info", "erasure"]),
                name="rights_governmentorder_kind_valid",
            ),
        ]
        indexes = [
            # The admin list and the escalation: open orders, soonest due first.
            models.Index(fields=["status", "due_at"], name="rights_order_due"),
            # The transparency report: orders received per month.
            models.Index(fields=["received_at"], name="rights_order_received"),
        ]

    def __str__(self):
        return f"{self.reference} ({self.get_source_display()})"

    def save(self, *args, **kwargs):
        self.due_at = self.received_at + timedelta(hours=self.HOURS[self.urgency])
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("admin:rights_governmentorder_change", args=[self.pk])

    @property
    def is_overdue(self) -> bool:
        return self.status == self.Status.OPEN and self.due_at < timezone.now()

    @property
    def met_deadline(self) -> bool | None:
        if self.closed_at is None:
            return None
        return self.closed_at <= self.due_at

    def target_lines(self) -> list[str]:
        return [line.strip() for line in self.targets.splitlines() if line.strip()]


# Open orders due within this long show atop the moderation queue (overdue ones always).
ORDER_DUE_SOON = timedelta(hours=6)


class OrderTarget(models.Model):
    """One target of an order, resolved to the row it names, with its evidence."""

    order = models.ForeignKey(
        GovernmentOrder, verbose_name=_("order"), on_delete=models.PROTECT, related_name="items"
    )
    url = models.CharField(_("address"), max_length=500)
    article = models.ForeignKey(
        "articles.Article", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    comment = models.ForeignKey(
        "comments.Comment", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # Evidence: what the target said when the order was carried out.
    snapshot = models.TextField(_("evidence"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=200, blank=True)
    # The moderation decision that carried it out (an account's suspension),
    # reversed the normal way: lifted on its case, or appealed.
    action = models.ForeignKey(
        "moderation.ModerationAction",
        verbose_name=_("moderation decision"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("order target")
        verbose_name_plural = _("order targets")

    def __str__(self):
        return self.url


# Right of reply: how long the moderators wait for the author's side, and its length.
REPLY_WAIT = timedelta(hours=24)
REPLY_MAX_LENGTH = 1000
# Rules whose breach may be acted on at once, without waiting for the author's reply
# (moderation.models.SEVERITY 5: hate speech, sexual content, exposed personal data).
URGENT_RULES = ("sara", "pornography", "personal_data")


class RightOfReply(models.Model):
    """The author of a reported article, invited to give their side when the
    review starts; the moderator sees it on the case page before deciding."""

    case = models.OneToOneField(
        "moderation.Case",
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        related_name="right_of_reply",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)
    wait_until = models.DateTimeField(_("moderators wait until"))
    text = models.TextField(_("the author's reply"), max_length=REPLY_MAX_LENGTH, blank=True)
    replied_at = models.DateTimeField(_("replied"), null=True, blank=True)

    class Meta:
        verbose_name = _("right of reply")
        verbose_name_plural = _("rights of reply")

    def __str__(self):
        return f"{self.author} · {self.case}"

    def get_absolute_url(self):
        return reverse("rights:reply", kwargs={"pk": self.pk})
