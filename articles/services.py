"""Writes to articles that have side effects. Views, admin and commands call these."""

import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.http import HttpRequest
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _

from accounts.images import as_file, delete_after_commit, encode, open_image
from caching import generations, readers
from core import events, screening
from core.network import client_address
from notifications import services as notification_services

from . import bodyimages, viewcounts
from .models import (
    CORRECTION_NOTE_CHARS,
    SEARCH_FIELDS,
    SERIES_MAX_PARTS,
    Article,
    ArticleAutosave,
    ArticleRevision,
    BodyImage,
    Correction,
    EditorialDecision,
    EditorialLabel,
    Rating,
    Series,
    Topic,
)
from .sanitizer import html_to_text
from .tasks import publish_scheduled, tell_followers

_TAG_JUNK = re.compile(r"[^\w\s-]")

BOT_MARKERS = ("bot", "crawl", "spider", "slurp", "preview", "headless")


def reader_fingerprint(request: HttpRequest) -> str:
    """Who is reading, for view counting: the user, or a hash of address and browser.

    The address is the client's behind the trusted proxies (core.network), not
    the load balancer's. The raw address is never stored; the hash only lives in
    the cache for the counting window.
    """
    if request.user.is_authenticated:
        return f"u{request.user.pk}"
    address = client_address(request)
    agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    digest = hashlib.blake2b(
        f"{address}|{agent}".encode(), key=settings.SECRET_KEY.encode()[:64], digest_size=12
    )
    return "a" + digest.hexdigest()


@dataclass(frozen=True)
class ViewTarget:
    """What counting needs of an article, for a cached page to count with."""

    pk: int
    author_id: int
    is_public: bool

    @classmethod
    def of(cls, article: Article) -> "ViewTarget":
        return cls(pk=article.pk, author_id=article.author_id, is_public=article.is_public)


def record_view(article: Article | ViewTarget, request: HttpRequest) -> bool:
    """Count one view of a published article per reader per window; True if counted.

    The cache's atomic ``add`` decides whether this reader was seen recently
    (shared between processes when the cache is Redis). With Redis the view is
    added to a buffer there and reaches the database in batches (see
    ``articles/viewcounts.py``); without it, the count goes up in the database
    with an UPDATE ... SET view_count = view_count + 1. Either way concurrent
    readers never overwrite each other's counts.
    """
    if not article.is_public or request.user.pk == article.author_id:
        return False
    if readers.is_shared_render(request):
        return False  # a page shared by every signed-in reader: counted as each is served
    agent = request.META.get("HTTP_USER_AGENT", "").lower()
    if not agent or any(marker in agent for marker in BOT_MARKERS):
        return False
    key = f"viewed:{article.pk}:{reader_fingerprint(request)}"
    counted = viewcounts.count_view(article.pk, key)
    if counted is not None:
        return counted
    if not cache.add(key, 1, timeout=settings.VIEW_COUNT_WINDOW):
        return False
    Article.objects.filter(pk=article.pk).update(view_count=F("view_count") + 1)
    return True


def show_changes(article: Article, *, topic_ids=(), related: bool = True) -> None:
    """Make every cached page the article appears on stale: its own, the lists
    (home, tags), its author's and its topic's and section's, and those of the
    topics in ``topic_ids`` (where it was before a move). README, "Caching".

    ``related=False`` when the article only joins its topic's related lists (a
    publication, a restore) or changed nothing they show: the other articles'
    pages then stay cached, and show it when they are next rendered."""
    topics = sorted({article.topic_id, article.section_id, *topic_ids} - {None})
    generations.bump(
        generations.LISTS,
        generations.article(article.pk),
        generations.author(article.author_id),
        *(generations.topic(pk) for pk in topics),
        *(generations.related(pk) for pk in topics if related),
    )
    if article.series_id is not None:
        show_series_changes(article.series_id)


def show_series_changes(series_id: int) -> None:
    """Every part of a series lists the others: make their pages stale."""
    parts = Article.objects.filter(series_id=series_id).values_list("pk", flat=True)
    generations.bump(*(generations.article(pk) for pk in parts[:SERIES_MAX_PARTS]))


def _visible_state(values, tags) -> tuple:
    """What readers see of an article (``values``: a stored row, or the article's
    fields as ``getattr``), to tell whether a save changed anything."""
    return (*(values(field) for field in _STATE_FIELDS), tuple(sorted(tags)))


def _field_value(article: Article, field: str):
    value = getattr(article, field)
    return value.name if field in COVER_FIELDS else value


def flush_view_counts() -> int:
    """Write the view counts buffered in Redis to the database; the number of views
    written (0 without Redis, where views are written as they happen)."""
    return viewcounts.flush()


def normalise_tag(name: str) -> str:
    """One spelling per tag: lower case, letters, digits, spaces and hyphens only,
    single spaces. Returns "" for a tag with nothing left (it is then dropped)."""
    cleaned = _TAG_JUNK.sub(" ", name).replace("_", " ")
    return " ".join(cleaned.split()).strip(" -").lower()[:50]


