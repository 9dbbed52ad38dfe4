"""What a reader may report, and who is a moderator. The report views load targets only here."""

from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from articles.access import get_article_for_reader
from articles.models import Article
from comments.access import get_comment_for_reader
from comments.models import Comment

MODERATOR_GROUP = "Moderator"


def is_moderator(user) -> bool:
    """Staff who may work the queue (members of the Moderator group, or superusers)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and user.has_perm("moderation.change_case")
    )


def get_article_to_report(request: HttpRequest, pk: int) -> Article:
    """A published article, or 404: drafts, hidden and deleted articles are not reportable."""
    article = get_article_for_reader(request, pk)
    if not article.is_public:
        raise Http404
    return article


def get_comment_to_report(request: HttpRequest, pk: int) -> Comment:
    """A visible comment on a published article, or 404."""
    comment = get_comment_for_reader(request, pk)
    if not comment.is_visible:
        raise Http404
    return comment


def get_account_to_report(request: HttpRequest, username: str):
    """An active account, or 404."""
    return get_object_or_404(get_user_model(), username=username, is_active=True)
