"""Likes and boosts from the fediverse, counted for pages (README, "Federation"):
one grouped query for an article, a page of the dashboard or an author's total.
A reaction arriving or undone bumps the article's generation, so its cached page
shows the new counts."""

from dataclasses import dataclass

from django.db.models import Count, Q

from caching import generations

from .models import Reaction


@dataclass(frozen=True)
class Counts:
    likes: int = 0
    boosts: int = 0

    def __bool__(self):
        return bool(self.likes or self.boosts)


def _grouped(rows) -> dict[int, Counts]:
    found: dict[int, dict[str, int]] = {}
    for row in rows.values("article_id", "kind").annotate(number=Count("id")).order_by():
        found.setdefault(row["article_id"], {})[row["kind"]] = row["number"]
    return {
        pk: Counts(kinds.get(Reaction.Kind.LIKE, 0), kinds.get(Reaction.Kind.ANNOUNCE, 0))
        for pk, kinds in found.items()
    }


def for_articles(article_ids) -> dict[int, Counts]:
    ids = list(article_ids)
    if not ids:
        return {}
    return _grouped(Reaction.objects.filter(article_id__in=ids))


def for_article(article_id: int) -> Counts:
    return for_articles([article_id]).get(article_id, Counts())


def for_author(user) -> Counts:
    """Everything the author's articles received, in one query."""
    rows = Reaction.objects.filter(article__author=user).values("kind").annotate(n=Count("id"))
    kinds = {row["kind"]: row["n"] for row in rows.order_by()}
    return Counts(kinds.get(Reaction.Kind.LIKE, 0), kinds.get(Reaction.Kind.ANNOUNCE, 0))


def changed(article_ids) -> None:
    """Reactions of these articles changed: their cached pages are stale."""
    names = [generations.article(pk) for pk in set(article_ids)]
    if names:
        generations.bump(*names)


def most_reacted(user, *, limit: int = 10) -> list:
    """The author's articles with the most likes and boosts (for their fediverse page)."""
    from articles.models import Article

    return list(
        Article.objects.filter(author=user, fediverse_reactions__isnull=False)
        .annotate(
            likes=Count("fediverse_reactions", filter=Q(fediverse_reactions__kind="like")),
            boosts=Count("fediverse_reactions", filter=Q(fediverse_reactions__kind="announce")),
        )
        .only("pk", "title", "slug", "published_at")
        .order_by("-likes", "-boosts", "-pk")[:limit]
    )
