"""Saving articles to read later (README, "Reading list")."""

from django.db import IntegrityError, transaction

from accounts.models import private_fields
from articles.models import SEARCH_FIELDS, Article
from caching import generations
from core import lookups

from .models import Bookmark

# What a card does not show (as Article.objects.for_cards leaves behind).
CARD_DEFERRED = (
    "article__body",
    "article__body_html",
    *(f"article__{name}" for name in SEARCH_FIELDS),
    *private_fields("article__author__"),
)

# The most ids one status request may ask about (a page of cards).
STATUS_LIMIT = 60


def save(reader, article: Article) -> bool:
    """Put a public article on the reader's list; False if it already was there."""
    if not article.is_public:
        raise ValueError("only a public article can be saved")
    try:
        with transaction.atomic():
            Bookmark.objects.create(reader=reader, article=article)
    except IntegrityError:
        return False
    generations.bump(generations.reader(reader.pk))
    return True


def remove(reader, article_id: int) -> bool:
    """Take an article off the reader's list; False if it was not there."""
    deleted, _ = Bookmark.objects.filter(reader=reader, article_id=article_id).delete()
    if deleted:
        generations.bump(generations.reader(reader.pk))
    return bool(deleted)


def is_saved(reader, article_id: int) -> bool:
    return Bookmark.objects.filter(reader=reader, article_id=article_id).exists()


def saved_among(reader, article_ids) -> list[int]:
    """Which of these articles (at most STATUS_LIMIT) the reader saved."""
    rows = Bookmark.objects.filter(reader=reader)
    return lookups.among(rows, "article_id", article_ids, limit=STATUS_LIMIT)


def reading_list(reader):
    """The reader's bookmarks of articles still public, most recently saved first,
    with what a card shows joined (an article hidden since stays saved, unlisted)."""
    return (
        Bookmark.objects.filter(reader=reader, article__status=Article.Status.PUBLISHED)
        .select_related("article__author", "article__topic")
        .defer(*CARD_DEFERRED)
        .order_by("-created_at", "-id")
    )


def forget(reader) -> int:
    """The reader's whole list goes (account deletion, rights.services)."""
    deleted, _ = Bookmark.objects.filter(reader=reader).delete()
    if deleted:
        generations.bump(generations.reader(reader.pk))
    return deleted
