"""What arrives in our inboxes (README, "Federation").

``receive`` checks, in order: the body size (413), the signature header (401),
the signing server against the block list (403), the server's rate (429), the
signature itself against the actor's cached or fetched key (401), that the
activity's actor is the key's owner (401). Then the activity is handled and
answered 202; anything we do not handle is accepted and ignored.
"""

import json
import logging
import re

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils import timezone

from articles.models import Article
from articles.sanitizer import html_to_text, sanitize_html
from comments import services as comment_services
from comments.models import MAX_LENGTH, Comment
from core import screening

from . import actors, delivery, documents, reactions, remote, rfc9421, signatures
from .models import LocalKey, Reaction, RemoteActor, RemoteFollow, RemoteNote
from .remote_actors import actor_for_key, host_of, is_blocked, is_silenced, stand_in_user

logger = logging.getLogger(__name__)


def _answer(status: int, message: str = "") -> HttpResponse:
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _rate_limited(host: str) -> bool:
    limit = settings.FEDERATION_INBOX_RATE
    if not limit:
        return False
    key = f"federation:inbox-rate:{host}:{int(timezone.now().timestamp() // 60)}"
    if cache.add(key, 1, timeout=90):
        return False
    try:
        return cache.incr(key) > limit
    except ValueError:
        return False


def receive(request) -> HttpResponse:
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _answer(400, "bad Content-Length")
    if length > settings.FEDERATION_MAX_BODY_BYTES:
        return _answer(413, "activity too large")
    body = request.body
    if len(body) > settings.FEDERATION_MAX_BODY_BYTES:
        return _answer(413, "activity too large")
    try:
        parsed = _parse_signature(request)
    except signatures.SignatureError as error:
        return _answer(401, str(error))
    host = host_of(parsed.key_id)
    if not host:
        return _answer(401, "keyId is not a URL")
    if is_blocked(host):
        return _answer(403, "server blocked")
    if _rate_limited(host):
        return _answer(429, "too many activities")
    try:
        activity = json.loads(body)
    except ValueError:
        return _answer(400, "not JSON")
    if not isinstance(activity, dict):
        return _answer(400, "not an activity")
    headers = signatures.request_headers(request)
    try:
        actor = _verified_actor(request, parsed, headers, body)
    except signatures.SignatureError as error:
        return _answer(401, str(error))
    except (remote.Refused, remote.FetchFailed) as error:
        if _is_self_delete(activity):
            return _answer(202)  # a deleted actor we never knew: nothing to remove
        return _answer(401, f"key not available: {error}")
    if _uri(activity.get("actor")) != actor.uri:
        return _answer(401, "the activity's actor did not sign it")
    if is_blocked(actor.domain):
        return _answer(403, "server blocked")
    signatures.remember(parsed)
    try:
        handle(activity, actor)
    except comment_services.CommentRateLimited as error:
        return _answer(429, error.message)
    return _answer(202)


def _parse_signature(request):
    """RFC 9421 when the request has a Signature-Input, else draft-cavage."""
    if "Signature-Input" in request.headers:
        return rfc9421.parse(
            request.headers["Signature-Input"], request.headers.get("Signature", "")
        )
    return signatures.parse(request.headers.get("Signature", ""))


def _targets(request, headers) -> list[rfc9421.Target]:
    """The URIs the signer may have named: ours (SITE_URL) and the request's own
    (its Host is one of ALLOWED_HOSTS, so never another server's)."""
    path = request.get_full_path()
    return [
        rfc9421.Target(request.method, actors.origin() + path, headers),
        rfc9421.Target(request.method, request.build_absolute_uri(path), headers),
    ]


def _check(parsed, request, headers, body, public_pem) -> None:
    if parsed.scheme == "rfc9421":
        rfc9421.verify(parsed, targets=_targets(request, headers), body=body, public_pem=public_pem)
    else:
        signatures.verify(
            parsed, method=request.method, path=request.get_full_path(), headers=headers,
            body=body, public_pem=public_pem,
        )  # fmt: skip


