"""Federation's writes that moderators and authors make (README, "Federation")."""

from django.db import transaction
from django.db.models import Q

from comments import services as comment_services
from comments.models import Comment

from .models import AuthorChoice, Delivery, DomainBlock, RemoteFollow


@transaction.atomic
def block_domain(domain: str, *, reason: str, by) -> DomainBlock:
    """Block a remote server (and the ones under it): its posts are refused from now
    on, nothing more is delivered to it, its follows end and its comments are hidden
    as a moderator hides them (restorable one by one)."""
    block = DomainBlock(domain=domain, reason=reason, created_by=by)
    block.save()
    suffix = "." + block.domain
    on_server = Q(actor__domain=block.domain) | Q(actor__domain__endswith=suffix)
    RemoteFollow.objects.filter(on_server).delete()
    Delivery.objects.filter(
        Q(server__domain=block.domain) | Q(server__domain__endswith=suffix),
        status=Delivery.Status.PENDING,
    ).update(status=Delivery.Status.FAILED, error="server blocked", next_attempt_at=None)
    comments = Comment.objects.visible().filter(
        Q(author__remote_actor__domain=block.domain)
        | Q(author__remote_actor__domain__endswith=suffix)
    )
    for comment in comments.iterator():
        comment_services.hide_comment_as_moderator(comment)
    return block


def save_author_choice(user, **values) -> AuthorChoice:
    """The author's fediverse choices (federated, discoverable, indexable, handle)."""
    choice, _ = AuthorChoice.objects.update_or_create(user=user, defaults=values)
    return choice
