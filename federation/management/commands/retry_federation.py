from django.core.management.base import BaseCommand

from federation.delivery import retry_due


class Command(BaseCommand):
    help = (
        "Send the federation deliveries whose next attempt is due (the worker does it by "
        "itself; with the immediate backend run this from cron)."
    )

    def handle(self, *args, **options):
        count = retry_due()
        self.stdout.write(f"{count} deliveries attempted")
