"""The rules that hold a post for review (README, "Trust and spam").

``screen`` is registered with core.screening by TrustConfig.ready: articles and
comments services call it before a post is public. Each hold names its rule and
what fired; the first rule that fires wins, in the order below (cheapest and
surest first). First-day caps refuse instead (a translated message, nothing
changed), as the writer must hear of them at once.
"""

import hashlib
import re
from datetime import timedelta
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from articles.models import Article
from comments.models import Comment
from core import screening
from core.screening import Hold, Submission

from . import classifier, levels
from .models import Fingerprint, HeldItem, Level, SignupAddress
from .text import normalise, read
from .words import CATEGORIES

_HREF = re.compile(r"""<a\s[^>]*href="([^"]+)\"""", re.IGNORECASE)


def screen(submission: Submission) -> Hold | None:
    from .services import recompute_level

    author = submission.author
    if not settings.TRUST_SCREENING or author.is_staff:
        return None
    level = recompute_level(author)
    _first_day_cap(submission.kind, author)
    hosts = linked_hosts(submission.html)
    text = f"{submission.title}\n{submission.text}"
    hold = (
        _honeypot(submission)
        or _too_fast(submission)
        or _blocked_host(hosts)
        or _word_list(text, level, hosts)
        or _too_many_links(hosts, level)
        or _repeated_host(hosts, author, level)
        or _duplicate_text(text, author)
    )
    scored = classifier.score(text)
    if (
        hold is None
        and scored is not None
        and level < Level.TEPERCAYA
        and scored.probability >= settings.TRUST_CLASSIFIER_THRESHOLD
    ):
        hold = Hold("classifier", _("spam score %(score).2f") % {"score": scored.probability})
    if hold is None:
        hold = _probation(submission.kind, author, level)
    _remember(text, hosts, author)
    if hold is not None and scored is not None:
        hold = Hold(hold.rule, hold.detail, scored.probability, ", ".join(scored.features))
    return hold


def linked_hosts(html: str) -> list[str]:
    """The hosts the sanitised HTML links to, one entry per link."""
    hosts = []
    for href in _HREF.findall(html or ""):
        host = (urlsplit(href.replace("&amp;", "&")).hostname or "").lower()
        if host:
            hosts.append(host.removeprefix("www."))
    return hosts


def _first_day_cap(kind: str, author) -> None:
    if not levels.first_day(author):
        return
    cap = settings.TRUST_FIRST_DAY_CAPS.get(kind)
    if cap is None:
        return
    since = author.date_joined
    if kind == screening.ARTICLE:
        done = Article.objects.filter(author=author, published_at__gte=since).count()
        # Held ones count too (released ones have their published_at already).
        done += (
            HeldItem.objects.filter(author=author, kind=kind)
            .exclude(status=HeldItem.Status.RELEASED)
            .count()
        )
    else:
        done = Comment.objects.filter(author=author, created_at__gte=since).count()
    if done >= cap:
        raise screening.Refused(
            _(
                "New accounts can post at most %(cap)s of these on their first day. "
                "Please try again tomorrow."
            )
            % {"cap": cap}
        )


def check_limit(action: str, user, done) -> None:
    """core.screening limiter: first-day caps on follows and reports."""
    if not settings.TRUST_SCREENING or user.is_staff or not levels.first_day(user):
        return
    cap = settings.TRUST_FIRST_DAY_CAPS.get(action)
    if cap is not None and done() >= cap:
        raise screening.Refused(
            _(
                "New accounts can do this at most %(cap)s times on their first day. "
                "Please try again tomorrow."
            )
            % {"cap": cap}
        )


def _honeypot(submission: Submission) -> Hold | None:
    if submission.honeypot_filled:
        return Hold("honeypot", _("a field hidden from people was filled in"))
    return None


def _too_fast(submission: Submission) -> Hold | None:
    minimum = settings.TRUST_MIN_FORM_SECONDS.get(submission.kind)
    if submission.form_seconds is not None and minimum and submission.form_seconds < minimum:
        return Hold(
            "too_fast",
            _("sent %(seconds).1f s after the form was shown")
            % {"seconds": submission.form_seconds},
        )
    return None


def _blocked_host(hosts: list[str]) -> Hold | None:
    blocked = {host.lower().removeprefix("www.") for host in settings.TRUST_BLOCKED_HOSTS}
    for host in hosts:
        if host in blocked or any(host.endswith("." + parent) for parent in blocked):
            return Hold("blocked_host", host)
    return None


