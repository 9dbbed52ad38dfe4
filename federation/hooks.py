"""Federation's listener on the lower apps' events (core/events.py), registered in
FederationConfig.ready. An article event becomes a task; the task (in the
worker) turns it into one delivery per follower inbox (federation/delivery.py)."""

import time

from django.conf import settings

from articles.models import Article
from core import events

from . import actors, delivery, documents
from .actors import PUBLIC
from .models import RemoteFollow

_CREATE = {events.ARTICLE_PUBLISHED, events.ARTICLE_RESTORED}
_UPDATE = {events.ARTICLE_UPDATED, events.ARTICLE_CORRECTED}
_DELETE = {events.ARTICLE_UNPUBLISHED, events.ARTICLE_HIDDEN}


def on_event(event: str, **data) -> None:
    if not settings.FEDERATION:
        return
    from . import tasks

    if event in _CREATE | _UPDATE | _DELETE:
        tasks.announce_article.enqueue(event, data["article_id"])
    elif event == events.ACCOUNT_UPDATED:
        tasks.announce_person.enqueue(data["user_id"])
    elif event == events.ACCOUNT_DELETED:
        tasks.forget_person.enqueue(data["user_id"], data["username"])
    elif event in (events.COMMENT_HIDDEN, events.COMMENT_SHOWN_AGAIN):
        tasks.announce_comment.enqueue(event, data["comment_id"])


def _inboxes(follows) -> list[str]:
    rows = follows.filter(actor__deleted_at__isnull=True).select_related("actor")
    return [follow.actor.delivery_inbox for follow in rows.order_by("pk")]


def deliver_article(event: str, article_id: int) -> int:
    """Queue what ``event`` means for the article's followers; how many deliveries."""
    article = (
        Article.objects.select_related("author", "topic", "section")
        .prefetch_related("tags")
        .filter(pk=article_id)
        .first()
    )
    if article is None or not actors.is_federated(article.author):
        return 0
    section = article.section or article.topic
    person = actors.person_id(article.author.username)
    key = actors.key_for(user=article.author)
    author_inboxes = _inboxes(RemoteFollow.objects.filter(user=article.author))
    topic_inboxes = _inboxes(RemoteFollow.objects.filter(topic=section)) if section else []
    stamp = int(time.time())
    planned = []
    if event in _CREATE:
        if not article.is_public:
            return 0  # changed again since
        planned += delivery.queue(
            documents.create_article(article), key=key, inboxes=author_inboxes
        )
        if section is not None and topic_inboxes:
            group = actors.group_id(section.slug)
            announce = {
                "@context": documents.CONTEXT,
                "id": f"{group}/announces/{article.pk}-{stamp}",
                "type": "Announce",
                "actor": group,
                "object": actors.article_id(article.pk),
                "to": [PUBLIC],
                "cc": [f"{group}/followers"],
            }
            planned += delivery.queue(
                announce, key=actors.key_for(topic=section), inboxes=topic_inboxes
            )
    elif event in _UPDATE:
        if not article.is_public:
            return 0
        document = documents.article(article)
        document.pop("@context")
        update = documents.activity(
            "Update", person, document, id_suffix=f"update-{stamp}", cc=document["cc"]
        )
        planned += delivery.queue(update, key=key, inboxes=author_inboxes + topic_inboxes)
    else:
        if article.is_public:
            return 0
        tombstone = {"id": actors.article_id(article.pk), "type": "Tombstone"}
        delete = documents.activity("Delete", person, tombstone, id_suffix=f"delete-{stamp}")
        planned += delivery.queue(delete, key=key, inboxes=author_inboxes + topic_inboxes)
    return len(planned)
