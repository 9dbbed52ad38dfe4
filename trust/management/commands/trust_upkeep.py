from django.core.management.base import BaseCommand

from trust import tasks


class Command(BaseCommand):
    help = (
        "Retrain the spam classifier, recompute trust levels, drop old fingerprints; "
        "--schedule also queues the daily task on the worker."
    )

    def add_arguments(self, parser):
        parser.add_argument("--schedule", action="store_true", help="Queue the daily task.")

    def handle(self, *args, schedule: bool, **options):
        result = tasks.upkeep()
        self.stdout.write(
            "trained on {trained_on} examples, {levels_changed} levels changed, "
            "{fingerprints_dropped} fingerprints dropped".format(**result)
        )
        if schedule:
            queued = tasks.schedule_next()
            self.stdout.write("daily task queued" if queued else "backend cannot defer: use cron")
