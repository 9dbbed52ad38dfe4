"""What the search page reads besides the ranked articles (README, "Search")."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.safestring import SafeString
from taggit.models import Tag

from accounts.models import private_fields
from articles.models import Article, TaggedArticle, Topic
from core import analysis

from . import engine

MAX_NAMES = 5
MIN_NAME_WORD = 3


@dataclass
class Result:
    article: Article
    title: SafeString
    snippet: SafeString | str


def filtered_articles(*, topik=None, penulis=None, dari=None, sampai=None):
    """Published articles for cards, narrowed by the search form's filters."""
    articles = Article.objects.published().for_cards()
    if topik is not None:
        articles = articles.in_topic(topik)
    if penulis is not None:
        articles = articles.filter(author=penulis)
    # Days in the site's time zone, as a range of the indexed column (a cast to a
    # date per row could not use the index).
    if dari:
        articles = articles.filter(published_at__gte=_start_of(dari))
    if sampai:
        articles = articles.filter(published_at__lt=_start_of(sampai + timedelta(days=1)))
    return articles


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def results(page, query: engine.ParsedQuery, raw: str) -> list[Result]:
    """The page's articles with the title highlighted and a snippet from the body
    (one query for the page's snippets); the teaser when the body did not match."""
    articles = list(page)
    snippets = engine.snippets([article.pk for article in articles], query, raw)
    terms = query.terms()
    return [
        Result(
            article,
            engine.highlight_title(article.title, terms),
            snippets.get(article.pk) or article.teaser,
        )
        for article in articles
    ]


def _name_matches(name: str, terms: set[str]) -> bool:
    words = [analysis.fold(token) for token in analysis.tokens(name)]
    return any({analysis.stem(word, "id"), analysis.stem(word, "en")} & terms for word in words)


def matching_names(query: engine.ParsedQuery) -> dict:
    """Topics, authors (with a published article) and tags (on a published article)
    whose names hold a word of the query: three queries, MAX_NAMES each."""
    terms = query.terms()
    # Words of a letter or two would match nearly every name.
    words = [word for word in query.words if len(word) >= MIN_NAME_WORD][: engine.MAX_TERMS]
    topics = [topic for topic in Topic.objects.all() if _name_matches(topic.name, terms)]
    if not words:
        return {"topics": topics[:MAX_NAMES], "authors": [], "tags": []}
    authors = (
        engine.backend()
        .names_like(get_user_model().objects.filter(is_active=True), "display_name", words)
        .filter(Exists(Article.objects.published().filter(author=OuterRef("pk"))))
        .defer(*private_fields())
        .order_by("display_name", "pk")[:MAX_NAMES]
    )
    by_tag = Q()
    for word in words:
        by_tag |= Q(name__icontains=word)
    tags = (
        Tag.objects.filter(by_tag)
        .filter(
            Exists(
                TaggedArticle.objects.filter(
                    tag=OuterRef("pk"), content_object__status=Article.Status.PUBLISHED
                )
            )
        )
        .order_by("name")[:MAX_NAMES]
    )
    return {"topics": topics[:MAX_NAMES], "authors": list(authors), "tags": list(tags)}
