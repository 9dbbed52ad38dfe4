"""Who may see which article. Every view that loads an article by its key goes through here."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from accounts.models import private_fields

from .models import SEARCH_FIELDS, Article, ArticleRevision

# Shown to their author and staff only: a draft, and a publication held for review.
NOT_YET_PUBLIC = (Article.Status.DRAFT, Article.Status.HELD)


def can_see_unpublished(request: HttpRequest, article: Article) -> bool:
    user = request.user
    return user.is_authenticated and (user.pk == article.author_id or user.is_staff)


def get_article_for_reader(request: HttpRequest, pk: int) -> Article:
    """The article with what its page shows, or 404.

    Drafts and held articles exist only for their author and staff. A hidden article is returned
    so the view can show the moderation notice in its place.
    """
    article = _article_with_page_data(pk)
    if article.status in NOT_YET_PUBLIC and not can_see_unpublished(request, article):
        raise Http404
    return article


def get_public_article(pk: int) -> Article:
    """The article as anyone may be shown it, whoever asks (so it can be cached): a
    published or hidden one (the view decides who sees a hidden one's text), or 404."""
    article = _article_with_page_data(pk)
    if article.status in NOT_YET_PUBLIC:
        raise Http404
    return article


def _article_with_page_data(pk: int) -> Article:
    article = get_object_or_404(
        Article.objects.select_related("author", "topic__parent", "series")
        # The search fields are never shown (and would swell the cached article).
        .defer(*private_fields("author__"), *SEARCH_FIELDS)
        .prefetch_related("tags", "corrections"),
        pk=pk,
    )
    if article.status == Article.Status.DELETED:
        raise Http404
    article.series_nav = article.series_navigation()
    return article


def get_article_for_editor(request: HttpRequest, pk: int) -> Article:
    """An article the signed-in user may change: their own (or any, for staff).

    404 when it does not exist or was deleted; 403 when it is someone else's.
    """
    article = get_object_or_404(
        Article.objects.select_related("author", "topic", "series").prefetch_related("tags"),
        pk=pk,
    )
    if article.status == Article.Status.DELETED:
        raise Http404
    if not can_see_unpublished(request, article):
        raise PermissionDenied
    if article.status == Article.Status.WITHHELD and not request.user.is_staff:
        # A legal order froze it: its author reads why on its page, and changes nothing.
        raise PermissionDenied
    return article


def get_revision_for_editor(article: Article, pk: int) -> ArticleRevision:
    """A revision of an article the user may change (get_article_for_editor), or 404."""
    return get_object_or_404(
        ArticleRevision.objects.select_related("created_by").defer(*private_fields("created_by__")),
        article=article,
        pk=pk,
    )