def set_cover(article: Article, upload) -> None:
    """Re-encode an uploaded cover and store it with its two renditions.

    Called before the article is saved; the caller saves the three fields.
    Raises ValidationError (with a translated message) for anything that is
    not an acceptable image, before anything is written.
    """
    image = open_image(upload)
    renditions = {
        "cover": as_file(encode(image, max_side=2400)),
        "cover_page": as_file(encode(image, max_side=1200), suffix="-page"),
        "cover_card": as_file(encode(image, max_side=0, crop=(640, 360)), suffix="-card"),
    }
    for field, content in renditions.items():
        getattr(article, field).save(content.name, content, save=False)


def clear_cover(article: Article) -> None:
    article.cover = article.cover_page = article.cover_card = ""


COVER_FIELDS = ("cover", "cover_page", "cover_card")


ARTICLE_FIELDS = ("title", "topic", "excerpt", "body", "cover_caption", "cover_credit")
# What a reader sees of those, with the cover's files.
_STATE_FIELDS = (
    "series_id",
    "title",
    "topic_id",
    "excerpt",
    "body",
    "cover_caption",
    "cover_credit",
    *COVER_FIELDS,
)


# What revisions keep (README, "Writing"): a draft's saves as checkpoints, at most
# one per REVISION_CHECKPOINT_SECONDS (a later save in the window updates it) and
# the newest KEEP_CHECKPOINTS; every other revision (publications, saves of a
# published article, corrections, restores) up to the newest KEEP_REVISIONS.
REVISION_CHECKPOINT_SECONDS = 10 * 60
KEEP_CHECKPOINTS = 30
KEEP_REVISIONS = 200
REVISION_FIELDS = ("title", "excerpt", "body")


def record_revision(
    article: Article, *, by, kind: str, values=None, throttle: bool = True
) -> ArticleRevision:
    """Keep the article's title, excerpt and body (or ``values``, a mapping of
    them) as a revision, throttling (unless told not to) and thinning as
    REVISION_CHECKPOINT_SECONDS, KEEP_CHECKPOINTS and KEEP_REVISIONS say."""
    values = values or {field: getattr(article, field) for field in REVISION_FIELDS}
    now = timezone.now()
    history = ArticleRevision.objects.filter(article=article).order_by("-created_at", "-id")
    if throttle and kind == ArticleRevision.Kind.CHECKPOINT:
        latest = history.only("kind", "created_by_id", "created_at").first()
        if (
            latest is not None
            and latest.kind == kind
            and latest.created_by_id == by.pk
            and (now - latest.created_at).total_seconds() < REVISION_CHECKPOINT_SECONDS
        ):
            ArticleRevision.objects.filter(pk=latest.pk).update(**values)
            return latest
    revision = ArticleRevision.objects.create(
        article=article, kind=kind, created_by=by, created_at=now, **values
    )
    # Thin the kind just added (checkpoints, or the others): at most a few past
    # the limit, since each save thins what it adds.
    is_checkpoint = Q(kind=ArticleRevision.Kind.CHECKPOINT)
    if kind == ArticleRevision.Kind.CHECKPOINT:
        rows, keep = history.filter(is_checkpoint), KEEP_CHECKPOINTS
    else:
        rows, keep = history.exclude(is_checkpoint), KEEP_REVISIONS
    surplus = list(rows.values_list("pk", flat=True)[keep : keep + 100])
    if surplus:
        ArticleRevision.objects.filter(pk__in=surplus).delete()
    return revision


class EditConflict(ValidationError):
    """The article was saved (in another tab, or by someone else) since the
    version the editor started from: nothing is written, so neither text is lost."""

    def __init__(self):
        super().__init__(
            _(
                "This article was saved in another tab or by someone else since you opened "
                "it. Your text here is not saved: copy what you need, then reload the page."
            ),
            code="conflict",
        )


