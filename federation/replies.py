"""A remote reply hidden here, or shown again, told to the fediverse (README,
"Federation"). The reply is the other server's Note, so we cannot delete it
there; the article's author, whose thread it joined, sends ``Reject{Note}`` when
it is hidden (by a moderator, or the author) and ``Accept{Note}`` when it is shown
again: the reply-approval semantics GoToSocial implements, which software
without them ignores. It goes to the replier's server and to the servers of
the author's followers, who show the thread."""

import time

from comments.models import Comment, CommentStatus
from core import events

from . import actors, delivery, documents
from .models import RemoteFollow, RemoteNote

_HIDDEN = {CommentStatus.HIDDEN_BY_MODERATOR, CommentStatus.HIDDEN_BY_AUTHOR}


def reply_moderated(event: str, comment_id: int) -> str:
    note = (
        RemoteNote.objects.select_related("actor", "comment__article__author")
        .filter(comment_id=comment_id)
        .first()
    )
    if note is None:
        return "not a remote reply"
    comment: Comment = note.comment
    if event == events.COMMENT_HIDDEN:
        if comment.status not in _HIDDEN:
            return "not hidden"  # deleted by its writer, or shown again since
        kind = "Reject"
    else:
        if comment.status != CommentStatus.VISIBLE:
            return "not visible"
        kind = "Accept"
    author = comment.article.author
    if not actors.is_federated(author):
        return "author not federated"
    person = actors.person_id(author.username)
    activity = {
        "@context": documents.CONTEXT,
        "id": f"{person}#{kind.lower()}s/{note.pk}-{int(time.time())}",
        "type": kind,
        "actor": person,
        "object": note.uri,
        "target": actors.article_id(comment.article_id),
        "to": [note.actor.uri],
    }
    followers = (
        RemoteFollow.objects.filter(user=author, actor__deleted_at__isnull=True)
        .select_related("actor")
        .order_by("pk")
    )
    inboxes = [note.actor.delivery_inbox] + [follow.actor.delivery_inbox for follow in followers]
    delivery.queue(activity, key=actors.key_for(user=author), inboxes=inboxes)
    return kind
