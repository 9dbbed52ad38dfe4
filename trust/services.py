"""Writes of the trust app: levels, the held queue, its decisions (README, "Trust and spam").

Moderators decide in the moderation queue through moderation.services
(release_held / reject_held), which record the audit entry and call release /
reject here; the content itself changes only through articles.services and
comments.services, and every decision queues a retrain (tasks.retrain_soon).
"""

import hashlib
import hmac
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.db.models.functions import Least
from django.utils import timezone

from articles import services as article_services
from articles.models import Article
from articles.sanitizer import html_to_text
from comments import services as comment_services
from comments.models import Comment
from core import screening
from notifications import services as notification_services

from . import levels
from .models import HeldItem, Level, ReadingTime, SignupAddress, TrustChange, TrustRecord


def current_level(user) -> int:
    """The level as last recorded (Baru for an account never looked at)."""
    if user.is_staff:
        return Level.STAFF
    record = TrustRecord.objects.filter(user=user).values_list("level", flat=True).first()
    return Level.BARU if record is None else record


def links_followed(author_id: int) -> bool:
    """core.screening link policy: a Tepercaya writer's links lose nofollow/ugc."""
    if not settings.TRUST_SCREENING:
        return False
    return TrustRecord.objects.filter(user_id=author_id, level__gte=Level.TEPERCAYA).exists()


@transaction.atomic
def recompute_level(user) -> int:
    """Compute the account's level from what it did and record a change (with why)."""
    standing = levels.standing(user)
    record, created = TrustRecord.objects.select_for_update().get_or_create(
        user=user, defaults={"level": standing.level}
    )
    if created:
        if standing.level != Level.BARU:
            TrustChange.objects.create(
                user=user, old_level=Level.BARU, new_level=standing.level, reason=standing.reason
            )
        return standing.level
    if record.level != standing.level:
        TrustChange.objects.create(
            user=user, old_level=record.level, new_level=standing.level, reason=standing.reason
        )
        record.level = standing.level
        record.changed_at = timezone.now()
        record.save(update_fields=["level", "changed_at"])
    return standing.level


def recompute_all(*, below: int = Level.TEPERCAYA, batch: int = 500) -> int:
    """The daily pass (manage.py recompute_trust): age alone promotes, so accounts
    not yet trusted are looked at again; every level is looked at when asked."""
    from django.contrib.auth import get_user_model

    changed = 0
    users = (
        get_user_model()
        .objects.filter(is_active=True, is_staff=False)
        .exclude(trust__level__gte=below)
    )
    for user in users.order_by("pk").iterator(chunk_size=batch):
        before = current_level(user)
        if recompute_level(user) != before:
            changed += 1
    return changed


def on_event(event: str, **data) -> None:
    """core.events listener: a publication, comment or hide may change a level."""
    author_id = data.get("author_id")
    if author_id is None and data.get("comment_id"):
        author_id = (
            Comment.objects.filter(pk=data["comment_id"])
            .values_list("author_id", flat=True)
            .first()
        )
    if author_id is None:
        return
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(pk=author_id).first()
    if user is not None:
        recompute_level(user)


def record_hold(kind: str, object_id: int, hold: screening.Hold) -> HeldItem:
    """core.screening callback: the held post enters the queue with its rule."""
    if kind == screening.ARTICLE:
        article = Article.objects.select_related("author").get(pk=object_id)
        author, target = article.author, {"article": article}
        # Plain text, as the classifier reads it (and trains on it later).
        text = f"{article.title}\n\n{html_to_text(article.body_html)}"
    else:
        comment = Comment.objects.select_related("author").get(pk=object_id)
        author, text, target = comment.author, comment.body, {"comment": comment}
    return HeldItem.objects.create(
        kind=kind,
        author=author,
        rule=hold.rule,
        detail=hold.detail[:300],
        score=hold.score,
        features=hold.features[:300],
        level=current_level(author),
        text=text[:20000],
        **target,
    )


def pending_hold(*, article_id: int | None = None, comment_id: int | None = None):
    """The hold of this article or comment still waiting for a decision, or None."""
    target = {"article_id": article_id} if article_id else {"comment_id": comment_id}
    return (
        HeldItem.objects.filter(status=HeldItem.Status.PENDING, **target)
        .select_related("author", "article", "comment__article")
        .order_by("-created_at")
        .first()
    )


def pending_holds(cases) -> dict:
    """The pending holds of a page of queue rows, keyed (kind, target id): one query."""
    articles = [case.article_id for case in cases if case.article_id]
    comments = [case.comment_id for case in cases if case.comment_id]
    if not articles and not comments:
        return {}
    holds = HeldItem.objects.filter(status=HeldItem.Status.PENDING).filter(
        Q(article_id__in=articles) | Q(comment_id__in=comments)
    )
    return {
        (hold.kind, hold.article_id or hold.comment_id): hold
        for hold in holds.defer("text").order_by("created_at")
    }