@transaction.atomic
def save_article(
    article: Article,
    *,
    author,
    data: dict,
    tags: list[str],
    cover_upload=None,
    remove_cover: bool = False,
    revision_kind: str | None = None,
    expected_version: int | None = None,
) -> Article:
    """Create or change an article from the author's form; a published one shows as updated.

    Only the fields the author may set are taken from ``data``: status, author,
    times and counters are never changed here. A removed or replaced cover's
    files (the cover and its renditions) are deleted from storage after the commit.

    Every save that changes something is a revision (``revision_kind``, by
    default a save of a published article or a draft's checkpoint); an article
    from before revisions first gets its stored text as the earliest one.

    With ``expected_version`` (the edit_version the editor started from), a
    save based on an older version raises EditConflict and writes nothing.
    A saved published article drops its autosaved changes (they are saved now).
    """
    is_new = article.pk is None
    # The row as stored, locked until the commit: a ModelForm has already put
    # the new values on the instance.
    stored = (
        {}
        if is_new
        else Article.objects.select_for_update()
        .values(*_STATE_FIELDS, "section_id", "slug", "edit_version")
        .get(pk=article.pk)
    )
    if expected_version is not None and stored and stored["edit_version"] != expected_version:
        raise EditConflict
    before = (
        None if is_new else _visible_state(stored.get, article.tags.values_list("name", flat=True))
    )
    if is_new:
        article.author = author
        article.status = Article.Status.DRAFT
    for field in ARTICLE_FIELDS:
        setattr(article, field, data[field])
    if "series_title" in data:
        _place_in_series(article, data["series_title"], author=article.author)
    if remove_cover:
        clear_cover(article)
    if cover_upload is not None:
        set_cover(article, cover_upload)
    if before == _visible_state(lambda field: _field_value(article, field), tags):
        return article  # nothing a reader would see changed: no "Diperbarui", no bump
    if not is_new and article.published_at is not None:
        article.updated_at = timezone.now()
    article._pending_tag_names = (
        tags  # indexed for search by this save (Article.fill_search_fields)
    )
    if not is_new:
        article.edit_version = stored["edit_version"] + 1  # the row is locked
    first_revision = not is_new and not ArticleRevision.objects.filter(article=article).exists()
    if first_revision:
        _record_earliest_revision(article, stored)
    article.save()
    article.tags.set(tags)
    _claim_body_images(article)
    is_public = article.status in (Article.Status.PUBLISHED, Article.Status.HIDDEN)
    if is_public and not is_new:
        ArticleAutosave.objects.filter(article=article).delete()
    record_revision(
        article,
        by=author,
        kind=revision_kind
        or (ArticleRevision.Kind.SAVE if is_public else ArticleRevision.Kind.CHECKPOINT),
        # Never written over the text from before the first revision.
        throttle=not first_revision,
    )
    replaced = {stored.get(field) for field in COVER_FIELDS} - {
        getattr(article, field).name for field in COVER_FIELDS
    }
    delete_after_commit(article.cover.storage, replaced)
    if stored.get("series_id") not in (None, article.series_id):
        show_series_changes(stored["series_id"])  # the series it left lists it no more
    if article.status in (Article.Status.PUBLISHED, Article.Status.HIDDEN):
        # The topic and section it left too, when it moved.
        show_changes(
            article,
            topic_ids=(stored.get("topic_id"), stored.get("section_id")),
            # The related lists show its title, linked (with the slug), in its topic.
            related=any(
                stored.get(field) != getattr(article, field)
                for field in ("title", "slug", "topic_id")
            ),
        )
    if not is_new and article.status == Article.Status.PUBLISHED:
        _emit(events.ARTICLE_UPDATED, article)
    return article


def _emit(event: str, article: Article) -> None:
    """Tell the apps above (webhooks) what happened to the article (core/events.py)."""
    events.emit(event, article_id=article.pk, author_id=article.author_id)


@transaction.atomic
def correct_article(article: Article, *, by, note: str, **changes) -> Correction:
    """Save the author's changes to a published article as a correction (Ralat):
    the changes go through save_article, and a public note with its date says
    what was wrong and what is right (README, "Writing"). ``changes`` are
    save_article's keyword arguments. A note with no change to the text is
    still a correction (the note itself is what readers need).

    Raises ValidationError for an empty or too long note, or an article that is
    not published.
    """
    note = " ".join(note.split())
    if not note:
        raise ValidationError(_("Say what was wrong and what is right."), code="required")
    if len(note) > CORRECTION_NOTE_CHARS:
        raise ValidationError(
            _("Keep the correction to %(limit)s characters.") % {"limit": CORRECTION_NOTE_CHARS},
            code="too_long",
        )
    if article.status != Article.Status.PUBLISHED:
        raise ValidationError(_("Only a published article can be corrected."), code="not_published")
    save_article(article, revision_kind=ArticleRevision.Kind.CORRECTION, **changes)
    correction = Correction.objects.create(
        article=article, author_id=article.author_id, note=note, created_by=by
    )
    # The article page and feed item show it, and the author's page lists it.
    generations.bump(generations.article(article.pk), generations.author(article.author_id))
    _emit(events.ARTICLE_CORRECTED, article)
    return correction


