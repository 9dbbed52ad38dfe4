"""Remote actors: fetched (signed, by the site's application actor), their keys
cached in RemoteActor, and the servers moderators blocked."""

from datetime import timedelta
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string

from . import actors, remote, signatures
from .models import DomainBlock, RemoteActor

# A key that fails to verify is fetched again, but no more often than this.
REFETCH_AFTER = timedelta(minutes=10)


def host_of(url: str) -> str:
    try:
        return (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""


def _under(host: str):
    """The block rows for the server and the domains above it (``a.example`` by ``example``)."""
    host = host.lower().rstrip(".")
    if not host:
        return DomainBlock.objects.none()
    parts = host.split(".")
    candidates = [".".join(parts[index:]) for index in range(len(parts))]
    return DomainBlock.objects.filter(domain__in=candidates)


def is_blocked(host: str) -> bool:
    """Whether the server or a domain above it is blocked."""
    return _under(host).filter(severity=DomainBlock.Severity.BLOCK).exists()


def is_silenced(host: str) -> bool:
    """Whether the server or a domain above it is silenced (and not blocked)."""
    return _under(host).filter(severity=DomainBlock.Severity.SILENCE).exists()


def signed_get(url: str) -> dict:
    """GET a document signed by our application actor (servers in authorized-fetch
    mode answer only signed requests)."""
    key = actors.key_for()
    parts = urlsplit(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = signatures.sign(
        method="GET",
        path=path,
        host=remote.host_header(url),
        key_id=actors.key_id(actors.application_id()),
        private_pem=key.private_pem,
    )
    return remote.fetch_json(url, signed_headers=headers)


def _first_url(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        for item in value:
            found = _first_url(item)
            if found:
                return found
    if isinstance(value, dict):
        return _first_url(value.get("href") or value.get("url") or "")
    return ""


def store(document: dict, *, fetched_from: str) -> RemoteActor:
    """Keep what we need of an actor document; refuse one whose id is on
    another server than the URL it came from (no actor can speak for another)."""
    uri = document.get("id")
    if not isinstance(uri, str) or host_of(uri) != host_of(fetched_from):
        raise remote.FetchFailed("actor id does not match where it came from")
    inbox = document.get("inbox")
    key = document.get("publicKey") or {}
    if isinstance(key, list):
        key = key[0] if key else {}
    if not isinstance(inbox, str) or not isinstance(key, dict):
        raise remote.FetchFailed("not an actor")
    if key.get("owner") not in (None, uri):
        raise remote.FetchFailed("key owned by someone else")
    if host_of(str(key.get("id") or "")) != host_of(uri):
        # A key id on another server would let the block list be dodged.
        raise remote.FetchFailed("key id on another server")
    endpoints = document.get("endpoints") if isinstance(document.get("endpoints"), dict) else {}
    host = host_of(uri)
    username = str(document.get("preferredUsername") or "")[:100]
    values = {
        "domain": host,
        "handle": f"@{username}@{host}" if username else "",
        "name": str(document.get("name") or username)[:200],
        "profile_url": _first_url(document.get("url"))[:500] or uri,
        "inbox": inbox[:500],
        "shared_inbox": str(endpoints.get("sharedInbox") or "")[:500],
        "key_id": str(key.get("id") or "")[:500],
        "public_key_pem": str(key.get("publicKeyPem") or "")[:10000],
        "fetched_at": timezone.now(),
        "deleted_at": None,
    }
    for field in ("profile_url", "inbox", "shared_inbox"):
        if values[field] and host_of(values[field]) != host:
            values[field] = "" if field != "inbox" else values[field]
    try:
        with transaction.atomic():
            actor, _ = RemoteActor.objects.update_or_create(uri=uri[:500], defaults=values)
    except IntegrityError:
        actor = RemoteActor.objects.get(uri=uri[:500])
    return actor


def fetch_actor(uri: str) -> RemoteActor:
    """Fetch (and store) the actor at ``uri``, or the owner of the key at ``uri``."""
    if is_blocked(host_of(uri)):
        raise remote.Refused("server blocked")
    document = signed_get(uri.split("#", 1)[0])
    if document.get("type") in (None, "Key", "CryptographicKey") or "inbox" not in document:
        owner = document.get("owner")
        if not isinstance(owner, str) or host_of(owner) != host_of(uri):
            raise remote.FetchFailed("key without an owner on its server")
        document = signed_get(owner)
        return store(document, fetched_from=owner)
    return store(document, fetched_from=uri)


def actor_for_key(key_id: str, *, refresh: bool = False) -> RemoteActor:
    actor = RemoteActor.objects.filter(key_id=key_id).first()
    if actor is not None and not refresh:
        return actor
    if actor is not None and timezone.now() - actor.fetched_at < REFETCH_AFTER:
        return actor
    return fetch_actor(key_id)


def known_or_fetched(uri: str) -> RemoteActor:
    return RemoteActor.objects.filter(uri=uri).first() or fetch_actor(uri)


def stand_in_user(actor: RemoteActor):
    """The local account a remote actor's comments are written by: no password,
    no email, named after their handle; its page redirects to their profile."""
    if actor.user_id:
        return actor.user
    User = get_user_model()
    base = (actor.handle or f"@{get_random_string(8)}@{actor.domain}")[:140]
    username = base
    while User.objects.filter(username=username).exists():
        username = f"{base[:130]}-{get_random_string(6).lower()}"
    user = User(username=username, display_name=(actor.handle or actor.name)[:80])
    user.set_unusable_password()
    user.save()
    RemoteActor.objects.filter(pk=actor.pk).update(user=user)
    actor.user = user
    return user