def pending():
    """The queue: items waiting for a moderator, oldest first."""
    return (
        HeldItem.objects.filter(status=HeldItem.Status.PENDING)
        .select_related("author", "article", "comment__article")
        .order_by("created_at", "id")
    )


@transaction.atomic
def release(item: HeldItem, *, by) -> bool:
    """Publish a held item as if never held; True if it was pending. The author's
    level is looked at again (releases promote a Baru account)."""
    if not _decide(item, status=HeldItem.Status.RELEASED, by=by):
        return False
    if item.kind == HeldItem.Kind.ARTICLE:
        article_services.release_held_article(item.article, by=by)
    else:
        comment_services.release_held_comment(item.comment)
    notification_services.notify_review(
        released=True, owner=item.author, article=item.article, comment=item.comment
    )
    recompute_level(item.author)
    _learn()
    return True


@transaction.atomic
def reject(item: HeldItem, *, by) -> bool:
    """Keep a held item from the public (never deleted); True if it was pending."""
    if not _decide(item, status=HeldItem.Status.REJECTED, by=by):
        return False
    if item.kind == HeldItem.Kind.ARTICLE:
        article_services.reject_held_article(item.article, by=by)
    else:
        comment_services.reject_held_comment(item.comment)
    notification_services.notify_review(
        released=False, owner=item.author, article=item.article, comment=item.comment
    )
    recompute_level(item.author)
    _learn()
    return True


def _learn() -> None:
    """A decision is a labelled example: retrain once it is committed."""
    from . import tasks

    transaction.on_commit(tasks.retrain_soon, robust=True)


def _decide(item: HeldItem, *, status: str, by) -> bool:
    now = timezone.now()
    changed = HeldItem.objects.filter(pk=item.pk, status=HeldItem.Status.PENDING).update(
        status=status, decided_by=by, decided_at=now
    )
    if changed:
        item.status, item.decided_by, item.decided_at = status, by, now
    return bool(changed)


def history(user) -> dict:
    """What a moderator sees of an account beside a held item."""
    standing = levels.standing(user)
    return {
        "standing": standing,
        "changes": list(TrustChange.objects.filter(user=user).order_by("-created_at")[:5]),
        "decided": list(
            HeldItem.objects.filter(author=user)
            .filter(~Q(status=HeldItem.Status.PENDING))
            .order_by("-decided_at")
            .values("status", "rule", "decided_at")[:5]
        ),
    }


def address_digest(address: str) -> str:
    """A keyed digest of a sign-up address: comparable, never reversible to it."""
    return hmac.new(
        settings.SECRET_KEY.encode(), f"signup:{address}".encode(), hashlib.sha256
    ).hexdigest()


def record_signup(user, address: str) -> SignupAddress | None:
    """core.screening sign-up listener: flag, never refuse, one address's many accounts."""
    if not settings.TRUST_SCREENING or not address:
        return None
    digest = address_digest(address)
    since = timezone.now() - timedelta(days=1)
    earlier = SignupAddress.objects.filter(digest=digest, created_at__gte=since).count()
    return SignupAddress.objects.create(
        user=user, digest=digest, flagged=earlier >= settings.TRUST_SIGNUPS_PER_ADDRESS
    )


def clear_signup_flag(user) -> bool:
    return bool(SignupAddress.objects.filter(user=user, flagged=True).update(flagged=False))


def record_reading(user, *, article_id: int, seconds: int) -> int:
    """Add what the article page's beacon says was read (README, "Trust and spam"):
    signed-in readers of someone else's published article only, capped per article
    per day at TRUST_READING_CAP_SECONDS. One atomic UPDATE (an INSERT the first
    time), so concurrent beacons never lose seconds. Returns the seconds added."""
    cap = settings.TRUST_READING_CAP_SECONDS
    seconds = max(0, min(int(seconds), cap))
    if not seconds or not user.is_authenticated:
        return 0
    readable = (
        Article.objects.filter(pk=article_id, status=Article.Status.PUBLISHED)
        .exclude(author=user)
        .exists()
    )
    if not readable:
        return 0
    row = {"user": user, "article_id": article_id, "day": timezone.localdate()}
    before = ReadingTime.objects.filter(**row).values_list("seconds", flat=True).first()
    if before is None:
        try:
            with transaction.atomic():
                ReadingTime.objects.create(**row, seconds=seconds)
            return seconds
        except IntegrityError:  # another beacon made the row first: add to it
            before = 0
    ReadingTime.objects.filter(**row).update(seconds=Least(F("seconds") + seconds, cap))
    return max(0, min(seconds, cap - before))
