from django.core.management.base import BaseCommand

from rights import services


class Command(BaseCommand):
    help = (
        "Email the staff about open government orders past their deadline "
        "(from cron, every 15 minutes)."
    )

    def handle(self, *args, **options):
        count = services.escalate_overdue_orders()
        self.stdout.write(f"{count} overdue order(s) escalated.")
