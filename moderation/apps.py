from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = _("Moderation")

    def ready(self):
        # A post the spam rules hold opens a case in the queue (README, "Trust and spam").
        from core import screening

        from . import services

        screening.on_hold(services.open_held_case)
