"""Precision and recall of the classifier on the held-out set (README, "Trust and spam").

Trained on the shipped seed set only (trust/data/seed.tsv) and measured on
trust/data/heldout.tsv, which training never sees; deterministic. Scored by
the stored, plain-data model (classifier.PlainModel), as web processes score.
"""

from dataclasses import dataclass

from . import classifier
from .text import normalise


@dataclass(frozen=True)
class Figures:
    threshold: float
    precision: float
    recall: float
    true_positives: int
    false_positives: int
    false_negatives: int


def evaluate(thresholds: tuple[float, ...] = (0.4, 0.5, 0.6, 0.7)) -> list[Figures]:
    model = classifier.learn(classifier.read_tsv("seed.tsv"))
    rows = classifier.read_tsv("heldout.tsv")
    probabilities = [model.probability(normalise(text)) for text, _ in rows]
    figures = []
    for threshold in thresholds:
        flagged = [
            (p >= threshold, label) for p, (_, label) in zip(probabilities, rows, strict=True)
        ]
        tp = sum(1 for hit, label in flagged if hit and label)
        fp = sum(1 for hit, label in flagged if hit and not label)
        fn = sum(1 for hit, label in flagged if not hit and label)
        figures.append(Figures(threshold, tp / max(1, tp + fp), tp / max(1, tp + fn), tp, fp, fn))
    return figures
