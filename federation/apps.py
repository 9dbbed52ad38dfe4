from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FederationConfig(AppConfig):
    """ActivityPub: authors and top-level topics as actors, articles delivered to
    their followers, replies back as comments (README, "Federation"). Above
    ``api``: the lower apps announce their changes through ``core.events`` and
    never import it; remote replies enter through ``comments.services``."""

    name = "federation"
    verbose_name = _("Federation")

    def ready(self):
        from core import events

        from .hooks import on_event

        events.listen(on_event)
