"""The public reads of the API, as JSON bodies cached under the generations they
show (README, "Public API" and "Caching").

What is public is what the site shows signed-out readers, through the same
querysets (``Article.objects.published()``, ``Comment.objects.shown_top_level``)
and selectors, and one rule more: nothing of a suspended or deactivated account
(its articles, comments, profile). Each function returns a :class:`Body`: the
JSON, its ETag and when it was built (Last-Modified).
"""

import base64
import binascii
import hashlib
import time
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as day_time

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from taggit.models import Tag

from accounts.models import PUBLIC_FIELDS
from articles import selectors
from articles.models import Article, TaggedArticle
from articles.models import Topic as TopicModel
from articles.sanitizer import html_to_text
from caching import generations
from caching.fragments import cached
from comments.models import Comment, CommentStatus
from core import origin

from . import schemas


class BadCursor(ValueError):
    """A ?cursor= this API did not write (answered 400)."""


@dataclass(frozen=True)
class Body:
    content: bytes
    etag: str
    built: int  # seconds since the epoch: Last-Modified

    def pack(self) -> str:
        # One string: the fragment cache keeps strings in memory without pickling.
        return f"{self.etag}\n{self.built}\n{self.content.decode()}"

    @classmethod
    def unpack(cls, packed: str) -> "Body":
        etag, built, content = packed.split("\n", 2)
        return cls(content.encode(), etag, int(built))

    @classmethod
    def of(cls, model) -> "Body":
        content = model.model_dump_json().encode()
        digest = hashlib.blake2b(content, digest_size=12).hexdigest()
        return cls(content, f'"{digest}"', int(time.time()))


def _cached_body(key: str, depends, build) -> Body:
    return Body.unpack(cached(f"api:{key}", depends, lambda: build().pack()))


# URLs ---------------------------------------------------------------------------------


def site_url(path: str) -> str:
    """An absolute URL on the site's own address (core.origin), never the request's
    Host: bodies are shared between readers, and a Host header is the client's to write."""
    return origin.absolute_url(path)


def api_url(name: str, query: dict | None = None, **kwargs) -> str:
    path = reverse(f"api-v1:{name}", kwargs=kwargs or None)
    query = {key: value for key, value in (query or {}).items() if value not in (None, "")}
    return site_url(f"{path}?{urlencode(query)}" if query else path)


def _media(field) -> str | None:
    return site_url(field.url) if field else None


# Visibility ---------------------------------------------------------------------------


def listed_people(prefix: str = ""):
    """A filter for the accounts whose public content the API shows: active and
    not suspended (``prefix`` for a related user: "author__")."""
    return Q(**{f"{prefix}is_active": True, f"{prefix}suspended_indefinitely": False}) & (
        Q(**{f"{prefix}suspended_until__isnull": True})
        | Q(**{f"{prefix}suspended_until__lte": timezone.now()})
    )


def public_articles():
    return Article.objects.published().filter(listed_people("author__"))


# Cursors ------------------------------------------------------------------------------


def encode_cursor(*parts) -> str:
    text = "|".join(str(part) for part in parts)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, count: int) -> list[str]:
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as error:
        raise BadCursor from error
    parts = text.split("|")
    if len(parts) != count or "\x00" in text:
        raise BadCursor
    return parts


def _newest_first_after(queryset, cursor: str | None):
    """The rows after the cursor in newest-first order: a position, not an offset,
    so new publications at the top never shift the next page."""
    if not cursor:
        return queryset
    stamp, pk = decode_cursor(cursor, 2)
    try:
        moment, pk = datetime.fromisoformat(stamp), int(pk)
    except ValueError as error:
        raise BadCursor from error
    if timezone.is_naive(moment) or not 0 < pk < 2**62:
        raise BadCursor
    return queryset.filter(Q(published_at__lt=moment) | Q(published_at=moment, pk__lt=pk))


# Articles -----------------------------------------------------------------------------


def _topic_ref(topic) -> schemas.TopicRef:
    return schemas.TopicRef(
        slug=topic.slug, name=topic.name, url=site_url(topic.get_absolute_url())
    )


def _author_ref(user) -> schemas.AuthorRef:
    return schemas.AuthorRef(
        username=user.username,
        display_name=user.name,
        url=site_url(user.get_absolute_url()),
        api_url=api_url("author", username=user.username),
    )


