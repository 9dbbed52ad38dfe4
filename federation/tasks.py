"""Federation's background work: deliveries to other servers, run by the task
worker (``make worker``) outside the request; the immediate backend runs them
after the commit in development and tests."""

from django.tasks import task

from . import delivery
from .models import Delivery


@task
def deliver(delivery_id: int) -> str:
    """Attempt one delivery; its status afterwards (a failure plans the next attempt)."""
    item = (
        Delivery.objects.select_related("server", "key__user", "key__topic")
        .filter(pk=delivery_id)
        .first()
    )
    if item is None:
        return "missing"
    return delivery.attempt(item).status


@task
def announce_article(event: str, article_id: int) -> int:
    """Turn an article event into deliveries (from the worker: it may read many followers)."""
    from .hooks import deliver_article

    return deliver_article(event, article_id)


@task
def announce_person(user_id: int) -> str:
    """An author's profile or standing changed: Update or Delete of their Person."""
    from .people import person_changed

    return person_changed(user_id)


@task
def forget_person(user_id: int, username: str) -> str:
    """An author deleted their account: Delete of their Person, for good."""
    from .people import account_deleted

    return account_deleted(user_id, username)


@task
def announce_comment(event: str, comment_id: int) -> str:
    """A remote reply was hidden here or shown again: Reject or Undo{Reject}."""
    from .replies import reply_moderated

    return reply_moderated(event, comment_id)