@lru_cache(maxsize=4)
def _phrases(extra: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    """(category, phrase as written, phrase as read) for the list and the extras."""
    listed = [(category, phrase) for category, words in CATEGORIES.items() for phrase in words]
    listed += [("extra", phrase) for phrase in extra]
    return tuple((category, phrase, normalise(phrase)) for category, phrase in listed)


def word_hits(text: str) -> list[str]:
    """The listed phrases the text contains, as whole words after normalising."""
    normal, runs = read(text)
    padded = f" {normal} "
    hits = []
    for category, phrase, read_as in _phrases(tuple(settings.TRUST_EXTRA_WORDS)):
        if not read_as:
            continue
        squashed = read_as.replace(" ", "")
        if f" {read_as} " in padded or any(squashed in run for run in runs):
            hits.append(f"{category}: {phrase}")
    return hits


def _word_list(text: str, level: int, hosts: list[str]) -> Hold | None:
    hits = word_hits(text)
    # A trusted writer may write about gambling (a policy essay); promotion links.
    if not hits or (level >= Level.TEPERCAYA and not hosts):
        return None
    return Hold("word_list", "; ".join(hits[:8]))


def _too_many_links(hosts: list[str], level: int) -> Hold | None:
    allowed = settings.TRUST_MAX_LINKS[min(level, len(settings.TRUST_MAX_LINKS) - 1)]
    if len(hosts) > allowed:
        return Hold("too_many_links", _("%(count)s links, %(allowed)s allowed") % {
            "count": len(hosts), "allowed": allowed})  # fmt: skip
    return None


def _since_hours():
    return timezone.now() - timedelta(hours=settings.TRUST_FINGERPRINT_HOURS)


def _repeated_host(hosts: list[str], author, level: int) -> Hold | None:
    if level >= Level.TEPERCAYA:
        return None
    for host in sorted(set(hosts)):
        others = (
            Fingerprint.objects.filter(
                kind=Fingerprint.Kind.HOST, value=host, created_at__gte=_since_hours()
            )
            .exclude(author=author)
            .values("author_id")
            .distinct()
            .count()
        )
        if others + 1 >= settings.TRUST_REPEATED_HOST_ACCOUNTS:
            return Hold(
                "repeated_host",
                _("%(host)s linked by %(count)s accounts today")
                % {"host": host, "count": others + 1},
            )
    return None


def _digest(text: str) -> str:
    return hashlib.sha256(normalise(text).encode()).hexdigest()


def _duplicate_text(text: str, author) -> Hold | None:
    if len(normalise(text)) < 20:
        return None  # "terima kasih" twice is not spam
    since = timezone.now() - timedelta(minutes=settings.TRUST_DUPLICATE_MINUTES)
    copied = (
        Fingerprint.objects.filter(
            kind=Fingerprint.Kind.TEXT, value=_digest(text), created_at__gte=since
        )
        .exclude(author=author)
        .exists()
    )
    return Hold("duplicate_text", _("the same text from another account")) if copied else None


def _probation(kind: str, author, level: int) -> Hold | None:
    if level != Level.BARU:
        return None
    if SignupAddress.objects.filter(user=author, flagged=True).exists():
        return Hold("signup_address", _("one of many accounts signed up from one address today"))
    if kind == screening.ARTICLE:
        if not Article.objects.filter(author=author, published_at__isnull=False).exists():
            return Hold("probation", _("first article of a new account"))
        return None
    visible = Comment.objects.filter(author=author, status=Comment.Status.VISIBLE).count()
    if visible < settings.TRUST_PROBATION_COMMENTS:
        return Hold(
            "probation",
            _("comment %(n)s of the first %(limit)s of a new account")
            % {"n": visible + 1, "limit": settings.TRUST_PROBATION_COMMENTS},
        )
    return None


def _remember(text: str, hosts: list[str], author) -> None:
    rows = [Fingerprint(kind=Fingerprint.Kind.HOST, value=host[:255], author=author)
            for host in sorted(set(hosts))]  # fmt: skip
    if len(normalise(text)) >= 20:
        rows.append(Fingerprint(kind=Fingerprint.Kind.TEXT, value=_digest(text), author=author))
    Fingerprint.objects.bulk_create(rows)
