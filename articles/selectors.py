"""The reads of public pages, cached by the caching app under the generations
each depends on (README, "Caching"). Each returns what the page renders: no
user row carries more than ``accounts.models.PUBLIC_FIELDS``."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, Sum
from django.shortcuts import get_object_or_404
from taggit.models import Tag

from accounts.models import PUBLIC_FIELDS
from caching import generations
from caching.fragments import selector

from . import services
from .access import get_public_article
from .models import Article, Correction, Topic, TopicTally
from .statistics import author_statistics

RELATED_SIZE = 4
AUTHOR_CORRECTIONS_SIZE = 10
AUTHOR_STATISTICS_SECONDS = 5 * 60


@selector(depends=[generations.LISTS, generations.PEOPLE])
def headline() -> list[Article]:
    """The headline, as a list (None would read as a miss)."""
    return list(Article.objects.published().for_cards().filter(is_headline=True).newest_first()[:1])


def published_total() -> int:
    """Every published article, from the topic tallies (articles.tallies): no COUNT."""
    return TopicTally.objects.aggregate(total=Sum("published"))["total"] or 0


def published_in(topic: Topic) -> int:
    """The published articles ``ArticleQuerySet.in_topic`` lists, from the topic
    tallies: the topic's and, for a top-level topic, its subtopics'."""
    of_topic = (
        Q(topic=topic) | Q(topic__parent=topic) if topic.parent_id is None else Q(topic=topic)
    )
    return TopicTally.objects.filter(of_topic).aggregate(total=Sum("published"))["total"] or 0


@selector(depends=[generations.TOPICS])
def topic(slug: str) -> Topic:
    return get_object_or_404(Topic.objects.select_related("parent"), slug=slug)


@selector(depends=[generations.LISTS])
def tag(slug: str) -> Tag:
    return get_object_or_404(Tag.objects.only("name", "slug"), slug=slug)


@selector(depends=[], timeout=60)
def author_pk(username: str) -> int:
    """A username's account (usernames never change; a deactivated account shows
    within PAGE_CACHE_SECONDS, as the author's own selector checks it)."""
    return get_object_or_404(get_user_model().objects.only("pk"), username=username).pk


@selector(depends=lambda pk: [generations.author(pk)])
def public_author(pk: int):
    return get_object_or_404(get_user_model().objects.only(*PUBLIC_FIELDS), pk=pk, is_active=True)


@selector(depends=lambda pk: [generations.article(pk)])
def public_article(pk: int) -> tuple[Article, list[str]]:
    """A published or hidden article split into pages. The page shows its author
    from ``public_author``, under the author's generation."""
    article = get_public_article(pk)
    return article, article.pages()


@selector(depends=lambda pk: [generations.author(pk)])
def author_corrections(pk: int) -> list[dict]:
    """The newest corrections (Ralat) of the author's published articles."""
    return list(
        Correction.objects.filter(author=pk, article__status=Article.Status.PUBLISHED)
        .order_by("-created_at", "-id")
        .values("pk", "note", "created_at", "article_id", "article__title", "article__slug")[
            :AUTHOR_CORRECTIONS_SIZE
        ]
    )


def related(pk: int, topic_pk: int) -> list[Article]:
    """The newest other articles of the same topic."""
    return [card for card in newest_in_topic(topic_pk) if card.pk != pk][:RELATED_SIZE]


@selector(depends=lambda topic_pk: [generations.related(topic_pk), generations.PEOPLE])
def newest_in_topic(topic_pk: int) -> list[Article]:
    """One list for every article of the topic (``related``). A publication does
    not bump it: a new article joins when this expires (README, "Caching")."""
    return list(
        Article.objects.published()
        .filter(topic=topic_pk)
        .for_cards()
        .newest_first()[: RELATED_SIZE + 1]
    )


@selector(depends=lambda pk, language: [generations.article(pk)])
def rating_counts(pk: int, language: str) -> dict:
    """The counts per label for signed-out readers (no "mine" to show)."""
    return services.rating_summary(Article(pk=pk), AnonymousUser())


@selector(depends=[], timeout=AUTHOR_STATISTICS_SECONDS)
def author_figures(pk: int) -> dict:
    """The author's figures for signed-out readers, at most five minutes old
    (they sum over every article of the author)."""
    return author_statistics(get_user_model()(pk=pk))
