from django.core.management.base import BaseCommand

from api.services import retry_due_deliveries


class Command(BaseCommand):
    help = "Send the webhook deliveries whose next attempt is due (the worker does it by itself)."

    def handle(self, *args, **options):
        count = retry_due_deliveries()
        self.stdout.write(f"{count} deliveries attempted")
