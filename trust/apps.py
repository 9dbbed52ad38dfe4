from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class TrustConfig(AppConfig):
    name = "trust"
    verbose_name = _("Trust and spam")

    def ready(self):
        # The lower apps' services ask core.screening before a post is public
        # and tell core.events what happened; this app answers and listens
        # (README, "Trust and spam"), so they never import it.
        from core import events, screening

        from . import rules, services, tasks

        screening.register(rules.screen)
        screening.on_hold(services.record_hold)
        screening.register_link_policy(services.links_followed)
        screening.register_limiter(rules.check_limit)
        screening.on_signup(services.record_signup)
        events.listen(services.on_event)
        # A fresh install retrains daily without anyone queueing the first run.
        post_migrate.connect(tasks.ensure_scheduled_after_migrate, sender=self)