def _summary_fields(article: Article) -> dict:
    return {
        "id": article.pk,
        "title": article.title,
        "slug": article.slug,
        "url": site_url(article.get_absolute_url()),
        "api_url": api_url("article", article_id=article.pk),
        "teaser": article.teaser,
        "topic": _topic_ref(article.topic),
        "tags": [schemas.TagRef(slug=tag.slug, name=tag.name) for tag in article.tags.all()],
        "author": _author_ref(article.author),
        "cover": _media(article.card_image),
        "published_at": article.published_at,
        "updated_at": article.updated_at if article.was_updated else None,
        "comment_count": article.comment_count,
        "view_count": article.view_count,
    }


@dataclass(frozen=True)
class ArticleFilter:
    """The list's parameters, resolved: what the key and the query are made of."""

    topic: TopicModel | None = None
    tag: Tag | None = None
    author_pk: int | None = None
    after: date | None = None
    before: date | None = None

    @classmethod
    def of(cls, query: schemas.ArticleQuery) -> "ArticleFilter":
        return cls(
            topic=selectors.topic(query.topic) if query.topic else None,
            tag=selectors.tag(query.tag) if query.tag else None,
            author_pk=selectors.author_pk(query.author) if query.author else None,
            after=query.published_after,
            before=query.published_before,
        )

    def depends(self) -> list[str]:
        names = [generations.LISTS, generations.PEOPLE, generations.TOPICS]
        if self.topic is not None:
            names.append(generations.topic(self.topic.pk))
        if self.author_pk is not None:
            names.append(generations.author(self.author_pk))
        return names

    def apply(self, articles):
        if self.topic is not None:
            articles = articles.in_topic(self.topic)
        if self.tag is not None:
            articles = articles.filter(tags=self.tag)
        if self.author_pk is not None:
            articles = articles.filter(author_id=self.author_pk)
        zone = timezone.get_current_timezone()
        if self.after is not None:
            articles = articles.filter(
                published_at__gte=datetime.combine(self.after, day_time.min, zone)
            )
        if self.before is not None:
            articles = articles.filter(
                published_at__lt=datetime.combine(self.before, day_time.min, zone)
            )
        return articles


def article_list(query: schemas.ArticleQuery) -> Body:
    """A page of published articles, newest first, after ``query.cursor``."""
    chosen = ArticleFilter.of(query)
    key = "articles:" + "|".join(
        str(value)
        for value in (
            chosen.topic and chosen.topic.pk,
            chosen.tag and chosen.tag.pk,
            chosen.author_pk,
            chosen.after,
            chosen.before,
            query.cursor,
            query.limit,
        )
    )

    def build() -> Body:
        articles = _newest_first_after(chosen.apply(public_articles()), query.cursor)
        rows = list(articles.for_cards().prefetch_related("tags").newest_first()[: query.limit + 1])
        more = len(rows) > query.limit
        rows = rows[: query.limit]
        next_cursor = (
            encode_cursor(rows[-1].published_at.isoformat(), rows[-1].pk) if more else None
        )
        params = {
            "topic": query.topic,
            "tag": query.tag,
            "author": query.author,
            "published_after": query.published_after,
            "published_before": query.published_before,
            "limit": query.limit if query.limit != schemas.DEFAULT_PAGE_SIZE else None,
        }
        return Body.of(
            schemas.ArticleList(
                results=[schemas.ArticleSummary(**_summary_fields(row)) for row in rows],
                next_cursor=next_cursor,
                next=api_url("articles", {**params, "cursor": next_cursor}) if more else None,
            )
        )

    return _cached_body(key, chosen.depends(), build)


