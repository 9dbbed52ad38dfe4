"""The parts of shared signed-in pages that are the reader's own (caching.readers)."""

from caching import fragments, generations, readers
from notifications.services import unread_count

from .models import Follow


@readers.slot(
    "account-nav",
    # The bell, and the name (a profile edit bumps the author's generation).
    depends=lambda reader: [generations.reader(reader), generations.author(reader)],
)
def account_nav(request) -> str:
    """The header's links, bell and name for the signed-in reader."""
    return readers.render_own(
        request, "includes/account_nav.html", {"unread": unread_count(request.user)}
    )


@readers.slot("follow", depends=lambda reader, **arguments: [generations.reader(reader)])
def follow_button(request, *, person_pk, username, display_name, next) -> str:
    """Follow or unfollow ``person_pk``, as the reader does now (one indexed lookup,
    cached under the reader's generation, which following and unfollowing bump)."""
    reader = request.user.pk
    following = fragments.cached(
        f"follows:{reader}:{person_pk}",
        [generations.reader(reader)],
        lambda: Follow.objects.filter(follower_id=reader, author_id=person_pk).exists(),
    )
    context = {
        "username": username,
        "display_name": display_name,
        "next": next,
        "is_following": following,
    }
    return readers.render_own(request, "includes/follow_form.html", context)
