"""Builders and page readers for the comment tests.

Users and articles come from tests/factories.py; comments are built here.
"""

import itertools
import re

from django.db.models import F

from articles.models import Article
from articles.sanitizer import plain_text_to_html
from comments.models import MAX_DEPTH, PATH_DIGITS, Comment, CommentStatus
from comments.services import post_comment
from tests.factories import make_user

_sequence = itertools.count(1)

REMOVED_STATUSES = (
    CommentStatus.DELETED,
    CommentStatus.HIDDEN_BY_AUTHOR,
    CommentStatus.HIDDEN_BY_MODERATOR,
)


def make_comment(article, *, author=None, body=None, reply_to=None) -> Comment:
    """A comment posted through the service, as the site posts it, without rate limits."""
    return post_comment(
        article,
        author=author or make_user(),
        body=body or f"Komentar warga nomor {next(_sequence)}",
        reply_to=reply_to,
        enforce_limits=False,
    )


def make_chain(article, *, length, author=None) -> list[Comment]:
    """A top-level comment and replies each answering the one before."""
    chain = [make_comment(article, author=author)]
    for _ in range(length - 1):
        chain.append(make_comment(article, author=author, reply_to=chain[-1]))
    return chain


def _segment(pk: int) -> str:
    return str(pk).zfill(PATH_DIGITS)


def bulk_comments(article, *, total: int, writers: list) -> list[Comment]:
    """``total`` comments on the article spread over every depth, in a dozen queries.

    This bypasses the service and ``save()``, so it fills in what they would:
    ``body_html``, ``path``, ``thread``, ``depth`` and the article's
    ``comment_count``. Only the newer half of each level gets replies (so
    the first page of threads, newest first, has deep ones, and some
    comments have siblings and some have none), every eighth comment is
    removed (deleted or hidden, so placeholders and pruning both happen), and
    at the deepest level a second reply answers its sibling rather than its
    parent (so "replying to" shows).
    """
    per_level = total // (MAX_DEPTH + 1)
    sizes = [total - per_level * MAX_DEPTH] + [per_level] * MAX_DEPTH
    counter = itertools.count()

    def build(*, depth, parent=None, reply_to=None) -> Comment:
        number = next(counter)
        body = f"Komentar massal {number} di kedalaman {depth}."
        status = (
            REMOVED_STATUSES[(number // 8) % len(REMOVED_STATUSES)]
            if number % 8 == 5
            else CommentStatus.VISIBLE
        )
        return Comment(
            article=article,
            author=writers[number % len(writers)],
            parent=parent,
            reply_to=reply_to or parent,
            thread_id=parent.thread_id if parent else None,
            depth=depth,
            body=body,
            body_html=plain_text_to_html(body),
            status=status,
        )

    def insert(comments: list[Comment]) -> list[Comment]:
        created = Comment.objects.bulk_create(comments)
        for comment in created:
            if comment.parent is None:
                comment.thread_id = comment.pk
                comment.path = _segment(comment.pk)
            else:
                comment.path = f"{comment.parent.path}/{_segment(comment.pk)}"
        Comment.objects.bulk_update(created, ["path", "thread"])
        return created

    levels = [insert([build(depth=0) for _ in range(sizes[0])])]
    for depth in range(1, MAX_DEPTH + 1):
        parents = levels[-1][len(levels[-1]) // 2 :]
        first = insert(
            [build(depth=depth, parent=parents[i]) for i in range(min(sizes[depth], len(parents)))]
        )
        rest = insert(
            [
                build(
                    depth=depth,
                    parent=parents[i % len(parents)],
                    # At the deepest level the second reply answers its sibling.
                    reply_to=first[i % len(parents)] if depth == MAX_DEPTH else None,
                )
                for i in range(len(first), sizes[depth])
            ]
        )
        levels.append(first + rest)
    comments = [comment for level in levels for comment in level]
    visible = sum(comment.is_visible for comment in comments)
    Article.objects.filter(pk=article.pk).update(comment_count=F("comment_count") + visible)
    return comments


COMMENT_ID = re.compile(r'data-comment="(\d+)"')
REMOVED_ID = re.compile(r'<article class="comment depth-\d is-removed" id="komentar-(\d+)"')


def shown_comment_ids(response) -> list[int]:
    """The comments on a page (visible ones and placeholders), in page order."""
    return [int(pk) for pk in COMMENT_ID.findall(response.content.decode())]


def placeholder_ids(response) -> list[int]:
    """The removed comments a page still shows as placeholders."""
    return [int(pk) for pk in REMOVED_ID.findall(response.content.decode())]


def comment_html(response, comment) -> str:
    """The rendered ``<article>`` of one comment, up to the next comment or the list's end."""
    html = response.content.decode()
    start = html.index(f'id="{comment.anchor}"')
    start = html.rindex("<article", 0, start)
    end = html.find("</article>", start)
    return html[start:end]
