from django.core.management.base import BaseCommand

from articles.services import flush_view_counts


class Command(BaseCommand):
    help = "Write the view counts buffered in Redis to the database (deploys, cron)."

    def handle(self, *args, **options):
        written = flush_view_counts()
        self.stdout.write(f"{written} views written.")
