"""Federation's writes that moderators and authors make (README, "Federation")."""

from django.db import transaction
from django.db.models import Q

from comments import services as comment_services
from comments.models import Comment
from core import events

from .models import AuthorChoice, Delivery, DomainBlock, RemoteFollow


@transaction.atomic
def block_domain(
    domain: str, *, reason: str, by, severity: str = DomainBlock.Severity.BLOCK
) -> DomainBlock:
    """Block a remote server (and the ones under it): its posts are refused from now
    on, nothing more is delivered to it, its follows end and its comments are hidden
    as a moderator hides them (restorable one by one). Or silence it (Mastodon's
    "limit"): from now on its replies are held for review; nothing else changes."""
    block = DomainBlock(domain=domain, reason=reason, created_by=by, severity=severity)
    block.save()
    if block.severity == DomainBlock.Severity.BLOCK:
        _apply_block(block)
    return block


@transaction.atomic
def change_domain_block(block: DomainBlock, *, reason: str, severity: str) -> DomainBlock:
    """A new reason or severity; a silenced server now blocked gets the block's
    effects (a blocked one now only silenced keeps its hidden comments hidden)."""
    was = DomainBlock.objects.select_for_update().get(pk=block.pk).severity
    block.reason, block.severity = reason, severity
    block.save(update_fields=["reason", "severity"])
    if was != block.severity and block.severity == DomainBlock.Severity.BLOCK:
        _apply_block(block)
    return block


def _apply_block(block: DomainBlock) -> None:
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


def save_author_choice(user, **values) -> AuthorChoice:
    """The author's fediverse choices (federated, discoverable, indexable, handle)."""
    choice, _ = AuthorChoice.objects.update_or_create(user=user, defaults=values)
    # Their Person changes for other servers (Update, or Delete when turned off).
    events.emit(events.ACCOUNT_UPDATED, user_id=user.pk)
    return choice