def article_detail(pk: int) -> Body:
    """A published article with its pages, or Http404 (draft, hidden, deleted, or
    by a suspended or deactivated account)."""
    if not 0 < pk < 2**62:
        raise Http404

    def build() -> Body:
        article, pages = selectors.public_article(pk)
        author = _listed_author(article.author_id)
        if article.status != Article.Status.PUBLISHED or author is None:
            raise Http404
        article.author = author
        return Body.of(
            schemas.ArticleDetail(
                **_summary_fields(article),
                excerpt=article.excerpt,
                cover_image=_media(article.page_image),
                cover_caption=article.cover_caption,
                cover_credit=article.cover_credit,
                comments_api_url=api_url("comments", article_id=pk),
                pages=[
                    schemas.ArticlePage(
                        number=number,
                        url=site_url(article.get_page_url(number)),
                        html=html,
                        text=html_to_text(html),
                    )
                    for number, html in enumerate(pages, start=1)
                ],
            )
        )

    return _cached_body(
        f"article:{pk}",
        [generations.article(pk), generations.PEOPLE, generations.TOPICS],
        build,
    )


def _listed_author(pk: int):
    """The author's public fields when the API shows their content, else None."""
    return get_user_model().objects.filter(listed_people(), pk=pk).only(*PUBLIC_FIELDS).first()


# People, topics, tags -----------------------------------------------------------------


def _author(user) -> schemas.Author:
    return schemas.Author(
        username=user.username,
        display_name=user.name,
        occupation=user.occupation,
        tagline=user.tagline,
        bio=user.bio,
        avatar=_media(user.avatar),
        is_verified=user.is_verified,
        date_joined=user.date_joined,
        url=site_url(user.get_absolute_url()),
        api_url=api_url("author", username=user.username),
        articles_api_url=api_url("articles", {"author": user.username}),
    )


def author_detail(username: str) -> Body:
    pk = selectors.author_pk(username)

    def build() -> Body:
        user = _listed_author(pk)
        if user is None:
            raise Http404
        return Body.of(_author(user))

    return _cached_body(f"author:{pk}", [generations.author(pk)], build)


def author_list(query: schemas.ListQuery) -> Body:
    """People with at least one published article, by username."""

    def build() -> Body:
        people = (
            get_user_model()
            .objects.filter(listed_people())
            .filter(Exists(Article.objects.published().filter(author=OuterRef("pk"))))
            .only(*PUBLIC_FIELDS)
            .order_by("username")
        )
        if query.cursor:
            (after,) = decode_cursor(query.cursor, 1)
            people = people.filter(username__gt=after)
        rows = list(people[: query.limit + 1])
        return _page_body(
            schemas.AuthorList,
            [_author(user) for user in rows],
            query,
            "authors",
            lambda item: item.username,
        )

    return _cached_body(
        f"authors:{query.cursor}|{query.limit}", [generations.LISTS, generations.PEOPLE], build
    )


def _page_body(model, items: list, query: schemas.ListQuery, name: str, position) -> Body:
    more = len(items) > query.limit
    items = items[: query.limit]
    next_cursor = encode_cursor(position(items[-1])) if more else None
    return Body.of(
        model(
            results=items,
            next_cursor=next_cursor,
            next=api_url(name, {"cursor": next_cursor, "limit": query.limit}) if more else None,
        )
    )


def topic_list() -> Body:
    def build() -> Body:
        topics = TopicModel.objects.select_related("parent").order_by(
            "parent__position", "parent__name", "position", "name"
        )
        return Body.of(
            schemas.TopicList(
                results=[
                    schemas.Topic(
                        slug=topic.slug,
                        name=topic.name,
                        description=topic.description,
                        parent=topic.parent.slug if topic.parent_id else None,
                        url=site_url(topic.get_absolute_url()),
                        articles_api_url=api_url("articles", {"topic": topic.slug}),
                    )
                    for topic in topics
                ]
            )
        )

    return _cached_body("topics", [generations.TOPICS], build)


def tag_list(query: schemas.ListQuery) -> Body:
    """Tags carried by at least one published article, by slug."""

    def build() -> Body:
        used = TaggedArticle.objects.filter(
            listed_people("content_object__author__"),
            tag=OuterRef("pk"),
            content_object__status=Article.Status.PUBLISHED,
        )
        tags = Tag.objects.filter(Exists(used)).only("name", "slug").order_by("slug")
        if query.cursor:
            (after,) = decode_cursor(query.cursor, 1)
            tags = tags.filter(slug__gt=after)
        items = [
            schemas.Tag(
                slug=tag.slug,
                name=tag.name,
                url=site_url(reverse("articles:tag", kwargs={"slug": tag.slug})),
                articles_api_url=api_url("articles", {"tag": tag.slug}),
            )
            for tag in tags[: query.limit + 1]
        ]
        return _page_body(schemas.TagList, items, query, "tags", lambda item: item.slug)

    return _cached_body(f"tags:{query.cursor}|{query.limit}", [generations.LISTS], build)


