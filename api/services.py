"""Writes of the API app: tokens, webhooks and their deliveries, the audit
(README, "Public API"). Article and comment writes go through their own apps'
services, as the site's do."""

import hashlib
import hmac
import json
import logging
import secrets
import time
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core import events
from core.network import client_address

from . import outbound
from .models import AccessToken, AuditEntry, Delivery, Scope, Webhook

logger = logging.getLogger(__name__)

TOKEN_PREFIX = "kw_"  # noqa: S105 - a marker, not a secret
MAX_TOKENS_PER_USER = 20
MAX_WEBHOOKS_PER_USER = 10
# Seconds between the recorded uses of a token: a busy script writes once a minute.
LAST_USE_PRECISION = 60
# Deliveries: this many attempts, the n-th retry waiting BACKOFF_SECONDS * 4**(n-1).
MAX_ATTEMPTS = 5
BACKOFF_SECONDS = 30
# A hook whose deliveries failed this many times in a row is paused.
PAUSE_AFTER_FAILURES = 15


def token_digest(token: str) -> str:
    """The stored form of a token. Tokens are 256 random bits, so a plain SHA-256
    (no salt, no slow hash) is enough, and it can be looked up by equality."""
    return hashlib.sha256(token.encode()).hexdigest()


# Tokens ------------------------------------------------------------------------------


def create_token(user, *, name: str, scopes: list[str]) -> tuple[AccessToken, str]:
    """Make a token for ``user``; returns it with its secret, shown only this once."""
    name = " ".join(name.split())[:80]
    if not name:
        raise ValidationError(_("Give the token a name."), code="required")
    scopes = [scope for scope in Scope.values if scope in scopes]
    if not scopes:
        raise ValidationError(_("Choose at least one scope."), code="no_scope")
    if AccessToken.objects.active().filter(user=user).count() >= MAX_TOKENS_PER_USER:
        raise ValidationError(
            _("You have %(limit)s tokens already: revoke one first.")
            % {"limit": MAX_TOKENS_PER_USER},
            code="too_many",
        )
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = AccessToken.objects.create(
        user=user,
        name=name,
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        digest=token_digest(secret),
        scopes=scopes,
    )
    return token, secret


def revoke_token(token: AccessToken, *, by) -> bool:
    """Revoke a token of ``by``'s; True if this revoked it. It stops working at once."""
    if token.user_id != by.pk:
        raise PermissionError("not the owner of the token")
    changed = AccessToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    token.refresh_from_db(fields=["revoked_at"])
    return bool(changed)


def authenticate_token(secret: str) -> AccessToken | None:
    """The active token with this secret and its user, or None; records its use.

    A suspended or deactivated account's tokens stop working (None), and start
    again when the suspension ends: they are the owner's, not the moderators'.
    """
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    token = (
        AccessToken.objects.active()
        .select_related("user")
        .filter(digest=token_digest(secret))
        .first()
    )
    if token is None or not token.user.is_active or token.user.is_suspended:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > timedelta(
        seconds=LAST_USE_PRECISION
    ):
        AccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def record_write(request, *, action: str, target=None) -> AuditEntry:
    """Audit one write made through the API (who, which token, what, from where)."""
    token = request.auth
    return AuditEntry.objects.create(
        user=token.user,
        token=token,
        action=action,
        target=f"{type(target).__name__.lower()}:{target.pk}" if target is not None else "",
        address=client_address(request) or None,
    )


# Webhooks ----------------------------------------------------------------------------


def register_webhook(owner, *, url: str, event_names: list[str], site_wide: bool = False):
    """Register a webhook; returns it (its ``secret`` is shown to the owner once).

    Raises ValidationError, translated, for a URL the SSRF guard refuses, an
    unknown event, or a site-wide hook asked for by someone who is not staff.
    """
    if site_wide and not owner.is_staff:
        raise ValidationError(_("Only staff may register site-wide webhooks."), code="staff")
    unknown = sorted(set(event_names) - set(events.EVENTS))
    if unknown or not event_names:
        raise ValidationError(
            _("Choose events from: %(events)s.") % {"events": ", ".join(events.EVENTS)},
            code="events",
        )
    outbound.check_url(url)
    if Webhook.objects.filter(owner=owner, is_active=True).count() >= MAX_WEBHOOKS_PER_USER:
        raise ValidationError(
            _("You have %(limit)s webhooks already: remove one first.")
            % {"limit": MAX_WEBHOOKS_PER_USER},
            code="too_many",
        )
    return Webhook.objects.create(
        owner=owner,
        url=url,
        events=[name for name in events.EVENTS if name in event_names],
        site_wide=site_wide,
        secret="whsec_" + secrets.token_urlsafe(32),
    )


def remove_webhook(webhook: Webhook) -> Webhook:
    """Stop a webhook for good; its delivery log stays."""
    webhook.is_active = False
    webhook.save(update_fields=["is_active"])
    return webhook


def resume_webhook(webhook: Webhook) -> Webhook:
    """Deliver to a paused webhook again, from the next event on."""
    webhook.paused_at = None
    webhook.failures_in_a_row = 0
    webhook.save(update_fields=["paused_at", "failures_in_a_row"])
    return webhook