def _verified_actor(request, parsed, headers, body) -> RemoteActor:
    actor = actor_for_key(parsed.key_id)
    try:
        _check(parsed, request, headers, body, actor.public_key_pem)
    except signatures.SignatureError:
        # Perhaps the key was rotated: fetch it again (not more than every few minutes).
        fresh = actor_for_key(parsed.key_id, refresh=True)
        if fresh.public_key_pem == actor.public_key_pem:
            raise
        _check(parsed, request, headers, body, fresh.public_key_pem)
        actor = fresh
    if actor.key_id != parsed.key_id:
        raise signatures.SignatureError("key not the actor's")
    return actor


def _uri(value) -> str:
    if isinstance(value, dict):
        value = value.get("id")
    return value if isinstance(value, str) else ""


def _is_self_delete(activity: dict) -> bool:
    return activity.get("type") == "Delete" and _uri(activity.get("object")) == _uri(
        activity.get("actor")
    )


# Dispatch ----------------------------------------------------------------------------


def handle(activity: dict, actor: RemoteActor) -> None:
    kind = activity.get("type")
    handler = {
        "Follow": on_follow,
        "Undo": on_undo,
        "Create": on_create,
        "Update": on_update,
        "Delete": on_delete,
        "Like": on_reaction,
        "Announce": on_reaction,
    }.get(kind)
    if handler is not None:
        handler(activity, actor)


def local_target(uri: str):
    """The user or top-level topic one of our actor ids names, else None."""
    origin = actors.origin()
    for prefix, finder in (
        (f"{origin}/ap/users/", actors.federated_person),
        (f"{origin}/ap/topics/", actors.group_topic),
    ):
        if uri.startswith(prefix) and "/" not in uri[len(prefix) :]:
            return finder(uri[len(prefix) :])
    return None


_ARTICLE_PATHS = (re.compile(r"^/ap/articles/(\d+)$"), re.compile(r"^/(?:en/)?artikel/(\d+)/"))


def local_article(uri: str):
    origin = actors.origin()
    if not uri.startswith(origin + "/"):
        return None
    path = uri[len(origin) :].split("#", 1)[0]
    for pattern in _ARTICLE_PATHS:
        match = pattern.match(path)
        if match:
            return (
                Article.objects.published()
                .filter(pk=int(match.group(1)), author__in=actors.federated_people())
                .first()
            )
    return None


def on_follow(activity: dict, actor: RemoteActor) -> None:
    target = local_target(_uri(activity.get("object")))
    if target is None:
        return
    is_topic = not hasattr(target, "username")
    if not is_topic:
        # An actor followed again is no longer gone (README, "Federation").
        LocalKey.objects.filter(user=target, gone_at__isnull=False).update(gone_at=None)
    lookup = {"actor": actor, ("topic" if is_topic else "user"): target}
    RemoteFollow.objects.update_or_create(
        **lookup, defaults={"activity_uri": _uri(activity)[:500] or actor.uri}
    )
    followed = actors.group_id(target.slug) if is_topic else actors.person_id(target.username)
    accept = {
        "@context": documents.CONTEXT,
        "id": f"{followed}#accepts/{RemoteFollow.objects.get(**lookup).pk}",
        "type": "Accept",
        "actor": followed,
        "object": {k: activity[k] for k in ("id", "type", "actor", "object") if k in activity},
        "to": [actor.uri],
    }
    key = actors.key_for(topic=target) if is_topic else actors.key_for(user=target)
    delivery.queue(accept, key=key, inboxes=[actor.inbox])


def on_undo(activity: dict, actor: RemoteActor) -> None:
    inner = activity.get("object")
    inner_type = inner.get("type") if isinstance(inner, dict) else None
    inner_id = _uri(inner)
    if inner_type == "Follow" or inner_type is None:
        follows = RemoteFollow.objects.filter(actor=actor)
        if inner_type == "Follow" and isinstance(inner, dict):
            target = local_target(_uri(inner.get("object")))
            if target is not None:
                field = "user" if hasattr(target, "username") else "topic"
                follows.filter(**{field: target}).delete()
                return
        if inner_id:
            follows.filter(activity_uri=inner_id).delete()
    if inner_type in ("Like", "Announce", None) and inner_id:
        undone = Reaction.objects.filter(actor=actor, activity_uri=inner_id)
        article_ids = list(undone.values_list("article_id", flat=True))
        undone.delete()
        reactions.changed(article_ids)