@transaction.atomic
def autosave_article(
    article: Article, *, by, data: dict, tags: list[str], expected_version: int | None
) -> Article:
    """Autosave from the write page (README, "Writing"). A new article or a draft
    is saved as the draft button saves it (without the cover); a published or
    hidden article's title, excerpt and body are kept aside (ArticleAutosave)
    until its author saves, so readers never see half-written changes.

    Raises EditConflict when the article was saved since ``expected_version``.
    """
    if article.pk is None or article.status == Article.Status.DRAFT:
        return save_article(
            article, author=by, data=data, tags=tags, expected_version=expected_version
        )
    stored = Article.objects.select_for_update().values(*REVISION_FIELDS, "edit_version")
    stored = stored.get(pk=article.pk)
    if expected_version is not None and stored["edit_version"] != expected_version:
        raise EditConflict
    values = {field: data[field] for field in REVISION_FIELDS}
    if values == {field: stored[field] for field in REVISION_FIELDS}:
        ArticleAutosave.objects.filter(article=article).delete()  # back to what readers see
    else:
        ArticleAutosave.objects.update_or_create(
            article=article, defaults={**values, "saved_by": by, "saved_at": timezone.now()}
        )
    Article.objects.filter(pk=article.pk).update(edit_version=F("edit_version") + 1)
    article.edit_version = stored["edit_version"] + 1
    return article


def discard_autosave(article: Article, *, by) -> bool:
    """Drop a published article's autosaved changes; True if there were any."""
    deleted, _rows = ArticleAutosave.objects.filter(article=article).delete()
    return bool(deleted)


def _place_in_series(article: Article, title: str, *, author) -> None:
    """Put the article in the author's series of this title (made if new), at its
    end, or in none for an empty title. Raises ValidationError for a full series."""
    title = " ".join(title.split())
    if not title:
        article.series, article.series_position = None, None
        return
    if article.series_id is not None and article.series.title == title:
        return
    series, _created = Series.objects.get_or_create(author=author, title=title)
    parts = Article.objects.filter(series=series).exclude(status=Article.Status.DELETED)
    if parts.count() >= SERIES_MAX_PARTS:
        raise ValidationError(
            _("A series has at most %(limit)s articles.") % {"limit": SERIES_MAX_PARTS},
            code="series_full",
        )
    last = parts.order_by("-series_position").values_list("series_position", flat=True).first()
    article.series, article.series_position = series, (last or 0) + 1


def _record_earliest_revision(article: Article, stored: dict) -> None:
    """The text an article had before its first revision, dated when it was written."""
    ArticleRevision.objects.create(
        article=article,
        kind=(
            ArticleRevision.Kind.PUBLICATION
            if article.published_at
            else ArticleRevision.Kind.CHECKPOINT
        ),
        created_by_id=article.author_id,
        created_at=article.published_at or article.created_at,
        **{field: stored[field] for field in REVISION_FIELDS},
    )


def restore_revision(article: Article, revision: ArticleRevision, *, by) -> bool:
    """Bring back a revision's title, excerpt and body (the topic, cover and tags
    stay as they are) through save_article, as a new revision. False when the
    article already reads so."""
    if revision.article_id != article.pk:
        raise ValidationError(_("This revision belongs to another article."), code="other")
    if all(getattr(article, field) == getattr(revision, field) for field in REVISION_FIELDS):
        return False
    data = {field: getattr(article, field) for field in ARTICLE_FIELDS}
    data.update({field: getattr(revision, field) for field in REVISION_FIELDS})
    save_article(
        article,
        author=by,
        data=data,
        tags=list(article.tags.names()),
        revision_kind=ArticleRevision.Kind.RESTORE,
    )
    return True


@transaction.atomic
def publish_article(
    article: Article,
    *,
    by,
    screen: bool = True,
    form_seconds: float | None = None,
    honeypot_filled: bool = False,
) -> Article:
    """Publish a draft. The published time is set, and the author's followers
    are told, the first time only: publishing again after unpublishing is not
    news, and notices withdrawn when it was unpublished stay withdrawn.

    The screeners (core.screening, README "Trust and spam") look at it first: a
    hold leaves it HELD for a moderator (release_held_article), a limit raises
    screening.Refused and changes nothing. ``screen=False`` is for demo data.

    Raises ValidationError for a draft with nothing to read.
    """
    if article.status != Article.Status.DRAFT:
        return article
    if not article.has_content:
        raise ValidationError(_("Write the article before publishing it."), code="empty")
    # A staff member publishing (the admin action) has made the human decision.
    if screen and not getattr(by, "is_staff", False):
        hold = screening.screen(
            screening.Submission(
                kind=screening.ARTICLE,
                author=article.author,
                title=article.title,
                text=" ".join(filter(None, [article.excerpt, html_to_text(article.body_html)])),
                html=article.body_html,
                object_id=article.pk,
                form_seconds=form_seconds,
                honeypot_filled=honeypot_filled,
            )
        )
        if hold is not None:
            # Nobody but the author and moderators sees it; nothing is announced.
            article.status = Article.Status.HELD
            article.scheduled_at = None
            article.save(update_fields=["status", "scheduled_at"])
            screening.held(screening.ARTICLE, article.pk, hold)
            return article
    return _make_public(article, by=by)


