from django.apps import AppConfig


class BlogplatformConfig(AppConfig):
    """The project itself, installed only so that its system checks are registered."""

    name = "blogplatform"
    verbose_name = "Kolom Warga"

    def ready(self):
        from . import checks  # noqa: F401 - registers the checks
