from django.core.management.base import BaseCommand

from rights import services


class Command(BaseCommand):
    help = (
        "Carry out the account deletions whose 14-day grace period has passed, and "
        "delete the files of expired data exports. Run it from cron (hourly)."
    )

    def handle(self, *args, **options):
        removed = services.remove_due_accounts()
        expired = services.expire_exports()
        self.stdout.write(f"{removed} account(s) removed, {expired} export(s) expired.")
