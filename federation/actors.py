"""Our actors and their ids: a Person per author, a Group per top-level topic and
the site's Application actor (README, "Federation").

Ids are built on the site's public address (``SITE_URL``, core.origin) and never
change: ``/ap/users/<username>``, ``/ap/topics/<slug>``, ``/ap/site``,
``/ap/articles/<pk>``.
"""

from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from articles.models import Topic
from core import origin as core_origin

from . import signatures
from .models import AuthorChoice, LocalKey

PUBLIC = "https://www.w3.org/ns/activitystreams#Public"


def origin(request=None) -> str:
    """The site's public origin, without a trailing slash (SITE_URL, core.origin)."""
    return core_origin.site_url()


def domain(request=None) -> str:
    return urlsplit(origin(request)).netloc


def absolute(path: str, request=None) -> str:
    if path.startswith(("http://", "https://")):
        return path
    return origin(request) + path


def person_id(username: str, request=None) -> str:
    return f"{origin(request)}/ap/users/{username}"


def group_id(slug: str, request=None) -> str:
    return f"{origin(request)}/ap/topics/{slug}"


def application_id(request=None) -> str:
    return f"{origin(request)}/ap/site"


def article_id(pk: int, request=None) -> str:
    return f"{origin(request)}/ap/articles/{pk}"


def shared_inbox(request=None) -> str:
    return f"{origin(request)}/ap/inbox"


def key_id(actor: str) -> str:
    return f"{actor}#main-key"


# Who is an actor ---------------------------------------------------------------------


def federated_people():
    """Authors the fediverse may see: active, not suspended, federation not turned off."""
    now = timezone.now()
    return (
        get_user_model()
        .objects.filter(is_active=True, suspended_indefinitely=False, remote_actor__isnull=True)
        .filter(Q(suspended_until__isnull=True) | Q(suspended_until__lte=now))
        .exclude(fediverse_choice__federated=False)
    )


def federated_person(username: str):
    return federated_people().filter(username=username).first()


def is_federated(user) -> bool:
    return federated_people().filter(pk=user.pk).exists()


def group_topics():
    return Topic.objects.filter(parent__isnull=True)


def group_topic(slug: str):
    return group_topics().filter(slug=slug).first()


def choice_for(user) -> AuthorChoice:
    """The author's choices (unsaved defaults when they never chose)."""
    return AuthorChoice.objects.filter(user=user).first() or AuthorChoice(user=user)


# Keys ------------------------------------------------------------------------------


def key_for(*, user=None, topic=None) -> LocalKey:
    """The actor's key pair, made on first use (the application's without arguments)."""
    if user is not None:
        lookup = {"kind": LocalKey.Kind.PERSON, "user": user}
    elif topic is not None:
        lookup = {"kind": LocalKey.Kind.GROUP, "topic": topic}
    else:
        lookup = {"kind": LocalKey.Kind.APPLICATION}
    key = LocalKey.objects.filter(**lookup).first()
    if key is not None:
        return key
    private, public = signatures.generate_key_pair()
    try:
        with transaction.atomic():
            return LocalKey.objects.create(**lookup, public_pem=public, private_pem=private)
    except IntegrityError:  # made meanwhile by a concurrent request
        return LocalKey.objects.get(**lookup)


def actor_of_key(key: LocalKey) -> str:
    if key.kind == LocalKey.Kind.PERSON:
        return person_id(key.user.username)
    if key.kind == LocalKey.Kind.GROUP:
        return group_id(key.topic.slug)
    return application_id()
