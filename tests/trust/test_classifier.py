"""The classifier: deterministic training, measured figures, routing only, and
scoring in pure Python from plain data (web processes never load scikit-learn)."""

import json
import logging
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from articles.models import Article
from articles.services import publish_article
from tests.factories import make_article
from trust import classifier, services
from trust.evaluation import evaluate
from trust.models import ClassifierModel, HeldItem

from .conftest import make_account, make_trusted

pytestmark = pytest.mark.skipif(not classifier.can_train(), reason="scikit-learn not installed")

SPAMMY = "Daftar sekarang dapat bonus deposit harian, withdraw cepat, member baru untung"


def test_held_out_figures_meet_the_target():
    """At least 0.95 precision at 0.8 recall on 200 items the model never saw."""
    rows = evaluate(thresholds=(0.6,))
    assert rows[0].precision >= 0.95
    assert rows[0].recall >= 0.8
    assert rows[0].true_positives + rows[0].false_negatives == 100


def test_training_is_deterministic():
    examples = classifier.read_tsv("seed.tsv")
    first = classifier.score_with(classifier.learn(examples), SPAMMY)
    second = classifier.score_with(classifier.learn(examples), SPAMMY)
    assert first == second


def test_scores_rank_spam_above_an_ordinary_comment_and_name_its_words():
    model = classifier.learn(classifier.read_tsv("seed.tsv"))
    spam = classifier.score_with(model, SPAMMY)
    ham = classifier.score_with(model, "Terima kasih, ulasan tentang pasar lama ini menarik")
    assert spam.probability > 0.6 > ham.probability
    assert spam.features and all(isinstance(word, str) for word in spam.features)


@pytest.mark.django_db
def test_train_learns_from_moderators_decisions(newcomer, staff_user):
    article = make_article(
        author=newcomer, status=Article.Status.DRAFT, body="<p>Jual kupon sakti asli</p>"
    )
    publish_article(article, by=newcomer)
    services.reject(HeldItem.objects.get(article=article), by=staff_user)
    model = classifier.train()
    assert model.samples == len(classifier.read_tsv("seed.tsv")) + 1
    assert model.spam_samples == 41
    assert classifier.score("Jual kupon sakti asli").probability > 0.5


@pytest.mark.django_db
def test_comments_moderators_hid_never_teach_that_comments_are_spam(monkeypatch):
    """Hidden comments are spam examples; as many visible ones stand beside them as
    ham, so a site that hides many rude comments does not hold every comment."""
    from comments.models import Comment, CommentStatus
    from comments.services import post_comment

    monkeypatch.setattr("comments.services._check_limits", lambda *args: None)
    article = make_article()
    writer = make_trusted()
    ordinary = [
        "Terima kasih atas catatannya, di kampung kami juga begitu sejak musim hujan.",
        "Setuju dengan penulis, semoga pemerintah daerah mendengar keluhan warga.",
        "Jalan di depan sekolah kami juga rusak, anak-anak harus memutar jauh.",
    ]
    for number in range(60):
        comment = post_comment(article, author=writer, body=f"{ordinary[number % 3]} ({number})")
        if number % 2:
            Comment.objects.filter(pk=comment.pk).update(status=CommentStatus.HIDDEN_BY_MODERATOR)
    labels = [label for _, label in classifier.decisions()]
    assert labels.count(0) == labels.count(1) == 30
    classifier.train()
    classifier.forget()
    assert classifier.score(ordinary[0]).probability < 0.6


@pytest.mark.django_db
def test_the_score_holds_a_basic_account_but_never_a_trusted_one_alone(settings):
    classifier.train()
    settings.TRUST_CLASSIFIER_THRESHOLD = 0.6
    basic = make_account(days=3)
    make_article(author=basic)
    body = f"<p>{SPAMMY}</p>"
    article = make_article(author=basic, status=Article.Status.DRAFT, body=body)
    publish_article(article, by=basic)
    item = HeldItem.objects.get(article=article)
    assert item.rule == "classifier"
    assert item.score > 0.6 and item.features
    trusted = make_trusted()
    theirs = make_article(author=trusted, status=Article.Status.DRAFT, body=body)
    publish_article(theirs, by=trusted)
    theirs.refresh_from_db()
    assert theirs.status == Article.Status.PUBLISHED


@pytest.mark.django_db
def test_without_scikit_learn_a_stored_model_still_scores(monkeypatch):
    classifier.train()
    # As if the spam group were not installed: find_spec and import both fail.
    monkeypatch.setitem(sys.modules, "sklearn", None)
    assert not classifier.can_train()
    assert classifier.train() is None
    assert ClassifierModel.objects.count() == 1
    assert classifier.available()
    assert classifier.score(SPAMMY).probability > 0.6


@pytest.mark.django_db
def test_without_a_model_the_rules_work_alone(newcomer):
    assert not classifier.available()
    assert classifier.score(SPAMMY) is None
    article = make_article(author=newcomer, status=Article.Status.DRAFT, body=f"<p>{SPAMMY}</p>")
    publish_article(article, by=newcomer)
    assert HeldItem.objects.get(article=article).rule == "probation"


def test_the_analyzers_are_the_ones_described():
    assert classifier.word_features("slot gacor x 88") == [
        "slot", "gacor", "88", "slot gacor", "gacor 88",
    ]  # fmt: skip
    assert classifier.char_features("ab") == [" a", "ab", "b ", " ab", "ab ", " ab "]


