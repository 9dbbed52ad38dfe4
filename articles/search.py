"""Searching published articles: PostgreSQL full-text search, a plain fallback elsewhere.

On PostgreSQL the query matches ``to_tsvector(<config>, search_document)``
against a GIN index on exactly that expression (migration 0006), with the
``indonesian`` configuration when the server has it (stemming: "kebijakan"
finds "bijak"), else ``simple``. Other databases (SQLite in development) get a
case-insensitive substring match on the title and text, newest first.
"""

import re
from functools import cache

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import Article

MAX_QUERY_CHARS = 200
MAX_TERMS = 12


@cache
def _config_for(vendor: str, alias: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = 'indonesian'")
        return "indonesian" if cursor.fetchone() else "simple"


def search_config() -> str:
    return _config_for(connection.vendor, connection.alias)


def clean_query(raw: str) -> str:
    """What we search for: printable words only, bounded in length and count."""
    text = "".join(ch if ch.isprintable() else " " for ch in (raw or ""))[:MAX_QUERY_CHARS]
    return " ".join(text.split()[:MAX_TERMS])


def document_vector(config: str) -> SearchVector:
    # Must stay the same expression as the GIN index in migration 0006.
    return SearchVector("search_document", config=config)


def search_articles(query: str, *, topic=None, date_from=None, date_to=None):
    """Published articles matching ``query``, best first.

    ``query`` should come through clean_query(); an empty query matches nothing.
    """
    articles = Article.objects.published().for_cards()
    if topic is not None:
        articles = articles.in_topic(topic)
    if date_from:
        articles = articles.filter(published_at__date__gte=date_from)
    if date_to:
        articles = articles.filter(published_at__date__lte=date_to)
    if not query:
        return articles.none()
    if connection.vendor == "postgresql":
        config = search_config()
        # websearch syntax understands quotes and -minus, and never raises on odd input.
        terms = SearchQuery(query, config=config, search_type="websearch")
        return (
            articles.alias(vector=document_vector(config))
            .filter(vector=terms)
            .annotate(rank=SearchRank(document_vector(config), terms))
            .order_by("-rank", "-published_at", "-id")
        )
    condition = Q()
    for word in query.split():
        condition &= Q(search_document__icontains=word)
    return articles.filter(condition).newest_first()


def highlight(text: str, query: str) -> str:
    """``text`` escaped, with the query's words wrapped in <mark>; safe to render."""
    words = sorted({word.strip('"-') for word in query.split()} - {""}, key=len, reverse=True)
    if not words:
        return escape(text)
    pattern = re.compile("(" + "|".join(re.escape(word) for word in words) + ")", re.IGNORECASE)
    pieces = pattern.split(text)
    return mark_safe(  # every piece below is escaped
        "".join(
            f"<mark>{escape(piece)}</mark>" if index % 2 else escape(piece)
            for index, piece in enumerate(pieces)
        )
    )