def _make_public(article: Article, *, by) -> Article:
    first_publication = article.published_at is None
    now = timezone.now()
    article.status = Article.Status.PUBLISHED
    article.scheduled_at = None  # published by hand before its time: the task does nothing
    if first_publication:
        article.published_at = now
    else:
        article.updated_at = now
    article.save(update_fields=["status", "published_at", "updated_at", "scheduled_at"])
    record_revision(article, by=by, kind=ArticleRevision.Kind.PUBLICATION)
    show_changes(article, related=False)
    _emit(events.ARTICLE_PUBLISHED, article)
    if first_publication:
        # An author may have thousands of followers: a task writes their notices.
        # Queued in the publication's transaction when there is one, so it never
        # runs for a publication rolled back.
        tell_followers.enqueue(article.pk)
    return article


@transaction.atomic
def release_held_article(article: Article, *, by) -> bool:
    """A moderator lets a held article through: it is published as if never held
    (followers told, lists bumped). True if it was held."""
    locked = Article.objects.select_for_update().filter(pk=article.pk, status=Article.Status.HELD)
    if not locked.update(status=Article.Status.DRAFT):
        return False
    article.status = Article.Status.DRAFT
    _make_public(article, by=by)
    return True


def reject_held_article(article: Article, *, by) -> bool:
    """A moderator keeps a held article from the public: it goes back to being the
    author's draft (never deleted; publishing it again is screened again)."""
    changed = Article.objects.filter(pk=article.pk, status=Article.Status.HELD).update(
        status=Article.Status.DRAFT
    )
    if changed:
        article.status = Article.Status.DRAFT
    return bool(changed)


def schedule_article(article: Article, *, when, by) -> Article:
    """Have the task worker publish a draft at ``when`` (aware), through
    publish_article; a time already past publishes it at once. Scheduling again
    moves the time (the task queued before finds the schedule changed and does
    nothing). README, "Writing".

    Raises ValidationError for an article that is not a draft or has nothing to read.
    """
    if article.status != Article.Status.DRAFT:
        raise ValidationError(_("Only a draft can be scheduled."), code="not_draft")
    if not article.has_content:
        raise ValidationError(_("Write the article before publishing it."), code="empty")
    when = when.replace(second=0, microsecond=0)
    if when <= timezone.now():
        return publish_article(article, by=by)
    article.scheduled_at = when
    article.save(update_fields=["scheduled_at"])
    task = publish_scheduled
    if task.get_backend().supports_defer:
        task = task.using(run_after=when)
    # With the immediate backend (development) the task runs now, finds the
    # time not yet come and leaves it to manage.py publish_scheduled.
    task.enqueue(article.pk, when.isoformat())
    return article


def cancel_schedule(article: Article, *, by) -> Article:
    """The draft stays a draft; the queued task finds no schedule and does nothing."""
    if article.scheduled_at is not None:
        article.scheduled_at = None
        article.save(update_fields=["scheduled_at"])
    return article


@transaction.atomic
def publish_scheduled_article(article_id: int, *, when) -> bool:
    """Publish a draft scheduled for ``when`` once that time has come; True if it
    did. The row is locked, so two workers running the same task publish once."""
    article = (
        Article.objects.select_for_update(of=("self",))
        .select_related("author", "topic")
        .filter(pk=article_id, status=Article.Status.DRAFT, scheduled_at=when)
        .first()
    )
    if article is None or when > timezone.now():
        return False
    try:
        publish_article(article, by=article.author)
    except ValidationError:
        # Emptied since it was scheduled: it stays a draft, unscheduled.
        cancel_schedule(article, by=article.author)
        return False
    return True


def publish_due_articles() -> int:
    """Publish every scheduled draft whose time has come (manage.py
    publish_scheduled: for development, and should a queued task be lost)."""
    due = Article.objects.filter(scheduled_at__lte=timezone.now()).values_list("pk", "scheduled_at")
    return sum(publish_scheduled_article(pk, when=when) for pk, when in due[:1000])


def unpublish_article(article: Article, *, by) -> Article:
    """Take a published article back to draft; its link answers 404 until republished."""
    if article.status == Article.Status.PUBLISHED:
        article.status = Article.Status.DRAFT
        article.save(update_fields=["status"])
        show_changes(article)
        notification_services.withdraw_about_article(article)
        _emit(events.ARTICLE_UNPUBLISHED, article)
    return article


def delete_article(article: Article, *, by) -> Article:
    """The author deletes their article: it leaves every page but the row is kept,
    so reports and moderation records about it still have their evidence."""
    was_public = article.status == Article.Status.PUBLISHED
    article.status = Article.Status.DELETED
    article.scheduled_at = None
    article.save(update_fields=["status", "scheduled_at"])
    if was_public:
        show_changes(article)
        _emit(events.ARTICLE_UNPUBLISHED, article)
    notification_services.withdraw_about_article(article)
    return article


