from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demo and scale data, on top of every other app (README, "Architecture")."""

    name = "demo"
    verbose_name = "Demo content"