def _note_text(note: dict) -> str:
    """The note's text through the one sanitiser, as a comment's plain text."""
    content = note.get("content")
    if not isinstance(content, str):
        content = ""
    text = html_to_text(sanitize_html(content[: MAX_LENGTH * 4]))
    return text[:MAX_LENGTH]


def _reply_target(in_reply_to: str) -> tuple[Article | None, Comment | None]:
    article = local_article(in_reply_to)
    if article is not None:
        return article, None
    note = RemoteNote.objects.select_related("comment__article").filter(uri=in_reply_to).first()
    if note is not None and note.comment.article.is_public:
        return note.comment.article, note.comment
    origin = actors.origin()
    match = re.match(rf"^{re.escape(origin)}/(?:en/)?komentar/(\d+)/", in_reply_to)
    if match:
        comment = Comment.objects.select_related("article").filter(pk=int(match.group(1))).first()
        if comment is not None:
            return comment.article, comment
    return None, None


def on_create(activity: dict, actor: RemoteActor) -> None:
    note = activity.get("object")
    if not isinstance(note, dict) or note.get("type") != "Note":
        return
    uri = _uri(note)
    if not uri or host_of(uri) != actor.domain or _uri(note.get("attributedTo")) != actor.uri:
        return
    article, reply_to = _reply_target(_uri(note.get("inReplyTo")))
    if article is None or RemoteNote.objects.filter(uri=uri).exists():
        return
    body = _note_text(note)
    if not body:
        return
    # A silenced server's replies wait for a moderator (the held queue, trust).
    hold = screening.Hold("silenced_server", actor.domain) if is_silenced(actor.domain) else None
    with transaction.atomic():
        author = stand_in_user(actor)
        try:
            comment = comment_services.post_comment(
                article, author=author, body=body, reply_to=reply_to, hold=hold
            )
        except ValidationError:
            return  # the same rules as a local comment: refused, nothing stored
        RemoteNote.objects.create(
            uri=uri[:500], actor=actor, comment=comment, url=_uri(note.get("url"))[:500]
        )


def _own_note(note_uri: str, actor: RemoteActor):
    return RemoteNote.objects.select_related("comment").filter(uri=note_uri, actor=actor).first()


def on_update(activity: dict, actor: RemoteActor) -> None:
    obj = activity.get("object")
    if not isinstance(obj, dict):
        return
    if _uri(obj) == actor.uri:
        from .remote_actors import store

        store(obj, fetched_from=actor.uri)
        return
    if obj.get("type") != "Note":
        return
    note = _own_note(_uri(obj), actor)
    body = _note_text(obj)
    if note is None or not body or not actor.user_id:
        return
    try:
        comment_services.edit_comment(note.comment, editor=actor.user, body=body)
    except (ValidationError, PermissionDenied):
        return


def on_delete(activity: dict, actor: RemoteActor) -> None:
    target = _uri(activity.get("object"))
    if target == actor.uri:
        forget_actor(actor)
        return
    note = _own_note(target, actor)
    if note is not None and actor.user_id:
        comment_services.delete_comment(note.comment, by=actor.user)


def forget_actor(actor: RemoteActor) -> None:
    """A remote account was deleted: its comments go as a writer's own deletion
    does (placeholders in the threads), its follows and reactions with it."""
    if actor.user_id:
        for comment in Comment.objects.visible().filter(author_id=actor.user_id):
            comment_services.delete_comment(comment, by=actor.user)
    RemoteFollow.objects.filter(actor=actor).delete()
    theirs = Reaction.objects.filter(actor=actor)
    article_ids = list(theirs.values_list("article_id", flat=True))
    theirs.delete()
    reactions.changed(article_ids)
    RemoteActor.objects.filter(pk=actor.pk).update(deleted_at=timezone.now())


def on_reaction(activity: dict, actor: RemoteActor) -> None:
    article = local_article(_uri(activity.get("object")))
    if article is None:
        return
    kind = Reaction.Kind.LIKE if activity.get("type") == "Like" else Reaction.Kind.ANNOUNCE
    _, created = Reaction.objects.get_or_create(
        article=article,
        actor=actor,
        kind=kind,
        defaults={"activity_uri": _uri(activity)[:500]},
    )
    if created:
        reactions.changed([article.pk])
