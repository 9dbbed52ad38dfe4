"""The judged query set (tests/search/judged.py) on this run's database, with a floor.

Run with ``-s`` to see the figures README reports; with SEARCH_RANKINGS=path the
rankings are written there. reference_rankings.json holds SQLite's: both databases
must put mostly the same articles first (TOP3_OVERLAP_FLOOR).
"""

import json
import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone

from search import engine
from search.selectors import filtered_articles
from tests.factories import make_article, make_topic, make_user

from . import judged

pytestmark = pytest.mark.django_db

NDCG_FLOOR = 0.85
SUCCESS_FLOOR = 0.9
# The mean share of the first three results both databases have in common
# (measured: 0.99, the same first three in the same order for 61 of 63 queries).
TOP3_OVERLAP_FLOOR = 0.9
REFERENCE = Path(__file__).with_name("reference_rankings.json")


def ranking(query: str, titles: dict[str, str]) -> list[str]:
    """What the search page lists first for ``query``, as the view finds it."""
    parsed = engine.parse_query(engine.clean_query(query))
    found = list(engine.search_articles(filtered_articles(), parsed)[:10])
    if not found:
        corrected = engine.suggest_correction(query, parsed)
        if corrected:
            found = list(
                engine.search_articles(filtered_articles(), engine.parse_query(corrected))[:10]
            )
    return [titles[article.title] for article in found]


def test_the_judged_queries_find_what_was_meant(capsys):
    topics = {key: make_topic(f"uji-{key}", name=name) for key, name in judged.TOPICS.items()}
    authors = {
        key: make_user(username=f"uji-{key}", display_name=name)
        for key, name in judged.AUTHORS.items()
    }
    now = timezone.now()
    titles = {}
    for number, (key, (topic, author, title, tags, body)) in enumerate(judged.CORPUS.items()):
        make_article(
            topic=topics[topic],
            author=authors[author],
            title=title,
            tags=tags,
            body=f"<p>{body}</p>",
            published_at=now - timedelta(days=number * 7),
        )
        titles[title] = key
    rankings = {query: ranking(query, titles) for query in judged.JUDGEMENTS}
    figures = judged.measure(rankings)
    figures["top3_overlap_with_reference"] = judged.top_overlap(
        rankings, json.loads(REFERENCE.read_text())
    )
    if os.environ.get("SEARCH_RANKINGS"):
        with open(os.environ["SEARCH_RANKINGS"], "w") as out:
            json.dump(rankings, out, indent=1)
    with capsys.disabled():
        print(f"\njudged set: {json.dumps(figures)}")
    assert figures["queries"] >= 60
    assert figures["success@3"] >= SUCCESS_FLOOR, figures
    assert figures["ndcg@10"] >= NDCG_FLOOR, figures
    assert figures["top3_overlap_with_reference"] >= TOP3_OVERLAP_FLOOR, figures
