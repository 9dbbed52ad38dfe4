from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    """Helpers every app may use (pagination, the client's address, hostile input,
    the site's public address); below every app but caching, and imports none of them."""

    name = "core"
    verbose_name = "Core"

    def ready(self):
        from .origin import sync_site

        # post_migrate is sent after the whole run, once per app with models (core
        # has none): on the sites app's, after Django has created its row.
        post_migrate.connect(
            sync_site, sender=apps.get_app_config("sites"), dispatch_uid="core.origin.sync_site"
        )
