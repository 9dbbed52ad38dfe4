from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The public JSON API, personal access tokens and webhooks (README, "Public API").
    Above moderation: it reads and writes through every lower app's services."""

    name = "api"
    verbose_name = _("Public API")

    def ready(self):
        from core import events

        from .hooks import on_event

        events.listen(on_event)