@transaction.atomic
def erase_article(article: Article, *, by) -> Article:
    """Remove an article's writing for good (its author deleted their account and
    chose to remove it, or a court ordered its erasure): it leaves every page as
    :func:`delete_article` does, and its text (so the search index), revisions,
    kept autosave, corrections, tags and cover files are gone. The row stays,
    empty, so that moderation records pointing at it keep their key; their
    evidence is the report's own snapshot."""
    delete_article(article, by=by)
    covers = [getattr(article, field).name for field in COVER_FIELDS]
    article.title = "—"
    article.slug = "dihapus"  # the old slug spelt the title
    article.excerpt = article.body = ""
    article.cover_caption = article.cover_credit = ""
    clear_cover(article)
    article.save(
        update_fields=[
            "title",
            "slug",
            "excerpt",
            "body",
            "cover_caption",
            "cover_credit",
            *COVER_FIELDS,
        ]
    )
    article.tags.clear()
    ArticleRevision.objects.filter(article=article).delete()
    ArticleAutosave.objects.filter(article=article).delete()
    Correction.objects.filter(article=article).delete()
    delete_after_commit(article.cover.storage, covers)
    delete_body_images(BodyImage.objects.filter(article=article))
    show_changes(article)
    return article


@transaction.atomic
def withhold_article(article: Article, *, by) -> bool:
    """Take an article down on a legal order (rights app): it leaves every list,
    feed, search result and sitemap (they read published articles only) and
    federated copies (``article.unpublished``); its page answers 451 with the
    order's legal basis. Unlike :func:`delete_article` the status says why, and
    nothing is removed: the author still lists it. True if changed."""
    was_visible = article.status in (Article.Status.PUBLISHED, Article.Status.HIDDEN)
    changed = (
        Article.objects.filter(pk=article.pk)
        .exclude(status__in=(Article.Status.WITHHELD, Article.Status.DELETED))
        .update(status=Article.Status.WITHHELD, scheduled_at=None)
    )
    if not changed:
        return False
    article.status, article.scheduled_at = Article.Status.WITHHELD, None
    notification_services.withdraw_about_article(article)
    show_changes(article)
    if was_visible:
        _emit(events.ARTICLE_UNPUBLISHED, article)
    return True


def hide_article(article: Article) -> bool:
    """Hide a published article (moderation). The row and its comments stay;
    the public sees a notice, the author and moderators the article. True if changed."""
    changed = Article.objects.filter(pk=article.pk, status=Article.Status.PUBLISHED).update(
        status=Article.Status.HIDDEN
    )
    if changed:
        article.status = Article.Status.HIDDEN
        notification_services.withdraw_about_article(article)
        show_changes(article)
        _emit(events.ARTICLE_HIDDEN, article)
    return bool(changed)


def restore_article(article: Article) -> bool:
    """Bring a hidden article back exactly as it was. True if changed."""
    changed = Article.objects.filter(pk=article.pk, status=Article.Status.HIDDEN).update(
        status=Article.Status.PUBLISHED
    )
    if changed:
        article.status = Article.Status.PUBLISHED
        show_changes(article, related=False)
        _emit(events.ARTICLE_RESTORED, article)
    return bool(changed)


@transaction.atomic
def save_topic(topic: Topic) -> Topic:
    """Create or change a topic. Moved under another section (or to the top), it
    takes its articles along: their stored section (Article.section, the topic
    pages' index) follows, in one UPDATE."""
    old_name = (
        Topic.objects.filter(pk=topic.pk).values_list("name", flat=True).first()
        if topic.pk
        else None
    )
    topic.save()
    Article.objects.filter(topic=topic).exclude(section_id=topic.section_id).update(
        section_id=topic.section_id
    )
    if old_name is not None and old_name != topic.name:
        _index_topic_name(topic)
    # Topics show in every page's header and on every card.
    generations.bump(generations.TOPICS, generations.LISTS, generations.topic(topic.pk))
    return topic


TOPIC_RENAME_BATCH = 500


def _index_topic_name(topic: Topic) -> None:
    """A renamed topic's articles are searched by the new name: their keyword terms
    are rewritten in batches (a rare admin action; README, "Search")."""
    last = 0
    while True:
        batch = list(
            Article.objects.filter(topic=topic, pk__gt=last)
            .order_by("pk")
            .select_related("topic")
            .prefetch_related("tags")
            .only("pk", "title", "topic", "excerpt", "body_html", *SEARCH_FIELDS)[
                :TOPIC_RENAME_BATCH
            ]
        )
        if not batch:
            return
        for article in batch:
            tag_names = [tag.name for tag in article.tags.all()]
            # The body's terms are read again: PostgreSQL stores only the vector.
            article.fill_search_fields(tag_names=tag_names)
        Article.objects.bulk_update(batch, SEARCH_FIELDS)
        last = batch[-1].pk


_LABEL_FIELDS = {EditorialLabel.PICK: "is_pick", EditorialLabel.HEADLINE: "is_headline"}


