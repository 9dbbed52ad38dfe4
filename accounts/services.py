"""Writes to accounts with side effects."""

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from caching import generations
from core import events, screening
from notifications import services as notification_services

from .images import as_file, delete_after_commit, encode, open_image
from .models import Follow, User


def follow_author(follower: User, *, author: User) -> bool:
    """Follow an author; True if this created the follow. Idempotent, never yourself."""
    if follower.pk == author.pk:
        raise ValueError("A user cannot follow themselves.")
    # A first-day cap (trust app) raises screening.Refused, a ValidationError.
    screening.limit(
        "follow", follower, done=lambda: Follow.objects.filter(follower=follower).count()
    )
    try:
        with transaction.atomic():
            _, created = Follow.objects.get_or_create(follower=follower, author=author)
    except IntegrityError:
        # A concurrent request created it first: the follow exists, as asked.
        return False
    if created:
        generations.bump(generations.reader(follower.pk))  # their follow button
        notification_services.notify_new_follower(follower=follower, author=author)
    return created


def unfollow_author(follower: User, *, author: User) -> bool:
    """Stop following an author; True if a follow was removed. Idempotent."""
    deleted, _ = Follow.objects.filter(follower=follower, author=author).delete()
    if deleted:
        generations.bump(generations.reader(follower.pk))
    return bool(deleted)


def update_profile(
    user: User, *, data: dict, avatar_upload=None, remove_avatar: bool = False
) -> User:
    """Save the author profile fields; a new avatar is re-encoded to a square.

    Only a save that changes something is written and makes cached pages stale:
    those showing this author, and where the name or photo changed, every page
    that shows people beside their articles and comments. At most
    PROFILE_CHANGES_PER_HOUR of those an hour (ValidationError, code "too_often").
    A removed or replaced avatar's file is deleted from storage after the commit.
    """
    fields = ["display_name", "occupation", "tagline", "bio"]
    # The row as stored: a ModelForm has already put the new values on the instance.
    stored = User.objects.values(*fields, "avatar", "language").get(pk=user.pk)
    for field in fields:
        setattr(user, field, data[field])
    changed = [field for field in fields if getattr(user, field) != stored[field]]
    if remove_avatar and user.avatar:
        user.avatar = ""
        changed.append("avatar")
    # The language of emails is on no page: saved without emptying any cache.
    user.language = data.get("language", stored["language"])
    if user.language != stored["language"]:
        user.save(update_fields=["language"])
    if not (changed or avatar_upload is not None):
        return user
    _count_profile_change(user)
    if avatar_upload is not None:
        image = open_image(avatar_upload)
        content = as_file(encode(image, max_side=0, crop=(256, 256)))
        user.avatar.save(content.name, content, save=False)
        changed.append("avatar")
    user.save(update_fields=sorted(set(changed)))
    if stored["avatar"] != user.avatar.name:
        delete_after_commit(user.avatar.storage, [stored["avatar"]])
    names = [generations.author(user.pk)]
    if {"display_name", "avatar"} & set(changed):
        names.append(generations.PEOPLE)
    generations.bump(*names)
    events.emit(events.ACCOUNT_UPDATED, user_id=user.pk)
    return user


PROFILE_CHANGES_PER_HOUR = 10


def _count_profile_change(user: User) -> None:
    """Each change of a profile empties cached pages, so a burst is refused."""
    key = f"profile-changes:{user.pk}"
    cache.add(key, 0, timeout=60 * 60)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between the two calls, or the cache is unavailable
        count = 1
    if count > PROFILE_CHANGES_PER_HOUR:
        raise ValidationError(
            _("You have changed your profile many times in the last hour. Try again later."),
            code="too_often",
        )


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
    _show_suspension(user)
    return user


def _show_suspension(user: User) -> None:
    """The public API leaves out a suspended account's articles, comments and
    profile (README, "Public API"): what is cached of those is stale now, and
    copies elsewhere (federation) hear of it."""
    generations.bump(generations.author(user.pk), generations.LISTS, generations.PEOPLE)
    events.emit(events.ACCOUNT_UPDATED, user_id=user.pk)


def lift_suspension(user: User) -> User:
    user.suspended_until = None
    user.suspended_indefinitely = False
    user.save(update_fields=["suspended_until", "suspended_indefinitely"])
    _show_suspension(user)
    return user


DELETED_NAME = "Akun dihapus"


@transaction.atomic
def anonymise_account(user: User, *, deactivate: bool) -> User:
    """Remove a person's personal data from their account row (they deleted their
    account): name, email, profile and photo gone, no password, no sessions, no
    follows. The row stays, as "Akun dihapus", because moderation records and the
    writing they chose to keep point at it. ``deactivate`` also takes the author
    page and feed away (their writing was removed too)."""
    from allauth.account.models import EmailAddress

    old_avatar = user.avatar.name
    user.username = f"akun-dihapus-{user.pk}"
    user.display_name = DELETED_NAME
    user.first_name = user.last_name = user.email = ""
    user.tagline = user.bio = ""
    user.avatar = ""
    user.is_verified = False
    user.is_active = not deactivate
    user.set_unusable_password()
    user.save(
        update_fields=[
            "username",
            "display_name",
            "first_name",
            "last_name",
            "email",
            "tagline",
            "bio",
            "avatar",
            "is_verified",
            "is_active",
            "password",
        ]
    )
    EmailAddress.objects.filter(user=user).delete()
    Follow.objects.filter(Q(follower=user) | Q(author=user)).delete()
    end_sessions(user)
    delete_after_commit(user.avatar.storage, [old_avatar])
    generations.bump(
        generations.author(user.pk),
        generations.PEOPLE,
        generations.LISTS,
        generations.reader(user.pk),
    )
    return user
