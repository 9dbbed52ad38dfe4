"""Federation's rows: our actors' keys and the authors' choices, the remote actors
we know, who follows whom, the notes that became comments, reactions, blocked
servers and the delivery queue with its per-server circuit breaker."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class LocalKey(models.Model):
    """The RSA key pair of one of our actors, made on first use. The private key
    lives only here: never in a page, a JSON answer or the cache."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Author")
        GROUP = "group", _("Topic")
        APPLICATION = "application", _("Site")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    topic = models.OneToOneField(
        "articles.Topic", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    public_pem = models.TextField(_("public key"))
    private_pem = models.TextField(_("private key"), editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # An author's actor was deleted for the fediverse (federation turned off, or
    # suspended): Delete{Person} sent, the actor answers 410. Cleared when back.
    gone_at = models.DateTimeField(_("deleted for the fediverse"), null=True, blank=True)

    class Meta:
        verbose_name = _("actor key")
        verbose_name_plural = _("actor keys")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["person", "group", "application"]),
                name="federation_localkey_kind_valid",
            ),
            # One application key.
            models.UniqueConstraint(
                fields=["kind"],
                condition=Q(kind="application"),
                name="federation_localkey_one_application",
            ),
        ]

    def __str__(self):
        return f"{self.kind} {self.user_id or self.topic_id or ''}".strip()


class AuthorChoice(models.Model):
    """What an author chose about the fediverse (no row: the defaults)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="fediverse_choice"
    )
    federated = models.BooleanField(
        _("followable from the fediverse"),
        default=True,
        help_text=_("Off: your account cannot be found or followed from Mastodon and the like."),
    )
    discoverable = models.BooleanField(
        _("suggested in directories"),
        default=True,
        help_text=_("Other servers may list your account in their directories."),
    )
    indexable = models.BooleanField(
        _("searchable on other servers"),
        default=True,
        help_text=_("Other servers may include your articles in their full-text search."),
    )
    fediverse_handle = models.CharField(
        _("your fediverse handle"),
        max_length=200,
        blank=True,
        help_text=_("For example @name@mastodon.social: shown as the creator of your articles."),
    )

    class Meta:
        verbose_name = _("author's fediverse choice")
        verbose_name_plural = _("authors' fediverse choices")

    def __str__(self):
        return str(self.user)


class RemoteActor(models.Model):
    """An actor on another server, as last fetched (its key is cached here)."""

    uri = models.URLField(_("id"), max_length=500, unique=True)
    domain = models.CharField(_("server"), max_length=253)
    handle = models.CharField(_("handle"), max_length=300, blank=True)
    name = models.CharField(_("name"), max_length=200, blank=True)
    profile_url = models.URLField(_("profile"), max_length=500, blank=True)
    inbox = models.URLField(_("inbox"), max_length=500)
    shared_inbox = models.URLField(_("shared inbox"), max_length=500, blank=True)
    key_id = models.CharField(_("key id"), max_length=500, blank=True)
    public_key_pem = models.TextField(_("public key"), blank=True)
    # The local stand-in account their comments are written by (comments.Comment
    # needs a user); made when their first reply arrives.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="remote_actor",
    )
    fetched_at = models.DateTimeField(_("fetched"))
    deleted_at = models.DateTimeField(_("deleted on their server"), null=True, blank=True)

    class Meta:
        verbose_name = _("remote actor")
        verbose_name_plural = _("remote actors")
        indexes = [
            # Signature checks look the key up by its id.
            models.Index(fields=["key_id"], name="federation_remoteactor_key"),
            models.Index(fields=["domain"], name="federation_remoteactor_domain"),
        ]

    def __str__(self):
        return self.handle or self.uri

    def get_absolute_url(self):
        return self.profile_url or self.uri

    @property
    def delivery_inbox(self) -> str:
        return self.shared_inbox or self.inbox


class RemoteFollow(models.Model):
    """A remote actor following one of our authors or top-level topics."""

    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="remote_followers",
    )
    topic = models.ForeignKey(
        "articles.Topic",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="remote_followers",
    )
    activity_uri = models.URLField(_("follow activity"), max_length=500)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("remote follower")
        verbose_name_plural = _("remote followers")
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=True) ^ Q(topic__isnull=True),
                name="federation_remotefollow_one_target",
            ),
            models.UniqueConstraint(
                fields=["actor", "user"], name="federation_remotefollow_unique_user"
            ),
            models.UniqueConstraint(
                fields=["actor", "topic"], name="federation_remotefollow_unique_topic"
            ),
        ]
        indexes = [
            # An author's followers, newest first (collection, delivery).
            models.Index(fields=["user", "-created_at"], name="federation_remotefollow_user"),
            models.Index(fields=["topic", "-created_at"], name="federation_remotefollow_topic"),
        ]

    def __str__(self):
        return f"{self.actor} → {self.user or self.topic}"


class RemoteNote(models.Model):
    """A remote reply that became one of our comments."""

    uri = models.URLField(_("id"), max_length=500, unique=True)
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="notes")
    comment = models.OneToOneField(
        "comments.Comment", on_delete=models.CASCADE, related_name="remote_note"
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("received"), auto_now_add=True)

    class Meta:
        verbose_name = _("remote reply")
        verbose_name_plural = _("remote replies")

    def __str__(self):
        return self.uri


class Reaction(models.Model):
    """A Like or an Announce (boost) of one of our articles from another server."""

    class Kind(models.TextChoices):
        LIKE = "like", _("Like")
        ANNOUNCE = "announce", _("Boost")

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="fediverse_reactions"
    )
    actor = models.ForeignKey(RemoteActor, on_delete=models.CASCADE, related_name="reactions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind)
    activity_uri = models.URLField(_("activity"), max_length=500)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("fediverse reaction")
        verbose_name_plural = _("fediverse reactions")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=["like", "announce"]), name="federation_reaction_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["article", "actor", "kind"], name="federation_reaction_once"
            ),
        ]
        # Undo finds the reaction by its activity.
        indexes = [models.Index(fields=["activity_uri"], name="federation_reaction_activity")]

    def __str__(self):
        return f"{self.kind} {self.article_id} {self.actor}"


class DomainBlock(models.Model):
    """A remote server moderators blocked: its posts are refused (403), nothing is
    delivered to it, and its actors' comments are hidden. Or only silenced
    (Mastodon's "limit"): its replies wait for a moderator, the rest goes on."""

    class Severity(models.TextChoices):
        BLOCK = "block", _("Block")
        SILENCE = "silence", _("Silence")

    domain = models.CharField(_("server"), max_length=253, unique=True)
    severity = models.CharField(
        _("severity"),
        max_length=10,
        choices=Severity,
        default=Severity.BLOCK,
        help_text=_(
            "Block: nothing is taken from or sent to the server and its comments are hidden. "
            "Silence: its replies wait for review before anyone sees them; follows, likes and "
            "boosts go on."
        ),
    )
    reason = models.CharField(_("reason"), max_length=500)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("blocked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("blocked"), auto_now_add=True)

    class Meta:
        verbose_name = _("blocked or silenced server")
        verbose_name_plural = _("blocked and silenced servers")
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__in=["block", "silence"]),
                name="federation_domainblock_severity_valid",
            ),
        ]

    def __str__(self):
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower().rstrip(".")
        super().save(*args, **kwargs)


