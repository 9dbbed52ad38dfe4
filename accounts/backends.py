"""Authentication backends that also refuse suspended accounts."""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend


class _RefuseSuspended:
    def user_can_authenticate(self, user):
        return super().user_can_authenticate(user) and not getattr(user, "is_suspended", False)


class SuspensionAwareModelBackend(_RefuseSuspended, ModelBackend):
    """Django's backend (the admin's sign-in) minus suspended accounts."""


class SuspensionAwareAuthenticationBackend(_RefuseSuspended, AuthenticationBackend):
    """allauth's backend (username or email) minus suspended accounts."""
