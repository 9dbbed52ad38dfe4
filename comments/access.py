"""Who may act on which comment. Views load comments only through these helpers."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from .models import Comment
from .services import can_hide_as_article_author


def _get(pk: int) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related("article__author", "author", "reply_to__author"),
        pk=pk,
        article__status="published",
    )


def get_comment_for_reader(request: HttpRequest, pk: int) -> Comment:
    """A comment on a published article, or 404 (a held one exists only for its
    writer and staff)."""
    comment = _get(pk)
    if comment.status == Comment.Status.HELD and not (
        request.user.is_staff or request.user.pk == comment.author_id
    ):
        raise Http404
    return comment


def get_comment_for_writer(request: HttpRequest, pk: int) -> Comment:
    """The signed-in writer's own comment: 404 if it does not exist, 403 if not theirs."""
    comment = _get(pk)
    if comment.author_id != request.user.pk:
        raise PermissionDenied
    return comment


def get_comment_for_article_author(request: HttpRequest, pk: int) -> Comment:
    """A comment on the signed-in user's own article (or any, for staff); else 403."""
    comment = _get(pk)
    if not can_hide_as_article_author(request.user, comment):
        raise PermissionDenied
    return comment
