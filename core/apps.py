from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Helpers every app may use (pagination, the client's address, hostile input);
    below every app but caching, and imports none of them."""

    name = "core"
    verbose_name = "Core"
