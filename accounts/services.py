"""Writes to accounts with side effects."""

from django.db import IntegrityError, transaction
from django.db.models import F

from blogplatform import pagecache
from notifications import services as notification_services

from .images import as_file, delete_after_commit, encode, open_image
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
    if created:
        notification_services.notify_new_follower(follower=follower, author=author)
    return created


def unfollow_author(follower: User, *, author: User) -> bool:
    """Stop following an author; True if a follow was removed. Idempotent."""
    deleted, _ = Follow.objects.filter(follower=follower, author=author).delete()
    return bool(deleted)


def update_profile(
    user: User, *, data: dict, avatar_upload=None, remove_avatar: bool = False
) -> User:
    """Save the author profile fields; a new avatar is re-encoded to a square.

    A removed or replaced avatar's file is deleted from storage after the commit.
    """
    fields = ["display_name", "occupation", "tagline", "bio"]
    for field in fields:
        setattr(user, field, data[field])
    changes_avatar = remove_avatar or avatar_upload is not None
    # What the row holds now, not what this instance was loaded with.
    old_avatar = (
        User.objects.filter(pk=user.pk).values_list("avatar", flat=True).first()
        if changes_avatar
        else None
    )
    if remove_avatar:
        user.avatar = ""
        fields.append("avatar")
    if avatar_upload is not None:
        image = open_image(avatar_upload)
        content = as_file(encode(image, max_side=0, crop=(256, 256)))
        user.avatar.save(content.name, content, save=False)
        fields.append("avatar")
    user.save(update_fields=fields)
    if changes_avatar and old_avatar != user.avatar.name:
        delete_after_commit(user.avatar.storage, [old_avatar])
    # The author block and name show on their articles and every list.
    pagecache.bump_site()
    return user


def end_sessions(user: User) -> None:
    """Sign the account out on every device: its session hash no longer matches."""
    User.objects.filter(pk=user.pk).update(session_version=F("session_version") + 1)
    user.refresh_from_db(fields=["session_version"])


@transaction.atomic
def suspend_account(user: User, *, until=None) -> User:
    """Suspend until a time, or indefinitely when ``until`` is None; ends every session.

    The account's articles and comments stay as moderators left them.
    """
    user.suspended_until = until
    user.suspended_indefinitely = until is None
    user.save(update_fields=["suspended_until", "suspended_indefinitely"])
    end_sessions(user)
    return user


def lift_suspension(user: User) -> User:
    user.suspended_until = None
    user.suspended_indefinitely = False
    user.save(update_fields=["suspended_until", "suspended_indefinitely"])
    return user
