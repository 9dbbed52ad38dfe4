"""A local spam classifier trained on our own moderators' decisions (README, "Trust and spam").

TF-IDF over words (1-2-grams) and character 2-5-grams of the normalised text
(so ``g4cor`` and ``gacor`` look alike), each l2-normalised, feeding a logistic
regression (liblinear, fixed random_state): deterministic, small, and it can
say which words weighed most. It only scores and routes (rules.screen holds a
post at TRUST_CLASSIFIER_THRESHOLD, never for a Tepercaya account on the score
alone); nothing is ever deleted on its word.

Training and scoring are split so web processes stay small. Training (the
retrain and daily_upkeep tasks on the worker, or manage.py trust_upkeep) fits
scikit-learn with our own analyzers (``word_features``, ``char_features``) and
stores plain data in ``ClassifierModel.blob``: per featuriser its vocabulary
and idf, the regression's coefficients and intercept, as JSON. Scoring
(``PlainModel``) reads that JSON and computes the same numbers in pure Python
with the same analyzers, so a web process never imports scikit-learn, scipy or
numpy. scikit-learn is optional (the ``spam`` dependency group, in ``dev``) and
imported inside the training functions only; without a stored model ``score``
returns None and the rules work alone. A blob in another format (the pickled
Pipelines older versions stored) is never unpickled: it counts as no model
until the daily retrain replaces it.

Training data: the shipped seed set (trust/data/seed.tsv, written for this
project) and every decision moderators made: held items released (ham) or
rejected (spam), articles and comments they hid (spam), with as many visible
ones beside them (ham, ``decisions``). Each process loads the newest model once
per CLASSIFIER_RELOAD_SECONDS; after a migrate that finds the newest stored
model unreadable, the worker retrains at once (``tasks``).
"""

import importlib.util
import itertools
import json
import logging
import math
import re
import time
from array import array
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .text import normalise

logger = logging.getLogger(__name__)

DATA = Path(__file__).parent / "data"
SEED = 20261202
CLASSIFIER_RELOAD_SECONDS = 300
TOP_FEATURES = 5
# The layout of the JSON in ClassifierModel.blob; the pickled scikit-learn
# Pipelines stored before had no version and are not read.
FORMAT_VERSION = 2

_loaded: dict = {"at": 0.0, "id": None, "model": None}

# A word is two or more word characters: one-letter tokens say little and the
# spaced-out spellings worth catching are joined by text.normalise already.
_TOKEN = re.compile(r"\w{2,}")
CHAR_SIZES = range(2, 6)


@dataclass(frozen=True)
class Score:
    probability: float
    features: tuple[str, ...]


def word_features(normal: str) -> list[str]:
    """The words of normalised text and each pair of adjacent words."""
    words = _TOKEN.findall(normal)
    return words + [f"{first} {second}" for first, second in itertools.pairwise(words)]


def char_features(normal: str) -> list[str]:
    """Character 2- to 5-grams of each word, the word padded with a space each
    side so that beginnings and ends of words are features of their own."""
    grams = []
    for word in normal.split():
        padded = f" {word} "
        for size in CHAR_SIZES:
            grams.extend(padded[start : start + size] for start in range(len(padded) - size + 1))
    return grams


# Name → analyzer, in the order the features are concatenated; the names are
# stored in the model, so renaming one makes old models unreadable.
FEATURISERS: dict[str, Callable[[str], list[str]]] = {
    "words": word_features,
    "chars": char_features,
}


def can_train() -> bool:
    """Whether scikit-learn is installed (found, not imported: that is the point)."""
    return importlib.util.find_spec("sklearn") is not None


def available() -> bool:
    """Whether ``score`` can score now: a readable stored model exists."""
    return _current() is not None


def read_tsv(name: str) -> list[tuple[str, int]]:
    """``label<TAB>text`` lines (label spam or ham; # starts a comment)."""
    rows = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, _, text = line.partition("\t")
        rows.append((text.strip(), 1 if label.strip() == "spam" else 0))
    return rows


