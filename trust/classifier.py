"""A local spam classifier trained on our own moderators' decisions (README, "Trust and spam").

scikit-learn's TF-IDF (words and character 2-5-grams of the normalised text, so
``g4cor`` and ``gacor`` look alike) feeding a logistic regression
(liblinear, fixed random_state): deterministic, small, and it can say which
words weighed most. It only scores and routes (rules.screen holds a post at
TRUST_CLASSIFIER_THRESHOLD, never for a Tepercaya account on the score alone);
nothing is ever deleted on its word.

scikit-learn is optional (the ``spam`` dependency group, in ``dev``): without it
``score`` returns None and the rules work alone.

Training data: the shipped seed set (trust/data/seed.tsv, written for this
project) and every decision moderators made: held items released (ham) or
rejected (spam), articles and comments they hid (spam). manage.py
train_spam_classifier (or the train_classifier task, daily on the worker)
stores a new model; each process loads the newest once per CLASSIFIER_RELOAD_SECONDS.
"""

import io
import logging
import pickle
import time
from dataclasses import dataclass
from pathlib import Path

from .text import normalise

try:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import FeatureUnion, Pipeline
except ImportError:  # the rules alone
    TfidfVectorizer = None

logger = logging.getLogger(__name__)

DATA = Path(__file__).parent / "data"
SEED = 20261202
CLASSIFIER_RELOAD_SECONDS = 300
TOP_FEATURES = 5

_loaded: dict = {"at": 0.0, "id": None, "model": None}


@dataclass(frozen=True)
class Score:
    probability: float
    features: tuple[str, ...]


def available() -> bool:
    return TfidfVectorizer is not None


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
    features = FeatureUnion(
        [
            ("words", TfidfVectorizer(ngram_range=(1, 2), min_df=1, sublinear_tf=True)),
            (
                "chars",
                TfidfVectorizer(
                    analyzer="char_wb", ngram_range=(2, 5), min_df=1, sublinear_tf=True
                ),
            ),
        ]
    )
    model = LogisticRegression(C=10.0, solver="liblinear", random_state=SEED, max_iter=1000)
    return Pipeline([("features", features), ("model", model)])


def fit(examples: list[tuple[str, int]]):
    """A fitted pipeline on (text, label) pairs (1 = spam); needs both labels."""
    texts = [normalise(text) for text, _ in examples]
    labels = [label for _, label in examples]
    pipeline = build()
    pipeline.fit(texts, labels)
    return pipeline


def decisions() -> list[tuple[str, int]]:
    """What moderators decided, as training examples (bounded: the newest 20 000)."""
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
    rows += [
        (f"{title}\n{html_to_text(body_html)}", 1)
        for title, body_html in Article.objects.filter(status=Article.Status.HIDDEN)
        .order_by("-id")
        .values_list("title", "body_html")[:5000]
    ]
    rows += [
        (body, 1)
        for body in Comment.objects.filter(status=Comment.Status.HIDDEN_BY_MODERATOR)
        .exclude(pk__in=held_comments)
        .order_by("-id")
        .values_list("body", flat=True)[:5000]
    ]
    return rows


def train():
    """Fit on the seed set and the decisions and store it; None without scikit-learn."""
    from .models import ClassifierModel

    if not available():
        return None
    examples = read_tsv("seed.tsv") + decisions()
    pipeline = fit(examples)
    buffer = io.BytesIO()
    pickle.dump(pipeline, buffer, protocol=pickle.HIGHEST_PROTOCOL)
    return ClassifierModel.objects.create(
        samples=len(examples),
        spam_samples=sum(label for _, label in examples),
        blob=buffer.getvalue(),
    )


def _current():
    """The newest stored model, reloaded at most every CLASSIFIER_RELOAD_SECONDS."""
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
        # Our own pickle, written by train() into our own database.
        _loaded.update(id=newest["id"], model=pickle.loads(bytes(blob)))  # noqa: S301
    return _loaded["model"]


def forget() -> None:
    """Drop the loaded model (tests, and after training in this process)."""
    _loaded.update(at=0.0, id=None, model=None)


def score_with(pipeline, text: str) -> Score:
    normal = normalise(text)
    probability = float(pipeline.predict_proba([normal])[0][1])
    return Score(probability, top_features(pipeline, normal))


def top_features(pipeline, normal: str) -> tuple[str, ...]:
    """The words and fragments of this text that pushed its score up most."""
    union = pipeline.named_steps["features"]
    weights = pipeline.named_steps["model"].coef_[0]
    vector = union.transform([normal]).tocsr()
    names = [
        name.split("__", 1)[1] for name in union.get_feature_names_out()
    ]  # "words__gacor" → "gacor"
    contributions = sorted(
        ((vector[0, index] * weights[index], names[index]) for index in vector.indices),
        reverse=True,
    )
    shown: list[str] = []
    for weight, name in contributions:
        if weight <= 0 or len(shown) >= TOP_FEATURES:
            break
        if name.strip() and name.strip() not in shown:
            shown.append(name.strip())
    return tuple(shown)


def score(text: str) -> Score | None:
    """The spam probability of ``text`` and its top features; None with no model."""
    if not available():
        return None
    try:
        pipeline = _current()
        return None if pipeline is None else score_with(pipeline, text)
    except Exception:
        logger.exception("spam classifier failed; the rules decide alone")
        return None
