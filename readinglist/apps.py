from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReadingListConfig(AppConfig):
    name = "readinglist"
    verbose_name = _("Reading list")

    def ready(self):
        from . import slots  # noqa: F401  (registers the slots of shared signed-in pages)
