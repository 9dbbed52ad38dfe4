"""Personal access tokens, webhooks, their deliveries and the audit of API writes
(README, "Public API")."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.events import EVENTS


class Scope(models.TextChoices):
    READ = "read", _("Read your own drafts and profile")
    DRAFTS = "drafts", _("Write drafts")
    PUBLISH = "publish", _("Publish and unpublish")
    COMMENT = "comment", _("Post comments")
    WEBHOOKS = "webhooks", _("Manage webhooks")


class AccessTokenQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True)


class AccessToken(models.Model):
    """A personal access token. Only its SHA-256 digest is stored: the token
    itself is shown once, when it is made (api.services.create_token)."""

    Scope = Scope

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="api_tokens",
    )
    name = models.CharField(_("name"), max_length=80)
    # The first characters of the token, to tell tokens apart on the page.
    prefix = models.CharField(_("prefix"), max_length=16, editable=False)
    digest = models.CharField(_("digest"), max_length=64, editable=False)
    scopes = models.JSONField(_("scopes"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = AccessTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal access token")
        verbose_name_plural = _("personal access tokens")
        constraints = [
            # Every API request with a token looks it up by its digest.
            models.UniqueConstraint(fields=["digest"], name="api_accesstoken_digest_unique"),
        ]
        indexes = [
            # The token page: one person's tokens, newest first.
            models.Index(fields=["user", "-created_at"], name="api_accesstoken_user"),
        ]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    def get_absolute_url(self):
        return reverse("api:tokens")

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def allows(self, scope: str) -> bool:
        return scope in self.scopes


class WebhookQuerySet(models.QuerySet):
    def receiving(self):
        return self.filter(is_active=True, paused_at__isnull=True)


class Webhook(models.Model):
    """A URL told about events: the owner's own articles (and the comments on
    them), or everything for a site-wide hook, which only staff may register."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.CASCADE,
        related_name="webhooks",
    )
    url = models.URLField(_("URL"), max_length=500)
    events = models.JSONField(_("events"), default=list)
    site_wide = models.BooleanField(_("site-wide"), default=False)
    # The shared secret that signs every delivery (HMAC-SHA256); shown once.
    secret = models.CharField(_("secret"), max_length=80, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    # Set after too many failures in a row; the owner resumes it.
    paused_at = models.DateTimeField(_("paused"), null=True, blank=True)
    failures_in_a_row = models.PositiveIntegerField(_("failures in a row"), default=0)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = WebhookQuerySet.as_manager()

    class Meta:
        verbose_name = _("webhook")
        verbose_name_plural = _("webhooks")
        indexes = [
            # An event looks up the receiving hooks of the article's author.
            models.Index(fields=["owner", "is_active"], name="api_webhook_owner"),
            # ... and the site-wide ones (a handful: a partial index).
            models.Index(
                fields=["is_active"], condition=Q(site_wide=True), name="api_webhook_site_wide"
            ),
        ]

    def __str__(self):
        return self.url

    def get_absolute_url(self):
        return reverse("api-v1:webhook", kwargs={"webhook_id": self.pk})

    def wants(self, event: str) -> bool:
        return event in self.events


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    SUCCEEDED = "succeeded", _("Delivered")
    FAILED = "failed", _("Failed")


class Delivery(models.Model):
    """One event for one webhook, with its attempts (the delivery log)."""

    Status = DeliveryStatus

    webhook = models.ForeignKey(
        Webhook, verbose_name=_("webhook"), on_delete=models.CASCADE, related_name="deliveries"
    )
    event = models.CharField(_("event"), max_length=40, choices=[(e, e) for e in EVENTS])
    payload = models.JSONField(_("payload"))
    status = models.CharField(
        _("status"), max_length=16, choices=DeliveryStatus, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(_("response status"), null=True)
    error = models.CharField(_("error"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="api_delivery_status_valid"
            ),
            models.CheckConstraint(condition=Q(event__in=EVENTS), name="api_delivery_event_valid"),
        ]
        indexes = [
            # A hook's delivery log, newest first.
            models.Index(fields=["webhook", "-created_at", "-id"], name="api_delivery_log"),
            # retry_deliveries: the pending deliveries whose next attempt is due.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="api_delivery_due",
            ),
        ]

    def __str__(self):
        return f"{self.event} → {self.webhook}"

    def get_absolute_url(self):
        return reverse("api-v1:webhook_deliveries", kwargs={"webhook_id": self.webhook_id})


class AuditEntry(models.Model):
    """A write made through the API: who, with which token, what, from where."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    token = models.ForeignKey(
        AccessToken,
        verbose_name=_("token"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="audit_entries",
    )
    action = models.CharField(_("action"), max_length=40)
    target = models.CharField(_("target"), max_length=80, blank=True)
    address = models.GenericIPAddressField(_("address"), null=True)
    created_at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        verbose_name = _("API audit entry")
        verbose_name_plural = _("API audit entries")
        ordering = ["-created_at", "-id"]
        indexes = [
            # One person's API writes, newest first (the admin, an investigation).
            models.Index(fields=["user", "-created_at"], name="api_auditentry_user"),
        ]

    def __str__(self):
        return f"{self.user_id} {self.action} {self.target}"