def set_editorial_label(article: Article, *, label: str, on: bool, by, note: str = "") -> bool:
    """Mark or unmark a published article as Pilihan (editor's pick) or Artikel
    Utama (headline), and record who did it (EditorialDecision). True if changed;
    marking it as it already is changes and records nothing.

    Only published articles take a label (a hidden or draft one would show
    nowhere); removing a label works whatever the status.
    """
    field = _LABEL_FIELDS[EditorialLabel(label)]
    rows = Article.objects.filter(pk=article.pk, **{field: not on})
    if on:
        if article.status != Article.Status.PUBLISHED:
            raise ValidationError(
                _("Only a published article can be an editor's pick or a headline."),
                code="not_published",
            )
        rows = rows.filter(status=Article.Status.PUBLISHED)
    with transaction.atomic():
        # The conditional update decides, so two editors clicking at once
        # record one decision, not two.
        if not rows.update(**{field: on}):
            return False
        EditorialDecision.objects.create(
            article=article, editor=by, label=label, added=on, note=note[:300]
        )
        generations.bump(generations.LISTS, generations.article(article.pk))
    setattr(article, field, on)
    return True


def rate_article(article: Article, *, user, label: str) -> Rating:
    """Give, or change, the reader's one rating of a published article.

    Row-per-rating (no counters), so concurrent ratings can never lose a count;
    the unique constraint keeps one per reader even when two requests race.
    """
    if label not in Rating.Label.values:
        raise ValidationError(_("Choose one of the ratings."), code="invalid")
    if not article.is_public:
        raise ValidationError(_("This article cannot be rated."), code="not_public")
    if user.pk == article.author_id:
        raise ValidationError(_("You cannot rate your own article."), code="own")
    try:
        with transaction.atomic():
            rating, _created = Rating.objects.update_or_create(
                article=article, user=user, defaults={"label": label}
            )
    except IntegrityError:
        # A concurrent first rating won the insert; this one becomes the change.
        Rating.objects.filter(article=article, user=user).update(label=label)
        rating = Rating.objects.get(article=article, user=user)
    generations.bump(generations.article(article.pk), generations.reader(user.pk))
    return rating


def withdraw_rating(article: Article, *, user) -> bool:
    deleted, _rows = Rating.objects.filter(article=article, user=user).delete()
    if deleted:
        generations.bump(generations.article(article.pk), generations.reader(user.pk))
    return bool(deleted)


def withdraw_ratings_of(user) -> int:
    """Remove every rating a person gave (their account is deleted)."""
    rated = list(Rating.objects.filter(user=user).values_list("article_id", flat=True))
    deleted, _rows = Rating.objects.filter(user=user).delete()
    if rated:
        generations.bump(*(generations.article(pk) for pk in rated), generations.reader(user.pk))
    return deleted


def rating_summary(article: Article | int, user) -> dict:
    """Counts per label and the reader's own label, in one GROUP BY query."""
    mine_filter = Q(user=user) if user.is_authenticated else Q(pk__in=[])
    rows = (
        Rating.objects.filter(article=article)
        .values("label")
        .annotate(count=Count("id"), mine=Count("id", filter=mine_filter))
        .order_by()
    )
    counts = {row["label"]: row["count"] for row in rows}
    mine = next((row["label"] for row in rows if row["mine"]), None)
    return {
        "labels": [
            {
                "value": value,
                # str: a lazy label costs a new class to unpickle from the cache.
                "name": str(name),
                "count": counts.get(value, 0),
                "mine": value == mine,
            }
            for value, name in Rating.Label.choices
        ],
        "total": sum(counts.values()),
        "mine": mine,
    }


# Photos in the body (README, "Writing") ---------------------------------------

ALT_TEXT_CHARS = 300
CAPTION_CHARS = 300


