from django.core.management.base import BaseCommand

from trust import tasks


class Command(BaseCommand):
    help = (
        "Retrain the spam classifier, recompute trust levels, drop old fingerprints. "
        "--ensure-schedule only makes sure the daily task is queued (as migrate does)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--ensure-schedule",
            action="store_true",
            help="Queue the daily task unless it is queued already; run nothing now.",
        )
        parser.add_argument(
            "--schedule", action="store_true", help="Run now, then make sure the task is queued."
        )

    def handle(self, *args, ensure_schedule: bool, schedule: bool, **options):
        if not ensure_schedule:
            result = tasks.upkeep()
            self.stdout.write(
                "trained on {trained_on} examples, {levels_changed} levels changed, "
                "{fingerprints_dropped} fingerprints dropped".format(**result)
            )
        if ensure_schedule or schedule:
            if not tasks.daily_upkeep.get_backend().supports_defer:
                self.stdout.write("backend cannot defer: use cron")
            elif tasks.ensure_scheduled():
                self.stdout.write(f"daily task queued for {tasks.next_run():%Y-%m-%d %H:%M}")
            else:
                self.stdout.write("daily task already queued")
