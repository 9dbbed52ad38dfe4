"""Likes and boosts from the fediverse, shown: on the article page (one query
whatever their number, inside the cached part, fresh after a new one), on the
author's dashboard (one query a page) and on their fediverse page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from federation.models import Reaction
from tests.factories import make_article, make_user

from .conftest import post_activity, store_actor

pytestmark = pytest.mark.django_db


def _react(article, actors, kind="like"):
    for actor in actors:
        Reaction.objects.create(
            article=article, actor=actor, kind=kind, activity_uri=f"{actor.uri}#{kind}"
        )


@pytest.fixture
def crowd(peer_keys):
    return [store_actor(f"pembaca{number}", peer_keys[1]) for number in range(12)]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_article_page_shows_likes_and_boosts_in_both_languages(client, author, crowd):
    article = make_article(author=author)
    _react(article, crowd[:3])
    _react(article, crowd[:1], kind="announce")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "3 suka · 1 boost di fediverse" in page
    english = client.get("/en" + article.get_absolute_url()).content.decode()
    assert "3 likes · 1 boost on the fediverse" in english


def test_an_article_without_reactions_shows_no_line(client, author):
    article = make_article(author=author)
    assert "fediverse-reactions" not in client.get(article.get_absolute_url()).content.decode()


def test_the_article_page_costs_the_same_queries_for_one_or_many_reactions(
    client, author, crowd, django_assert_max_num_queries
):
    few, many = make_article(author=author), make_article(author=author)
    _react(few, crowd[:1])
    _react(many, crowd)
    _react(many, crowd, kind="announce")
    client.get(few.get_absolute_url())  # warm what every page loads once
    assert _queries(client, few.get_absolute_url()) == _queries(client, many.get_absolute_url())
    with django_assert_max_num_queries(25):
        client.get(many.get_absolute_url())


def test_with_the_caches_on_a_new_like_shows_at_once(client, author, peer, settings):
    settings.PAGE_CACHE = True
    settings.FRAGMENT_CACHE = True
    article = make_article(author=author)
    url = article.get_absolute_url()
    assert "fediverse-reactions" not in client.get(url).content.decode()
    assert "fediverse-reactions" not in client.get(url).content.decode()  # now cached
    like = {
        "id": f"{peer.uri}#likes/1",
        "type": "Like",
        "actor": peer.uri,
        "object": f"https://kolom.test/ap/articles/{article.pk}",
    }
    assert post_activity(like, actor=peer, private_pem=peer.private_pem).status_code == 202
    assert "1 suka · 0 boost" in client.get(url).content.decode()
    undo = {"id": "u1", "type": "Undo", "actor": peer.uri, "object": like}
    assert post_activity(undo, actor=peer, private_pem=peer.private_pem).status_code == 202
    assert "fediverse-reactions" not in client.get(url).content.decode()


def test_the_dashboard_shows_each_articles_reactions_in_one_query(client, author, crowd):
    articles = [make_article(author=author, title=f"Tulisan {n}") for n in range(3)]
    _react(articles[0], crowd[:2])
    _react(articles[1], crowd[:5], kind="announce")
    client.force_login(author)
    page = client.get("/tulisan-saya/").content.decode()
    assert "2 suka, 0 boost" in page and "0 suka, 5 boost" in page
    small = _queries(client, "/tulisan-saya/")
    for number in range(10):
        _react(make_article(author=author, title=f"Lagi {number}"), crowd[:1])
    assert _queries(client, "/tulisan-saya/") == small


def test_the_fediverse_page_shows_the_totals_and_the_most_liked(client, author, crowd):
    top, other = make_article(author=author, title="Paling disukai"), make_article(author=author)
    _react(top, crowd[:4])
    _react(other, crowd[:1], kind="announce")
    _react(make_article(author=make_user(), title="Milik orang lain"), crowd)
    client.force_login(author)
    page = client.get("/en/profil/fediverse/").content.decode()
    assert "Your articles have 4 likes and 1 boosts on the fediverse." in page
    assert page.index("Paling disukai") < page.index(other.title)
    assert "Milik orang lain" not in page