@transaction.atomic
def upload_body_image(*, owner, upload, alt: str, caption: str = "", article=None) -> BodyImage:
    """Store a photo for an article's body: validated by its content and
    re-encoded like a cover (accounts.images: formats, byte and pixel limits, no
    metadata), at the widths of articles.bodyimages under generated names.

    Raises ValidationError, with a translated message, and stores nothing for
    a missing alt text, a file that is not an acceptable image, an author past
    the hourly limit or the storage quota, or an article with its photos full.
    """
    alt, caption = " ".join(alt.split()), " ".join(caption.split())
    if not alt:
        raise ValidationError(
            _("Describe the photo for readers who cannot see it (alternative text)."),
            code="alt_required",
        )
    if len(alt) > ALT_TEXT_CHARS or len(caption) > CAPTION_CHARS:
        raise ValidationError(
            _("Keep the alternative text and the caption to %(limit)s characters each.")
            % {"limit": ALT_TEXT_CHARS},
            code="too_long",
        )
    # One upload at a time per author, so two at once cannot both pass the quota.
    get_user_model().objects.select_for_update().filter(pk=owner.pk).first()
    mine = BodyImage.objects.filter(owner=owner)
    hour_ago = timezone.now() - timezone.timedelta(hours=1)
    if mine.filter(created_at__gte=hour_ago).count() >= settings.BODY_IMAGE_UPLOADS_PER_HOUR:
        raise ValidationError(
            _("You have uploaded %(limit)s photos in the last hour. Try again later.")
            % {"limit": settings.BODY_IMAGE_UPLOADS_PER_HOUR},
            code="rate",
        )
    if article is not None and (
        BodyImage.objects.filter(article=article).count() >= settings.BODY_IMAGES_PER_ARTICLE
    ):
        raise ValidationError(
            _("An article holds at most %(limit)s photos.")
            % {"limit": settings.BODY_IMAGES_PER_ARTICLE},
            code="article_full",
        )
    encoded = bodyimages.encode_renditions(open_image(upload))
    size = sum(len(data) for data in encoded.files.values())
    used = mine.aggregate(total=Sum("bytes"))["total"] or 0
    quota = settings.BODY_IMAGE_QUOTA_MB * 1024 * 1024
    if used + size > quota:
        raise ValidationError(
            _(
                "Your photos would take more than your %(limit)s MB: %(used)s MB are used. "
                "Use fewer or smaller photos."
            )
            % {"limit": settings.BODY_IMAGE_QUOTA_MB, "used": round(used / 1024 / 1024, 1)},
            code="quota",
        )
    stored = []
    try:
        for name, data in encoded.files.items():
            stored.append(default_storage.save(name, ContentFile(data)))
        return BodyImage.objects.create(
            owner=owner,
            article=article,
            name=stored[0],
            # The largest first, the smallest (the thumbnail) last.
            files=[stored[0], *reversed(stored[1:])],
            width=encoded.width,
            height=encoded.height,
            bytes=size,
            alt=alt,
            caption=caption,
        )
    except Exception:
        for name in stored:
            default_storage.delete(name)
        raise


def body_image_html(image: BodyImage) -> str:
    """The figure the editor inserts for a photo (the sanitiser adds its size and
    srcset when the article is saved)."""
    caption = f"<figcaption>{escape(image.caption)}</figcaption>" if image.caption else ""
    return f'<figure><img src="{escape(image.url)}" alt="{escape(image.alt)}">{caption}</figure>'


@transaction.atomic
def add_body_image_at_end(article: Article, image: BodyImage, *, by) -> Article:
    """The upload form without JavaScript: the photo goes at the end of the
    article's text, saved as the author's form saves it (a revision; a
    published article shows as updated)."""
    data = {field: getattr(article, field) for field in ARTICLE_FIELDS}
    data["body"] = f"{article.body}{body_image_html(image)}"
    return save_article(article, author=by, data=data, tags=list(article.tags.names()))


def _claim_body_images(article: Article) -> None:
    """Photos its author uploaded before the article existed belong to it once
    its body shows them."""
    sources = re.findall(r'<img\b[^>]*\ssrc="([^"]+)"', article.body_html)
    names = [bodyimages.own_image_name(src) for src in sources]
    if names:
        BodyImage.objects.filter(
            owner_id=article.author_id, article__isnull=True, name__in=names[:100]
        ).update(article=article)


def delete_body_images(images) -> int:
    """Remove photos and their files (after the commit): the article is erased."""
    rows = list(images.values_list("pk", "files"))
    delete_after_commit(default_storage, [name for _pk, files in rows for name in files])
    BodyImage.objects.filter(pk__in=[pk for pk, _files in rows]).delete()
    return len(rows)


@transaction.atomic
def save_article_in_admin(article: Article, *, by) -> Article:
    """A staff member's save in the Django admin, kept as an author's save is
    (README, "Writing"): a changed title, excerpt or body is a revision by
    ``by`` (restorable like any other), a published article shows as updated,
    and ``edit_version`` goes up so an editor tab opened before gets the
    conflict message instead of writing over it. The admin's form has already
    put the new values on ``article``; the caller saves its tags."""
    if article.pk is None:
        article.save()
        record_revision(article, by=by, kind=ArticleRevision.Kind.CHECKPOINT)
        return article
    stored = (
        Article.objects.select_for_update()
        .values(*REVISION_FIELDS, "edit_version")
        .get(pk=article.pk)
    )
    changed = any(getattr(article, field) != stored[field] for field in REVISION_FIELDS)
    if changed:
        if not ArticleRevision.objects.filter(article=article).exists():
            _record_earliest_revision(article, stored)
        article.edit_version = stored["edit_version"] + 1
        if article.published_at is not None:
            article.updated_at = timezone.now()
    article.save()
    _claim_body_images(article)
    if changed:
        is_public = article.status in (Article.Status.PUBLISHED, Article.Status.HIDDEN)
        record_revision(
            article,
            by=by,
            kind=ArticleRevision.Kind.SAVE if is_public else ArticleRevision.Kind.CHECKPOINT,
            throttle=False,
        )
        if article.status == Article.Status.PUBLISHED:
            _emit(events.ARTICLE_UPDATED, article)
    show_changes(article)
    return article