def receivers(event: str, *, owner_id: int) -> list[Webhook]:
    """The hooks that want ``event`` about something of ``owner_id``'s: theirs, and
    the site-wide ones (registered by staff)."""
    hooks = Webhook.objects.receiving().filter(Q(owner_id=owner_id) | Q(site_wide=True))
    return [hook for hook in hooks if hook.wants(event)]


def queue_deliveries(event: str, payload: dict, *, owner_id: int) -> list[Delivery]:
    """One delivery per receiving hook, each sent by the task worker."""
    from .tasks import deliver  # the task module imports this one

    deliveries = [
        Delivery.objects.create(webhook=hook, event=event, payload=payload)
        for hook in receivers(event, owner_id=owner_id)
    ]
    for delivery in deliveries:
        transaction.on_commit(lambda pk=delivery.pk: deliver.enqueue(pk), robust=True)
    return deliveries


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256 over ``"<timestamp>.<body>"`` (README, "Webhooks")."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def delivery_body(delivery: Delivery) -> bytes:
    return json.dumps(
        {
            "id": delivery.pk,
            "event": delivery.event,
            "created_at": delivery.created_at.isoformat(),
            "data": delivery.payload,
        },
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode()


def attempt_delivery(delivery: Delivery) -> Delivery:
    """Send a pending delivery once; on failure plan the next attempt with backoff
    (``next_attempt_at``), give up after MAX_ATTEMPTS, and pause the hook after
    PAUSE_AFTER_FAILURES failed attempts in a row. Returns the delivery."""
    webhook = delivery.webhook
    if delivery.status != Delivery.Status.PENDING:
        return delivery
    if not webhook.is_active or webhook.paused_at is not None:
        delivery.status = Delivery.Status.FAILED
        delivery.error = "webhook paused or removed"
        delivery.finished_at = timezone.now()
        delivery.save(update_fields=["status", "error", "finished_at"])
        return delivery
    body = delivery_body(delivery)
    timestamp = int(time.time())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "KolomWarga-Webhooks/1",
        "X-KolomWarga-Event": delivery.event,
        "X-KolomWarga-Delivery": str(delivery.pk),
        "X-KolomWarga-Timestamp": str(timestamp),
        "X-KolomWarga-Signature": signature(webhook.secret, timestamp, body),
    }
    status, error = None, ""
    try:
        status = outbound.post(webhook.url, body, headers)
    except outbound.Refused as refused:
        error = str(refused)
    except OSError as failure:
        error = f"{type(failure).__name__}: {failure}"
    succeeded = status is not None and 200 <= status < 300
    if status is not None and not succeeded:
        error = f"HTTP {status}"
    delivery.attempts = F("attempts") + 1
    delivery.response_status = status
    delivery.error = error[:300]
    now = timezone.now()
    with transaction.atomic():
        delivery.save(update_fields=["attempts", "response_status", "error"])
        delivery.refresh_from_db(fields=["attempts"])
        if succeeded:
            delivery.status = Delivery.Status.SUCCEEDED
            delivery.finished_at, delivery.next_attempt_at = now, None
            Webhook.objects.filter(pk=webhook.pk).update(failures_in_a_row=0)
        else:
            webhook_failures = _count_failure(webhook)
            if delivery.attempts >= MAX_ATTEMPTS or webhook_failures >= PAUSE_AFTER_FAILURES:
                delivery.status = Delivery.Status.FAILED
                delivery.finished_at, delivery.next_attempt_at = now, None
            else:
                delay = BACKOFF_SECONDS * 4 ** (delivery.attempts - 1)
                delivery.next_attempt_at = now + timedelta(seconds=delay)
        delivery.save(update_fields=["status", "finished_at", "next_attempt_at"])
    if delivery.next_attempt_at is not None:
        _queue_retry(delivery)
    return delivery


def _count_failure(webhook: Webhook) -> int:
    Webhook.objects.filter(pk=webhook.pk).update(failures_in_a_row=F("failures_in_a_row") + 1)
    webhook.refresh_from_db(fields=["failures_in_a_row"])
    if webhook.failures_in_a_row >= PAUSE_AFTER_FAILURES and webhook.paused_at is None:
        webhook.paused_at = timezone.now()
        webhook.save(update_fields=["paused_at"])
        logger.warning("webhook %s paused after %s failures", webhook.pk, PAUSE_AFTER_FAILURES)
    return webhook.failures_in_a_row


def _queue_retry(delivery: Delivery) -> None:
    """With the worker (database backend), the retry waits in the queue until its
    time; the immediate backend cannot wait, so there ``retry_deliveries`` (the
    management command, run from cron) sends what is due."""
    from .tasks import deliver

    task = deliver
    if task.get_backend().supports_defer:
        task.using(run_after=delivery.next_attempt_at).enqueue(delivery.pk)


def retry_due_deliveries(*, now=None) -> int:
    """Attempt every pending delivery whose next attempt is due; how many were tried."""
    now = now or timezone.now()
    due = Delivery.objects.filter(
        status=Delivery.Status.PENDING, next_attempt_at__lte=now
    ).select_related("webhook")[:500]
    count = 0
    for delivery in due:
        attempt_delivery(delivery)
        count += 1
    return count
