"""Deliveries to other servers, sent by the task worker (README, "Federation").

One Delivery per activity and inbox (shared inboxes first, so a server with a
thousand followers gets one copy), never to a blocked server. A failed attempt
is retried with exponential backoff up to MAX_ATTEMPTS; a server whose
deliveries fail BREAKER_FAILURES times in a row is paused for BREAKER_PAUSE
(the circuit breaker), its deliveries waiting until then instead of being
tried; a success closes the breaker. A 4xx answer other than 408/429 is final.
Each POST is signed RFC 9421 first and draft-cavage if that is refused
(double-knocking, as Fedify does); each server's answer is remembered.
"""

import json
import logging
from datetime import timedelta
from urllib.parse import urlsplit

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from . import actors, remote, rfc9421, signatures
from .models import Delivery, LocalKey, Server
from .remote_actors import host_of, is_blocked

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8
BACKOFF_SECONDS = 60
MAX_BACKOFF_SECONDS = 12 * 3600
BREAKER_FAILURES = 5
BREAKER_PAUSE = timedelta(hours=1)


def queue(activity: dict, *, key: LocalKey, inboxes, signed_as: str = "") -> list[Delivery]:
    """Plan the activity for each distinct inbox; the worker sends them after the commit."""
    created = []
    for inbox in dict.fromkeys(inbox for inbox in inboxes if inbox):
        host = host_of(inbox)
        if not host or is_blocked(host):
            continue
        server, _ = Server.objects.get_or_create(domain=host)
        created.append(
            Delivery.objects.create(
                server=server, inbox=inbox, key=key, signed_as=signed_as, activity=activity
            )
        )
    for item in created:
        transaction.on_commit(lambda pk=item.pk: _enqueue(pk))
    return created


def _enqueue(delivery_id: int, *, run_after=None) -> None:
    from .tasks import deliver

    task = deliver
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # the immediate backend cannot wait: retry_federation sends it
        task = task.using(run_after=run_after)
    task.enqueue(delivery_id)


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(BACKOFF_SECONDS * 4 ** (attempts - 1), MAX_BACKOFF_SECONDS))


def _signed_headers(delivery: Delivery, body: bytes, scheme: str) -> dict[str, str]:
    key = delivery.key
    key_id = delivery.signed_as or actors.key_id(actors.actor_of_key(key))
    if scheme == Server.Scheme.RFC9421:
        headers = rfc9421.sign(
            method="POST", url=delivery.inbox, key_id=key_id, private_pem=key.private_pem,
            body=body,
        )  # fmt: skip
    else:
        parts = urlsplit(delivery.inbox)
        headers = signatures.sign(
            method="POST",
            path=(parts.path or "/") + (f"?{parts.query}" if parts.query else ""),
            host=remote.host_header(delivery.inbox),
            key_id=key_id,
            private_pem=key.private_pem,
            body=body,
        )
    headers["Content-Type"] = 'application/ld+json; profile="https://www.w3.org/ns/activitystreams"'
    return headers


def _post(delivery: Delivery, body: bytes, scheme: str) -> tuple[int | None, str]:
    headers = _signed_headers(delivery, body, scheme)
    try:
        status, _ = remote.request("POST", delivery.inbox, headers=headers, body=body)
    except remote.Refused as refused:
        return None, f"refused: {refused}"
    except remote.FetchFailed as failure:
        return None, str(failure)
    return status, "" if 200 <= status < 300 else f"HTTP {status}"


def _send(delivery: Delivery, server: Server) -> tuple[int | None, str]:
    """Double-knocking: RFC 9421 first (or the scheme the server took last time);
    on 400 or 401 the other scheme; the one that got through is remembered."""
    body = json.dumps(delivery.activity, ensure_ascii=False).encode()
    first = server.signature_scheme or Server.Scheme.RFC9421
    status, error = _post(delivery, body, first)
    used = first
    if status in (400, 401):
        used = (
            Server.Scheme.DRAFT_CAVAGE if first == Server.Scheme.RFC9421 else Server.Scheme.RFC9421
        )
        status, error = _post(delivery, body, used)
    if not error and server.signature_scheme != used:
        Server.objects.filter(pk=server.pk).update(signature_scheme=used)
    return status, error


def attempt(delivery: Delivery) -> Delivery:
    """Send a pending delivery once and plan what follows."""
    if delivery.status != Delivery.Status.PENDING:
        return delivery
    now = timezone.now()
    # Fresh: the breaker may have opened since the delivery was loaded.
    server = Server.objects.get(pk=delivery.server_id)
    if is_blocked(server.domain):
        return _finish(delivery, Delivery.Status.FAILED, "server blocked")
    if server.paused_until and server.paused_until > now:
        # The breaker is open: wait for it, without spending an attempt.
        delivery.next_attempt_at = server.paused_until
        delivery.save(update_fields=["next_attempt_at"])
        _enqueue(delivery.pk, run_after=server.paused_until)
        return delivery
    status, error = _send(delivery, server)
    Delivery.objects.filter(pk=delivery.pk).update(attempts=F("attempts") + 1)
    delivery.refresh_from_db(fields=["attempts"])
    if not error:
        Server.objects.filter(pk=server.pk).update(
            failures_in_a_row=0, paused_until=None, last_success_at=now
        )
        return _finish(delivery, Delivery.Status.SENT, "")
    final = status is not None and 400 <= status < 500 and status not in (408, 429)
    if not final:
        _count_failure(server, now)
    if final or delivery.attempts >= MAX_ATTEMPTS:
        return _finish(delivery, Delivery.Status.FAILED, error)
    delivery.error = error[:300]
    delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save(update_fields=["error", "next_attempt_at"])
    _enqueue(delivery.pk, run_after=delivery.next_attempt_at)
    return delivery


def _count_failure(server: Server, now) -> None:
    Server.objects.filter(pk=server.pk).update(failures_in_a_row=F("failures_in_a_row") + 1)
    server.refresh_from_db(fields=["failures_in_a_row"])
    if server.failures_in_a_row >= BREAKER_FAILURES:
        server.paused_until = now + BREAKER_PAUSE
        server.save(update_fields=["paused_until"])
        logger.warning("federation: %s paused after %s failures", server, server.failures_in_a_row)


def _finish(delivery: Delivery, status: str, error: str) -> Delivery:
    delivery.status = status
    delivery.error = error[:300]
    delivery.next_attempt_at = None
    delivery.save(update_fields=["status", "error", "next_attempt_at"])
    return delivery


def retry_due(*, now=None) -> int:
    """Attempt every pending delivery that is due (cron, with the immediate backend)."""
    now = now or timezone.now()
    due = Delivery.objects.select_related("server", "key__user", "key__topic").filter(
        status=Delivery.Status.PENDING, next_attempt_at__lte=now
    )[:500]
    count = 0
    for item in due:
        attempt(item)
        count += 1
    return count
