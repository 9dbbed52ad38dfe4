"""How much an account is trusted, from what it did (README, "Trust and spam").

Baru (new) → Dasar (basic) → Tepercaya (trusted), staff above. Computed, never
set by hand: age, a confirmed email, published articles and comments that
stayed visible, and time spent reading others' articles earn it; content
hidden by moderators or rejected in review takes it back (one strike caps at
Dasar, TRUST_DEMOTE_STRIKES make it Baru).
Releasing TRUST_RELEASES_FOR_DASAR held items of a Baru account is enough for
Dasar: a moderator has vouched for it.
"""

from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import Count, Sum
from django.utils import timezone

from articles.models import Article
from comments.models import Comment

from .models import HeldItem, Level, ReadingTime


@dataclass(frozen=True)
class Standing:
    """What the level was computed from, shown to moderators beside it."""

    level: int
    reason: str
    age_days: int
    email_confirmed: bool
    published_articles: int
    visible_comments: int
    strikes: int
    released: int
    reading_minutes: int = 0


def standing(user) -> Standing:
    """The account's level and the figures behind it (seven indexed counts at most)."""
    age_days = max(0, (timezone.now() - user.date_joined).days)
    if user.is_staff:
        return Standing(Level.STAFF, "staff", age_days, True, 0, 0, 0, 0)
    read = ReadingTime.objects.filter(user=user).aggregate(total=Sum("seconds"))["total"] or 0
    minutes = read // 60
    confirmed = EmailAddress.objects.filter(user=user, verified=True).exists()
    published = Article.objects.filter(author=user, status=Article.Status.PUBLISHED).count()
    visible = Comment.objects.filter(author=user, status=Comment.Status.VISIBLE).count()
    held = dict(_held_counts(user))
    moderated = (
        Article.objects.filter(author=user, status=Article.Status.HIDDEN).count()
        + Comment.objects.filter(author=user, status=Comment.Status.HIDDEN_BY_MODERATOR)
        .exclude(pk__in=HeldItem.objects.filter(author=user, kind="comment").values("comment_id"))
        .count()
    )
    strikes = moderated + held.get(HeldItem.Status.REJECTED, 0)
    released = held.get(HeldItem.Status.RELEASED, 0)
    figures = (age_days, confirmed, published, visible, strikes, released, minutes)
    if strikes >= settings.TRUST_DEMOTE_STRIKES:
        return Standing(Level.BARU, "demoted: content hidden or rejected", *figures)
    earned_tepercaya = (
        age_days >= settings.TRUST_TEPERCAYA_DAYS
        and confirmed
        and published >= settings.TRUST_TEPERCAYA_ARTICLES
        and visible >= settings.TRUST_TEPERCAYA_COMMENTS
        and minutes >= settings.TRUST_TEPERCAYA_READING_MINUTES
    )
    if earned_tepercaya and strikes == 0:
        return Standing(Level.TEPERCAYA, "age, articles, comments and reading", *figures)
    # A reader who only reads earns Dasar too (the setting at 0 turns that path off).
    reads_enough = 0 < settings.TRUST_DASAR_READING_MINUTES <= minutes
    earned_dasar = (
        age_days >= settings.TRUST_DASAR_DAYS
        and confirmed
        and (
            published >= settings.TRUST_DASAR_ARTICLES
            or visible >= settings.TRUST_DASAR_COMMENTS
            or reads_enough
        )
    )
    if earned_dasar or earned_tepercaya:
        return Standing(Level.DASAR, "age and first contributions", *figures)
    if released >= settings.TRUST_RELEASES_FOR_DASAR:
        return Standing(Level.DASAR, "held items released by moderators", *figures)
    return Standing(Level.BARU, "new account", *figures)


def _held_counts(user):
    return (
        HeldItem.objects.filter(author=user)
        .exclude(status=HeldItem.Status.PENDING)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )


def first_day(user) -> bool:
    return timezone.now() - user.date_joined < timedelta(hours=settings.TRUST_FIRST_DAY_HOURS)
