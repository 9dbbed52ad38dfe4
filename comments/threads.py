"""Reading a page of comment threads in a constant number of queries."""

from dataclasses import dataclass

from django.core.paginator import Page
from django.db.models import Q
from django.http import HttpRequest

from core.pagination import paginate

from .models import Comment, CommentStatus

THREADS_PER_PAGE = 20
PAGE_PARAMETER = "komentar"
ORDER_PARAMETER = "urutan"
NEWEST, OLDEST = "terbaru", "terlama"


@dataclass
class ThreadPage:
    page: Page
    comments: list[Comment]  # in display order, each with .depth
    order: str


def reader_order(request: HttpRequest) -> str:
    return OLDEST if request.GET.get(ORDER_PARAMETER) == OLDEST else NEWEST


def _top_level_ordering(order: str) -> list[str]:
    return ["created_at", "id"] if order == OLDEST else ["-created_at", "-id"]


def thread_page(request: HttpRequest, article, *, for_article_author: bool = False) -> ThreadPage:
    """One page of top-level comments with all their replies, in thread order.

    Three queries whatever the number or depth of comments: the count of shown
    top-level comments, the page of them, and every reply of those threads by
    path. Removed comments stay as placeholders only while a visible reply
    hangs below them, except that the article's author (``for_article_author``)
    keeps seeing the comments they hid, to show them again.
    """
    order = reader_order(request)
    # The writers only: whom a reply answers is in the same thread, read here anyway.
    top_level = (
        Comment.objects.shown_top_level(article, for_article_author=for_article_author)
        .select_related("author")
        .order_by(*_top_level_ordering(order))
    )
    page = paginate(request, top_level, THREADS_PER_PAGE, parameter=PAGE_PARAMETER)
    threads = list(page.object_list)
    replies_by_thread: dict[int, list[Comment]] = {}
    if threads:
        replies = (
            Comment.objects.filter(thread__in=[c.pk for c in threads], parent__isnull=False)
            .select_related("author")
            .order_by("thread_id", "path")
        )
        for reply in replies:
            replies_by_thread.setdefault(reply.thread_id, []).append(reply)
    ordered: list[Comment] = []
    for top in threads:
        thread = [top, *replies_by_thread.get(top.pk, [])]
        _link_replies(thread)
        ordered.extend(_prune(thread, for_article_author=for_article_author))
    return ThreadPage(page=page, comments=ordered, order=order)


def _link_replies(thread: list[Comment]) -> None:
    """Give each reply the comment it answers, from its own thread (no query)."""
    by_pk = {comment.pk: comment for comment in thread}
    for comment in thread:
        if comment.reply_to_id in by_pk:
            comment.reply_to = by_pk[comment.reply_to_id]


def _prune(thread: list[Comment], *, for_article_author: bool = False) -> list[Comment]:
    """Drop removed comments that have no visible reply below them (for the
    article's author, keep the ones they hid).

    The list is in path order, so every comment's descendants follow it:
    walking backwards, a comment is kept if it is visible or if a kept comment
    named it as parent.
    """
    kept_parents: set[int] = set()
    kept: list[Comment] = []
    for comment in reversed(thread):
        kept_as_hidden = for_article_author and comment.status == CommentStatus.HIDDEN_BY_AUTHOR
        if comment.is_visible or kept_as_hidden or comment.pk in kept_parents:
            kept.append(comment)
            if comment.parent_id:
                kept_parents.add(comment.parent_id)
    kept.reverse()
    return kept


def page_number_of(
    comment: Comment, order: str = NEWEST, *, for_article_author: bool = False
) -> int:
    """The page of the article's threads on which this comment's thread appears."""
    top = comment if comment.parent_id is None else comment.thread
    shown = Comment.objects.shown_top_level(comment.article, for_article_author=for_article_author)
    if order == OLDEST:
        earlier = Q(created_at__lt=top.created_at) | Q(created_at=top.created_at, id__lt=top.pk)
    else:
        earlier = Q(created_at__gt=top.created_at) | Q(created_at=top.created_at, id__gt=top.pk)
    return shown.filter(earlier).count() // THREADS_PER_PAGE + 1
