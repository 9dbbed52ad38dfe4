"""Writes to accounts with side effects."""

from django.db import IntegrityError, transaction

from .models import Follow, User


def follow_author(follower: User, *, author: User) -> bool:
    """Follow an author; True if this created the follow. Idempotent, never yourself."""
    if follower.pk == author.pk:
        raise ValueError("A user cannot follow themselves.")
    try:
        with transaction.atomic():
            _, created = Follow.objects.get_or_create(follower=follower, author=author)
    except IntegrityError:
        # A concurrent request created it first: the follow exists, as asked.
        return False
    return created


def unfollow_author(follower: User, *, author: User) -> bool:
    """Stop following an author; True if a follow was removed. Idempotent."""
    deleted, _ = Follow.objects.filter(follower=follower, author=author).delete()
    return bool(deleted)