def build():
    """The unfitted scikit-learn pipeline (needs scikit-learn)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline

    features = FeatureUnion(
        [
            (name, TfidfVectorizer(analyzer=analyzer, min_df=1, sublinear_tf=True))
            for name, analyzer in FEATURISERS.items()
        ]
    )
    model = LogisticRegression(C=10.0, solver="liblinear", random_state=SEED, max_iter=1000)
    return Pipeline([("features", features), ("model", model)])


def fit(examples: list[tuple[str, int]]):
    """A fitted scikit-learn pipeline on (text, label) pairs (1 = spam); needs
    both labels and scikit-learn. ``export`` turns it into what is stored."""
    texts = [normalise(text) for text, _ in examples]
    labels = [label for _, label in examples]
    pipeline = build()
    pipeline.fit(texts, labels)
    return pipeline


def export(pipeline) -> dict[str, Any]:
    """The fitted pipeline as plain data (dicts, lists, floats), for JSON."""
    union = pipeline.named_steps["features"]
    regression = pipeline.named_steps["model"]
    coefficients = [float(weight) for weight in regression.coef_[0]]
    featurisers = []
    offset = 0
    for name, vectorizer in union.transformer_list:
        size = len(vectorizer.vocabulary_)
        featurisers.append(
            {
                "name": name,
                "vocabulary": {
                    feature: int(index) for feature, index in sorted(vectorizer.vocabulary_.items())
                },
                "idf": [float(value) for value in vectorizer.idf_],
                "coefficients": coefficients[offset : offset + size],
            }
        )
        offset += size
    return {
        "format": FORMAT_VERSION,
        "featurisers": featurisers,
        "intercept": float(regression.intercept_[0]),
    }


def dump(data: dict[str, Any]) -> bytes:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class _Featuriser:
    """One TF-IDF block: its analyzer, vocabulary, idf and coefficients."""

    def __init__(self, data: dict[str, Any]):
        self.analyzer = FEATURISERS[data["name"]]
        self.vocabulary: dict[str, int] = data["vocabulary"]
        size = len(self.vocabulary)
        # Arrays, not lists of floats: a fraction of the memory per feature.
        self.idf = array("d", data["idf"])
        self.coefficients = array("d", data["coefficients"])
        if len(self.idf) != size or len(self.coefficients) != size:
            raise ValueError(f"featuriser {data['name']}: sizes differ")

    def vector(self, normal: str) -> dict[int, float]:
        """Feature index → sublinear tf times idf, l2-normalised; unknown features dropped."""
        counts = Counter(
            index for index in map(self.vocabulary.get, self.analyzer(normal)) if index is not None
        )
        values = {
            index: (1.0 + math.log(count)) * self.idf[index] for index, count in counts.items()
        }
        norm = math.sqrt(sum(value * value for value in values.values()))
        if norm == 0.0:
            return values
        return {index: value / norm for index, value in values.items()}

    def contributions(self, normal: str) -> Iterator[tuple[float, int]]:
        """(value times coefficient, feature index) of each known feature of the text."""
        for index, value in self.vector(normal).items():
            yield value * self.coefficients[index], index


class PlainModel:
    """A stored model scored in pure Python: what a web process uses."""

    def __init__(self, data: dict[str, Any]):
        if data.get("format") != FORMAT_VERSION:
            raise ValueError(f"model format {data.get('format')!r}, not {FORMAT_VERSION}")
        self.featurisers = [_Featuriser(part) for part in data["featurisers"]]
        self.intercept = float(data["intercept"])
        self._names: list[list[str]] | None = None

    def _contributions(self, normal: str) -> list[tuple[float, int, int]]:
        """(value times coefficient, featuriser, feature index) of each known feature."""
        return [
            (weight, part, index)
            for part, featuriser in enumerate(self.featurisers)
            for weight, index in featuriser.contributions(normal)
        ]

    def _probability(self, contributions) -> float:
        """The logistic of the decision value."""
        decision = self.intercept + sum(weight for weight, _, _ in contributions)
        # Two branches so exp never overflows for a very confident score.
        if decision >= 0:
            return 1.0 / (1.0 + math.exp(-decision))
        small = math.exp(decision)
        return small / (1.0 + small)

    def probability(self, normal: str) -> float:
        """The spam probability of normalised text."""
        return self._probability(self._contributions(normal))

    def score(self, normal: str) -> Score:
        """The probability and the top features of normalised text, featurised once."""
        contributions = self._contributions(normal)
        return Score(self._probability(contributions), self._top(contributions))

    def names(self, part: int) -> list[str]:
        """Feature names by index (built on first use: only the top features need them)."""
        if self._names is None:
            self._names = []
            for featuriser in self.featurisers:
                names = [""] * len(featuriser.vocabulary)
                for feature, index in featuriser.vocabulary.items():
                    names[index] = feature
                self._names.append(names)
        return self._names[part]

    def top_features(self, normal: str) -> tuple[str, ...]:
        """The words and fragments of this text that pushed its score up most."""
        return self._top(self._contributions(normal))

    def _top(self, contributions) -> tuple[str, ...]:
        named = sorted(
            ((weight, self.names(part)[index]) for weight, part, index in contributions),
            reverse=True,
        )
        shown: list[str] = []
        for weight, name in named:
            if weight <= 0 or len(shown) >= TOP_FEATURES:
                break
            if name.strip() and name.strip() not in shown:
                shown.append(name.strip())
        return tuple(shown)


def load(blob: bytes) -> PlainModel:
    """A stored blob as a model; ValueError for anything but our JSON format
    (an old pickled Pipeline included: it is never unpickled)."""
    try:
        data = json.loads(bytes(blob).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValueError("not a JSON model") from error
    if not isinstance(data, dict):
        raise ValueError("not a JSON model")
    return PlainModel(data)


def learn(examples: list[tuple[str, int]]) -> PlainModel:
    """Fit on examples with scikit-learn and return the model as it is stored."""
    return load(dump(export(fit(examples))))


def decisions() -> list[tuple[str, int]]:
    """What moderators decided, as training examples (bounded: the newest 20 000),
    and as many of what they let stand as ham.

    Hidden articles and comments count as spam, so without the other side a
    site whose moderators hide many comments (for rudeness, say) would teach
    the model that comments are spam: the newest visible comments and published
    articles, never held, stand beside them one for one."""
    from articles.models import Article
    from articles.sanitizer import html_to_text
    from comments.models import Comment

    from .models import HeldItem

    rows = [
        (text, 1 if status == HeldItem.Status.REJECTED else 0)
        for text, status in HeldItem.objects.exclude(status=HeldItem.Status.PENDING)
        .order_by("-decided_at")
        .values_list("text", "status")[:10000]
    ]
    held_comments = HeldItem.objects.filter(kind="comment").values("comment_id")
    held_articles = HeldItem.objects.filter(kind="article").values("article_id")
    hidden_articles = [
        (f"{title}\n{html_to_text(body_html)}", 1)
        for title, body_html in Article.objects.filter(status=Article.Status.HIDDEN)
        .order_by("-id")
        .values_list("title", "body_html")[:5000]
    ]
    hidden_comments = [
        (body, 1)
        for body in Comment.objects.filter(status=Comment.Status.HIDDEN_BY_MODERATOR)
        .exclude(pk__in=held_comments)
        .order_by("-id")
        .values_list("body", flat=True)[:5000]
    ]
    kept_articles = [
        (f"{title}\n{html_to_text(body_html)}", 0)
        for title, body_html in Article.objects.filter(status=Article.Status.PUBLISHED)
        .exclude(pk__in=held_articles)
        .order_by("-id")
        .values_list("title", "body_html")[: len(hidden_articles)]
    ]
    kept_comments = [
        (body, 0)
        for body in Comment.objects.filter(status=Comment.Status.VISIBLE)
        .exclude(pk__in=held_comments)
        .order_by("-id")
        .values_list("body", flat=True)[: len(hidden_comments)]
    ]
    return rows + hidden_articles + hidden_comments + kept_articles + kept_comments


def train():
    """Fit on the seed set and the decisions and store it as plain data; None
    without scikit-learn (then the stored model, if any, goes on scoring)."""
    from .models import ClassifierModel

    if not can_train():
        return None
    examples = read_tsv("seed.tsv") + decisions()
    return ClassifierModel.objects.create(
        samples=len(examples),
        spam_samples=sum(label for _, label in examples),
        blob=dump(export(fit(examples))),
    )


def _current() -> PlainModel | None:
    """The newest stored model, reloaded at most every CLASSIFIER_RELOAD_SECONDS;
    None if there is none or it is in a format we do not read."""
    from .models import ClassifierModel

    now = time.monotonic()
    if _loaded["model"] is not None and now - _loaded["at"] < CLASSIFIER_RELOAD_SECONDS:
        return _loaded["model"]
    _loaded["at"] = now
    newest = ClassifierModel.objects.order_by("-created_at", "-id").values("id").first()
    if newest is None:
        _loaded.update(id=None, model=None)
        return None
    if newest["id"] != _loaded["id"]:
        blob = ClassifierModel.objects.values_list("blob", flat=True).get(pk=newest["id"])
        try:
            model = load(blob)
        except (ValueError, KeyError, TypeError):
            # Remembering the id means this is logged once per process, not per post.
            logger.warning(
                "spam classifier model %s is in an old or unknown format; the rules "
                "decide alone until it is retrained",
                newest["id"],
            )
            model = None
        _loaded.update(id=newest["id"], model=model)
    return _loaded["model"]


def needs_retraining(using: str | None = None) -> bool:
    """Whether the newest stored model is one this version cannot read (an older
    format); ``using`` names the database (a migrate's, not a router's pick)."""
    from .models import ClassifierModel

    blob = (
        ClassifierModel.objects.using(using)
        .order_by("-created_at", "-id")
        .values_list("blob", flat=True)
        .first()
    )
    if blob is None:
        return False
    try:
        load(blob)
    except (ValueError, KeyError, TypeError):
        return True
    return False


def forget() -> None:
    """Drop the loaded model (tests, and after training in this process)."""
    _loaded.update(at=0.0, id=None, model=None)


def score_with(model: PlainModel, text: str) -> Score:
    return model.score(normalise(text))


def score(text: str) -> Score | None:
    """The spam probability of ``text`` and its top features; None with no model."""
    try:
        model = _current()
        return None if model is None else score_with(model, text)
    except Exception:
        logger.exception("spam classifier failed; the rules decide alone")
        return None
