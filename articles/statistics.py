"""Figures about a writer's work, for the author page and the dashboard."""

from django.contrib.auth import get_user_model
from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from accounts.models import Follow

from .models import Article, Rating


def author_statistics(person) -> dict:
    """What the author page and the dashboard show about a writer's published work:
    articles, total views, comments received, ratings received and followers, in
    one query (a scalar subquery each, over the author's indexed rows), whatever
    the number of articles."""
    published = Article.objects.published().filter(author=OuterRef("pk")).values("author")
    ratings = Rating.objects.filter(
        article__author=OuterRef("pk"), article__status=Article.Status.PUBLISHED
    ).values("article__author")
    followers = Follow.objects.filter(author=OuterRef("pk")).values("author")

    def scalar(grouped, aggregate):
        return Coalesce(Subquery(grouped.annotate(value=aggregate).values("value")), 0)

    # Named with a prefix: "articles" and "ratings" are relations on the user.
    row = (
        get_user_model()
        .objects.filter(pk=person.pk)
        .values(
            n_articles=scalar(published, Count("pk")),
            n_views=scalar(published, Sum("view_count")),
            n_comments=scalar(published, Sum("comment_count")),
            n_ratings=scalar(ratings, Count("pk")),
            n_followers=scalar(followers, Count("pk")),
        )
        .get()
    )
    return {name.removeprefix("n_"): value for name, value in row.items()}
