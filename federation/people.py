"""Our authors' actors as their profiles and standing change (README,
"Federation"): an edited profile sends ``Update{Person}``; an author who turns
federation off or is suspended gets ``Delete{Person}`` sent to their followers'
servers (which drop the account and its follows, as Mastodon does for a
deleted one), their remote follows end here too, and the actor answers 410
Gone; back on (or the suspension lifted or over), the actor answers again and
can be followed anew. A deleted account's actor is deleted the same way, for good."""

import time

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from . import actors, delivery, documents
from .actors import PUBLIC
from .models import AuthorChoice, LocalKey, RemoteFollow


def _follower_inboxes(user) -> list[str]:
    rows = (
        RemoteFollow.objects.filter(user=user, actor__deleted_at__isnull=True)
        .select_related("actor")
        .order_by("pk")
    )
    return [follow.actor.delivery_inbox for follow in rows]


def is_gone(user) -> bool:
    """Whether the fediverse was told this author's actor is deleted (and it is not back)."""
    return LocalKey.objects.filter(
        kind=LocalKey.Kind.PERSON, user=user, gone_at__isnull=False
    ).exists()


def person_changed(user_id: int) -> str:
    """Tell the author's followers' servers what changed; what was sent."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return "missing"
    key = LocalKey.objects.filter(kind=LocalKey.Kind.PERSON, user=user).first()
    if key is None:
        return "never an actor"  # nobody elsewhere knows them: nothing to tell
    person = actors.person_id(user.username)
    stamp = int(time.time())
    if actors.is_federated(user):
        if key.gone_at is not None:
            LocalKey.objects.filter(pk=key.pk).update(gone_at=None)
            return "back"
        document = documents.person(user)
        document.pop("@context")
        update = documents.activity(
            "Update", person, document, id_suffix=f"update-{stamp}",
            cc=[f"{person}/followers"],
        )  # fmt: skip
        delivery.queue(update, key=key, inboxes=_follower_inboxes(user))
        return "updated"
    return _delete_person(user, key, person)


def account_deleted(user_id: int, username: str) -> str:
    """The person deleted their account (rights): what is left of the row is never
    an actor again, and their actor, under the username it had, is deleted."""
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return "missing"
    AuthorChoice.objects.update_or_create(user=user, defaults={"federated": False})
    key = LocalKey.objects.filter(kind=LocalKey.Kind.PERSON, user=user).first()
    if key is None:
        return "never an actor"
    return _delete_person(user, key, actors.person_id(username))


def _delete_person(user, key: LocalKey, person: str) -> str:
    # Told already, unless someone followed since (a suspension that ran out
    # brings the actor back without an event; a follow then clears gone_at too).
    if key.gone_at is not None and not RemoteFollow.objects.filter(user=user).exists():
        return "already gone"
    delete = {
        "@context": documents.CONTEXT,
        "id": f"{person}#delete-{int(time.time())}",
        "type": "Delete",
        "actor": person,
        "object": person,
        "to": [PUBLIC],
    }
    inboxes = _follower_inboxes(user)
    with transaction.atomic():
        # Gone before any server hears of it (a server may look the actor up at once).
        RemoteFollow.objects.filter(user=user).delete()
        LocalKey.objects.filter(pk=key.pk).update(gone_at=timezone.now())
        delivery.queue(delete, key=key, inboxes=inboxes, signed_as=actors.key_id(person))
    return "deleted"