def test_pure_python_probabilities_equal_scikit_learns():
    """The stored plain data, scored in Python, gives what predict_proba gives."""
    from trust.text import normalise

    pipeline = classifier.fit(classifier.read_tsv("seed.tsv"))
    model = classifier.load(classifier.dump(classifier.export(pipeline)))
    texts = [normalise(text) for text, _ in classifier.read_tsv("heldout.tsv")]
    texts += [normalise(SPAMMY), "", "kata yang tidak pernah terlihat zzqx"]
    expected = pipeline.predict_proba(texts)[:, 1]
    for text, probability in zip(texts, expected, strict=True):
        assert model.probability(text) == pytest.approx(float(probability), abs=1e-9), text
    # And the features named are those with the largest positive contributions.
    union, weights = pipeline.named_steps["features"], pipeline.named_steps["model"].coef_[0]
    names = [name.split("__", 1)[1] for name in union.get_feature_names_out()]
    vector = union.transform([normalise(SPAMMY)]).tocsr()
    best = sorted(((vector[0, i] * weights[i], names[i]) for i in vector.indices), reverse=True)
    top = [name.strip() for weight, name in best if weight > 0]
    assert model.top_features(normalise(SPAMMY)) == tuple(dict.fromkeys(top))[:5]


def test_the_stored_model_is_plain_json():
    blob = classifier.dump(classifier.export(classifier.fit(classifier.read_tsv("seed.tsv"))))
    data = json.loads(blob)
    assert data["format"] == classifier.FORMAT_VERSION
    assert [part["name"] for part in data["featurisers"]] == ["words", "chars"]
    for part in data["featurisers"]:
        assert len(part["vocabulary"]) == len(part["idf"]) == len(part["coefficients"])


SCORE_IN_A_WEB_PROCESS = """
import sys, django
django.setup()
loaded = [name for name in ("sklearn", "scipy", "numpy") if name in sys.modules]
assert not loaded, f"after django.setup(): {loaded}"
from trust import classifier
with open(sys.argv[1], "rb") as blob:
    model = classifier.load(blob.read())
scored = classifier.score_with(model, sys.argv[2])
loaded = [name for name in ("sklearn", "scipy", "numpy") if name in sys.modules]
assert not loaded, f"after scoring: {loaded}"
print(repr(scored.probability))
"""


def test_a_web_process_scores_without_importing_scikit_learn(tmp_path):
    """In a fresh process: this one has scikit-learn loaded, it trains."""
    stored = classifier.dump(classifier.export(classifier.fit(classifier.read_tsv("seed.tsv"))))
    blob = tmp_path / "model.json"
    blob.write_bytes(stored)
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "blogplatform.settings_test"}
    done = subprocess.run(  # noqa: S603 (our interpreter, our script)
        [sys.executable, "-c", SCORE_IN_A_WEB_PROCESS, str(blob), SPAMMY],
        cwd=Path(django_settings.BASE_DIR),
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert float(done.stdout) == classifier.score_with(classifier.load(stored), SPAMMY).probability


@pytest.mark.django_db
def test_an_old_pickled_pipeline_counts_as_no_model(monkeypatch, caplog, newcomer):
    old = pickle.dumps(classifier.fit(classifier.read_tsv("seed.tsv")))
    ClassifierModel.objects.create(samples=80, spam_samples=40, blob=old)
    unpickled = []
    monkeypatch.setattr(pickle, "loads", lambda *args, **kwargs: unpickled.append(args))
    with caplog.at_level(logging.WARNING, logger="trust.classifier"):
        assert classifier.score(SPAMMY) is None
        assert classifier.score(SPAMMY) is None
        article = make_article(
            author=newcomer, status=Article.Status.DRAFT, body=f"<p>{SPAMMY}</p>"
        )
        publish_article(article, by=newcomer)
    assert not unpickled
    assert HeldItem.objects.get(article=article).rule == "probation"
    warnings = [record for record in caplog.records if record.name == "trust.classifier"]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    # The next training replaces it and scoring comes back.
    classifier.train()
    classifier.forget()
    assert classifier.score(SPAMMY).probability > 0.6


@pytest.mark.django_db
def test_a_migrate_that_finds_an_unreadable_model_retrains():
    from trust import tasks

    old = pickle.dumps(classifier.fit(classifier.read_tsv("seed.tsv")))
    ClassifierModel.objects.create(samples=80, spam_samples=40, blob=old)
    assert classifier.needs_retraining()
    tasks.ensure_scheduled_after_migrate(using="default")  # the tests' tasks run at once
    classifier.forget()
    assert not classifier.needs_retraining()
    assert classifier.score(SPAMMY).probability > 0.6


@pytest.mark.django_db
def test_a_fresh_install_has_nothing_to_retrain():
    assert not classifier.needs_retraining()


@pytest.mark.django_db
def test_a_model_of_another_format_version_counts_as_no_model():
    data = classifier.export(classifier.fit(classifier.read_tsv("seed.tsv")))
    data["format"] = classifier.FORMAT_VERSION + 1
    ClassifierModel.objects.create(samples=80, spam_samples=40, blob=classifier.dump(data))
    assert classifier.score(SPAMMY) is None
    assert not classifier.available()
