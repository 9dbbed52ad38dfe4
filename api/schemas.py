"""The shapes of the API's requests and answers: the OpenAPI schema is generated
from these (README, "Public API"), and every answer is built through them."""

import re
from datetime import date, datetime
from typing import Annotated, Literal

from ninja import Field, Schema
from pydantic import BeforeValidator

from core.events import EVENTS

MAX_PAGE_SIZE = 50
DEFAULT_PAGE_SIZE = 20


class Problem(Schema):
    """An error, as RFC 9457 problem details (``application/problem+json``)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str = ""
    errors: dict[str, list[str]] | None = None


class TopicRef(Schema):
    slug: str
    name: str
    url: str


class TagRef(Schema):
    slug: str
    name: str


class AuthorRef(Schema):
    username: str
    display_name: str
    url: str
    api_url: str


class ArticleSummary(Schema):
    id: int
    title: str
    slug: str
    url: str
    api_url: str
    teaser: str
    topic: TopicRef
    tags: list[TagRef]
    author: AuthorRef
    cover: str | None = Field(None, description="The list card's cover image, if any.")
    published_at: datetime
    updated_at: datetime | None = Field(None, description="When it changed after publishing.")
    comment_count: int
    view_count: int = Field(description="At most PAGE_CACHE_SECONDS old.")


class ArticleList(Schema):
    results: list[ArticleSummary]
    next_cursor: str | None = Field(None, description="Pass as ?cursor= for the next page.")
    next: str | None = Field(None, description="The next page's URL; null on the last page.")


class ArticlePage(Schema):
    number: int
    url: str
    html: str = Field(description="Sanitised HTML, as the site shows it.")
    text: str = Field(description="The same page as plain text.")


class ArticleDetail(ArticleSummary):
    excerpt: str
    cover_image: str | None = None
    cover_caption: str
    cover_credit: str
    comments_api_url: str
    pages: list[ArticlePage]


class Author(Schema):
    username: str
    display_name: str
    occupation: str
    tagline: str
    bio: str
    avatar: str | None = None
    is_verified: bool
    date_joined: datetime
    url: str
    api_url: str
    articles_api_url: str


class AuthorList(Schema):
    results: list[Author]
    next_cursor: str | None = None
    next: str | None = None


class Topic(Schema):
    slug: str
    name: str
    description: str
    parent: str | None = Field(None, description="The parent topic's slug.")
    url: str
    articles_api_url: str


class TopicList(Schema):
    results: list[Topic]


class Tag(Schema):
    slug: str
    name: str
    url: str
    articles_api_url: str


class TagList(Schema):
    results: list[Tag]
    next_cursor: str | None = None
    next: str | None = None


class Comment(Schema):
    id: int
    parent_id: int | None
    reply_to_id: int | None
    depth: int
    removed: bool = Field(description="A removed comment kept as a placeholder for its replies.")
    author: AuthorRef | None
    html: str | None
    text: str | None
    created_at: datetime
    edited_at: datetime | None
    url: str


class OwnComment(Comment):
    """One of the token user's own comments, whatever became of it."""

    article_id: int
    status: str = Field(
        description="visible, held (waiting for a moderator's review), hidden_author, "
        "hidden_moderator."
    )
    status_label: str = Field(description="The status in the request's language.")


class OwnCommentList(Schema):
    results: list[OwnComment]
    next_cursor: str | None = None
    next: str | None = None


class CommentList(Schema):
    results: list[Comment] = Field(description="Threads in order, each followed by its replies.")
    next_cursor: str | None = None
    next: str | None = None


def _iso_day(value):
    """A day written YYYY-MM-DD only (pydantic would also read 0 as 1970-01-01)."""
    if isinstance(value, str) and not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("write the day as YYYY-MM-DD")
    return value


Day = Annotated[date, BeforeValidator(_iso_day)]
CURSOR = Field(None, max_length=200, pattern=r"^[A-Za-z0-9_-]+$", description="From next_cursor.")
Event = Literal[EVENTS]


class ListQuery(Schema):
    cursor: str | None = CURSOR
    limit: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class ArticleQuery(ListQuery):
    topic: str | None = Field(None, max_length=80, description="A topic's slug.")
    tag: str | None = Field(None, max_length=100, description="A tag's slug.")
    author: str | None = Field(None, max_length=150, description="An author's username.")
    published_after: Day | None = Field(None, description="On or after this day (Jakarta).")
    published_before: Day | None = Field(None, description="Before this day (Jakarta).")


# Writes -------------------------------------------------------------------------------


class ArticleIn(Schema):
    title: str = Field(max_length=200)
    topic: str = Field(max_length=80, description="A topic's slug.")
    excerpt: str = Field("", max_length=400)
    body: str = Field("", max_length=200_000, description="HTML; sanitised as on the site.")
    tags: list[str] = Field(default_factory=list, max_length=50)
    cover_caption: str = Field("", max_length=300)
    cover_credit: str = Field("", max_length=200)


class ArticlePatch(Schema):
    title: str | None = Field(None, max_length=200)
    topic: str | None = Field(None, max_length=80)
    excerpt: str | None = Field(None, max_length=400)
    body: str | None = Field(None, max_length=200_000)
    tags: list[str] | None = Field(None, max_length=50)
    cover_caption: str | None = Field(None, max_length=300)
    cover_credit: str | None = Field(None, max_length=200)


class OwnArticle(Schema):
    id: int
    title: str
    status: str = Field(
        description="draft, published, held (waiting for a moderator's review), hidden."
    )
    status_label: str = Field(description="The status in the request's language.")
    topic: str
    excerpt: str
    body: str
    body_html: str
    tags: list[str]
    cover_caption: str
    cover_credit: str
    url: str | None = Field(None, description="The public page, while published.")
    created_at: datetime
    published_at: datetime | None
    updated_at: datetime | None


class OwnArticleList(Schema):
    results: list[OwnArticle]
    next_cursor: str | None = None
    next: str | None = None


class CommentIn(Schema):
    body: str = Field(max_length=10_000)
    reply_to: int | None = Field(None, ge=1, le=2**62)


class Me(Schema):
    username: str
    display_name: str
    url: str
    token_name: str
    scopes: list[str]


class WebhookIn(Schema):
    url: str = Field(max_length=500)
    events: list[Event] = Field(min_length=1, max_length=len(EVENTS))
    site_wide: bool = False


class Webhook(Schema):
    id: int
    url: str
    events: list[str]
    site_wide: bool
    active: bool
    paused_at: datetime | None
    failures_in_a_row: int
    created_at: datetime


class NewWebhook(Webhook):
    secret: str = Field(description="Signs every delivery; shown only in this answer.")


class WebhookList(Schema):
    results: list[Webhook]


class DeliveryOut(Schema):
    id: int
    event: str
    status: str
    attempts: int
    response_status: int | None
    error: str
    created_at: datetime
    next_attempt_at: datetime | None
    finished_at: datetime | None


class DeliveryList(Schema):
    results: list[DeliveryOut]
