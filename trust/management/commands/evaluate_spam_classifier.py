from django.core.management.base import BaseCommand, CommandError

from trust import classifier
from trust.evaluation import evaluate


class Command(BaseCommand):
    help = "Precision and recall of the spam classifier on the held-out set."

    def handle(self, *args, **options):
        if not classifier.can_train():
            raise CommandError("scikit-learn is not installed (pip install --group spam).")
        held_out = classifier.read_tsv("heldout.tsv")
        spam = sum(label for _, label in held_out)
        self.stdout.write(f"held-out set: {len(held_out)} items, {spam} spam")
        for row in evaluate():
            self.stdout.write(
                f"threshold {row.threshold:.2f}: precision {row.precision:.3f}, "
                f"recall {row.recall:.3f} (tp {row.true_positives}, fp {row.false_positives}, "
                f"fn {row.false_negatives})"
            )