class Server(models.Model):
    """A remote server we deliver to, with its circuit breaker: after enough
    failures in a row it is paused for a while instead of retried forever."""

    class Scheme(models.TextChoices):
        RFC9421 = "rfc9421", _("RFC 9421")
        DRAFT_CAVAGE = "draft-cavage", _("draft-cavage")

    domain = models.CharField(_("server"), max_length=253, unique=True)
    # The HTTP signature scheme its inbox last took (blank: not known yet).
    signature_scheme = models.CharField(
        _("signature scheme"), max_length=12, choices=Scheme, blank=True
    )
    failures_in_a_row = models.PositiveIntegerField(_("failures in a row"), default=0)
    paused_until = models.DateTimeField(_("paused until"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last delivered"), null=True, blank=True)

    class Meta:
        verbose_name = _("remote server")
        verbose_name_plural = _("remote servers")

    def __str__(self):
        return self.domain


class Delivery(models.Model):
    """One activity to one inbox, sent by the task worker with retries."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    server = models.ForeignKey(Server, on_delete=models.CASCADE, related_name="deliveries")
    inbox = models.URLField(_("inbox"), max_length=500)
    # The signing actor: a LocalKey.
    key = models.ForeignKey(LocalKey, on_delete=models.CASCADE, related_name="+")
    # Signed as this key id instead of the key's actor's current one: the Delete of
    # an account deleted since, whose actor id had its old username.
    signed_as = models.CharField(_("signed as"), max_length=500, blank=True)
    activity = models.JSONField(_("activity"))
    status = models.CharField(_("status"), max_length=10, choices=Status, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    error = models.CharField(_("last error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("queued"), auto_now_add=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "sent", "failed"]),
                name="federation_delivery_status_valid",
            ),
        ]
        # retry_federation: the pending deliveries that are due.
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="federation_delivery_due")
        ]

    def __str__(self):
        return f"{self.activity.get('type')} → {self.inbox}"
