from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _cancel_deletion(sender, request, user, **kwargs):
    from django.contrib import messages
    from django.utils.translation import gettext

    from . import services

    if services.cancel_deletion_on_sign_in(user) and request is not None:
        messages.success(
            request, gettext("Welcome back: the deletion of your account is cancelled.")
        )


class RightsConfig(AppConfig):
    name = "rights"
    verbose_name = _("People's rights")

    def ready(self):
        # Signing in within the grace period cancels a scheduled deletion. Django's
        # own sign-in signal (allauth and the admin both call auth.login): the one
        # hook every way of signing in passes through.
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(_cancel_deletion, dispatch_uid="rights.cancel_deletion")

        from core import decisions, events

        from .services import on_event, reply_wait

        events.listen(on_event)
        # A moderator's hide of a reported article waits for the author's reply.
        decisions.register(reply_wait)