# Comments -----------------------------------------------------------------------------


def comment_list(pk: int, query: schemas.ListQuery) -> Body:
    """A page of an article's comment threads, oldest first, each followed by its
    replies in thread order. A removed comment (hidden, deleted, or by a suspended
    account) stays as a placeholder, without its text or writer, while a shown
    reply hangs below it, as on the site."""
    article_detail(pk)  # 404 unless the article is public

    def build() -> Body:
        top_level = (
            Comment.objects.shown_top_level(Article(pk=pk))
            .with_people()
            .order_by("created_at", "id")
        )
        if query.cursor:
            stamp, after = decode_cursor(query.cursor, 2)
            try:
                moment, after = datetime.fromisoformat(stamp), int(after)
            except ValueError as error:
                raise BadCursor from error
            if timezone.is_naive(moment):
                raise BadCursor
            top_level = top_level.filter(
                Q(created_at__gt=moment) | Q(created_at=moment, pk__gt=after)
            )
        threads = list(top_level[: query.limit + 1])
        more = len(threads) > query.limit
        threads = threads[: query.limit]
        replies: dict[int, list[Comment]] = {}
        if threads:
            for reply in (
                Comment.objects.filter(thread__in=[c.pk for c in threads], parent__isnull=False)
                .with_people()
                .order_by("thread_id", "path")
            ):
                replies.setdefault(reply.thread_id, []).append(reply)
        now = timezone.now()
        shown: list[schemas.Comment] = []
        for top in threads:
            shown += _thread([top, *replies.get(top.pk, [])], now)
        next_cursor = (
            encode_cursor(threads[-1].created_at.isoformat(), threads[-1].pk) if more else None
        )
        return Body.of(
            schemas.CommentList(
                results=shown,
                next_cursor=next_cursor,
                next=api_url(
                    "comments", {"cursor": next_cursor, "limit": query.limit}, article_id=pk
                )
                if more
                else None,
            )
        )

    return _cached_body(
        f"comments:{pk}:{query.cursor}|{query.limit}",
        [generations.article(pk), generations.PEOPLE],
        build,
    )


def _is_shown(comment: Comment, now) -> bool:
    author = comment.author
    suspended = author.suspended_indefinitely or (
        author.suspended_until is not None and author.suspended_until > now
    )
    return comment.status == CommentStatus.VISIBLE and author.is_active and not suspended


def _thread(thread: list[Comment], now) -> list[schemas.Comment]:
    """The thread in path order, less removed comments with nothing shown below them
    (walking backwards, a comment stays if shown or if a kept comment is its child)."""
    kept_parents: set[int] = set()
    kept: list[schemas.Comment] = []
    for comment in reversed(thread):
        shown = _is_shown(comment, now)
        if not (shown or comment.pk in kept_parents):
            continue
        if comment.parent_id:
            kept_parents.add(comment.parent_id)
        kept.append(comment_out(comment, shown=shown))
    kept.reverse()
    return kept


def comment_out(comment: Comment, *, shown: bool = True) -> schemas.Comment:
    """A comment as the API shows it; a placeholder (no text, no writer) unless shown."""
    return schemas.Comment(
        id=comment.pk,
        parent_id=comment.parent_id,
        reply_to_id=comment.reply_to_id,
        depth=comment.depth,
        removed=not shown,
        author=_author_ref(comment.author) if shown else None,
        html=comment.body_html if shown else None,
        text=comment.body if shown else None,
        created_at=comment.created_at,
        edited_at=comment.edited_at if shown else None,
        url=site_url(comment.get_absolute_url()),
    )


def own_comment_out(comment: Comment) -> schemas.OwnComment:
    """The writer's own comment: its text and status even while held or hidden
    (the public answers never list a held comment at all)."""
    return schemas.OwnComment(
        **comment_out(comment).model_dump(),
        article_id=comment.article_id,
        status=comment.status,
        status_label=str(comment.get_status_display()),
    )


def bad_cursor_message() -> str:
    return _("This cursor is not one this API gave out: start again without it.")
