"""Trust levels, what was held for review, and the classifier (README, "Trust and spam")."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Level(models.IntegerChoices):
    BARU = 0, _("New")
    DASAR = 1, _("Basic")
    TEPERCAYA = 2, _("Trusted")
    STAFF = 3, _("Staff")


class TrustRecord(models.Model):
    """An account's current level, kept by trust.services.recompute_level."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="trust",
        primary_key=True,
    )
    level = models.PositiveSmallIntegerField(_("trust level"), choices=Level, default=Level.BARU)
    changed_at = models.DateTimeField(_("level since"), auto_now_add=True)

    class Meta:
        verbose_name = _("trust level")
        verbose_name_plural = _("trust levels")
        constraints = [
            models.CheckConstraint(
                condition=Q(level__in=Level.values), name="trust_trustrecord_level_valid"
            ),
        ]

    def __str__(self):
        return f"{self.user}: {self.get_level_display()}"


class TrustChange(models.Model):
    """Every promotion and demotion, with why: the record the issue asks for."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="trust_changes",
        db_index=False,  # trust_trustchange_user leads with it
    )
    old_level = models.PositiveSmallIntegerField(_("from"), choices=Level)
    new_level = models.PositiveSmallIntegerField(_("to"), choices=Level)
    reason = models.CharField(_("why"), max_length=200)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("trust change")
        verbose_name_plural = _("trust changes")
        indexes = [
            # An account's history in the queue, newest first.
            models.Index(fields=["user", "-created_at"], name="trust_trustchange_user"),
        ]

    def __str__(self):
        return f"{self.user}: {self.old_level} → {self.new_level}"


class HeldItem(models.Model):
    """An article or comment the screeners held, and the moderator's decision."""

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        COMMENT = "comment", _("Comment")

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        RELEASED = "released", _("Released")
        REJECTED = "rejected", _("Rejected")

    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
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
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("writer"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # trust_helditem_author leads with it
    )
    rule = models.CharField(_("rule"), max_length=40)
    detail = models.CharField(_("what fired"), max_length=300, blank=True)
    score = models.FloatField(_("classifier score"), null=True, blank=True)
    features = models.CharField(_("words behind the score"), max_length=300, blank=True)
    level = models.PositiveSmallIntegerField(_("level when held"), choices=Level)
    text = models.TextField(_("text as held"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    created_at = models.DateTimeField(_("held at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("held item")
        verbose_name_plural = _("held items")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "released", "rejected"]),
                name="trust_helditem_status_valid",
            ),
            models.CheckConstraint(
                condition=(Q(kind="article") & Q(article__isnull=False) & Q(comment__isnull=True))
                | (Q(kind="comment") & Q(comment__isnull=False) & Q(article__isnull=True)),
                name="trust_helditem_one_target",
            ),
        ]
        indexes = [
            # The queue: pending items, oldest first.
            models.Index(fields=["status", "created_at"], name="trust_helditem_queue"),
            # An account's holds (history, release count for promotion).
            models.Index(fields=["author", "status"], name="trust_helditem_author"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.article_id or self.comment_id} ({self.rule})"


class Fingerprint(models.Model):
    """A host linked to or a text's digest, per account and time: what the
    repeated-host and duplicate-text rules count (kept TRUST_FINGERPRINT_HOURS)."""

    class Kind(models.TextChoices):
        HOST = "host", _("Linked host")
        TEXT = "text", _("Text digest")

    kind = models.CharField(_("kind"), max_length=4, choices=Kind)
    value = models.CharField(_("value"), max_length=255)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("writer"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("seen at"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("fingerprint")
        verbose_name_plural = _("fingerprints")
        indexes = [
            # The rules: the same host or text within the last minutes or hours.
            models.Index(fields=["kind", "value", "created_at"], name="trust_fingerprint_recent"),
        ]

    def __str__(self):
        return f"{self.kind}:{self.value}"


class ClassifierModel(models.Model):
    """A trained classifier as plain-data JSON, from trust.classifier.train (the newest is used)."""

    created_at = models.DateTimeField(_("trained at"), auto_now_add=True, db_index=True)
    samples = models.PositiveIntegerField(_("examples"))
    spam_samples = models.PositiveIntegerField(_("spam examples"))
    blob = models.BinaryField(_("model"))

    class Meta:
        verbose_name = _("spam classifier")
        verbose_name_plural = _("spam classifiers")

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} ({self.samples})"


class SignupAddress(models.Model):
    """Where an account signed up from, as a keyed digest (never the address
    itself), and whether it came past TRUST_SIGNUPS_PER_ADDRESS in a day: such an
    account's posts are held until a moderator clears the flag or it earns Dasar."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="signup_address",
        primary_key=True,
    )
    digest = models.CharField(_("address digest"), max_length=64)
    flagged = models.BooleanField(_("flagged for review"), default=False)
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)

    class Meta:
        verbose_name = _("sign-up address")
        verbose_name_plural = _("sign-up addresses")
        indexes = [
            # The per-address cap: sign-ups from one digest in the last day.
            models.Index(fields=["digest", "created_at"], name="trust_signupaddress_recent"),
            # The admin's list of flagged accounts.
            models.Index(
                fields=["-created_at"],
                condition=Q(flagged=True),
                name="trust_signupaddress_flagged",
            ),
        ]

    def __str__(self):
        return f"{self.user} ({'flagged' if self.flagged else 'ok'})"


class ReadingTime(models.Model):
    """Seconds a signed-in reader had an article in view on one day (the article
    page's beacon, trust.services.record_reading): a signal for the levels,
    capped per article per day at TRUST_READING_CAP_SECONDS."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reader"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # trust_readingtime_one_per_day leads with it
    )
    article = models.ForeignKey(
        "articles.Article", verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("day"))
    seconds = models.PositiveIntegerField(_("seconds read"), default=0)

    class Meta:
        verbose_name = _("reading time")
        verbose_name_plural = _("reading time")
        constraints = [
            # One row per reader, article and day; also the reader's total (levels).
            models.UniqueConstraint(
                fields=["user", "article", "day"], name="trust_readingtime_one_per_day"
            ),
        ]

    def __str__(self):
        return f"{self.user_id} · {self.article_id} · {self.day}: {self.seconds}s"
