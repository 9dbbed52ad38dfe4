from functools import cached_property

from . import services


class Bell:
    """The header's bell: the unread count is looked up only if a template
    shows it, and once per request (services.unread_count)."""

    def __init__(self, user):
        self.user = user

    @cached_property
    def unread(self) -> int:
        return services.unread_count(self.user)


def bell(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notification_bell": Bell(user)}
