"""Following authors (the + button) and the Diikuti feed of their latest articles."""

import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Follow
from accounts.services import follow_author, unfollow_author
from articles.models import Article
from tests.authoring_builders import find
from tests.factories import make_article, make_topic, make_user

pytestmark = pytest.mark.django_db

FEED_URL = reverse("articles:following")


def follow_url(person):
    return reverse("accounts:follow", kwargs={"username": person.username})


def follow_count(follower, author):
    return Follow.objects.filter(follower=follower, author=author).count()


def feed_links(response):
    return [
        link.attrs["href"]
        for link in find(response, "a")
        if any("card-title" in parent.classes for parent in link.parents)
    ]


@pytest.fixture
def reader(client, user):
    client.force_login(user)
    return client


# --- Services --------------------------------------------------------------------


def test_follow_author_is_idempotent(user, other_user):
    assert follow_author(user, author=other_user) is True
    assert follow_author(user, author=other_user) is False

    assert follow_count(user, other_user) == 1


def test_unfollow_author_is_idempotent(user, other_user):
    follow_author(user, author=other_user)

    assert unfollow_author(user, author=other_user) is True
    assert unfollow_author(user, author=other_user) is False
    assert follow_count(user, other_user) == 0


def test_follow_author_refuses_yourself(user):
    with pytest.raises(ValueError):
        follow_author(user, author=user)

    assert not Follow.objects.exists()


def test_following_is_one_way(user, other_user):
    follow_author(user, author=other_user)

    assert follow_count(user, other_user) == 1
    assert follow_count(other_user, user) == 0


# --- The + button over HTTP ------------------------------------------------------


def test_following_twice_leaves_one_follow(reader, user, other_user):
    for _ in range(2):
        response = reader.post(follow_url(other_user))
        assert response.status_code == 302
        assert response["Location"] == other_user.get_absolute_url()

    assert follow_count(user, other_user) == 1


def test_unfollowing_twice_is_fine(reader, user, other_user):
    Follow.objects.create(follower=user, author=other_user)

    for _ in range(2):
        response = reader.post(follow_url(other_user), {"action": "unfollow"})
        assert response.status_code == 302

    assert follow_count(user, other_user) == 0


def test_following_yourself_shows_a_message_and_creates_nothing(reader, user):
    response = reader.post("/en" + follow_url(user), follow=True)

    assert response.status_code == 200
    assert "You cannot follow yourself." in [
        str(message) for message in response.context["messages"]
    ]
    assert not Follow.objects.exists()


def test_following_yourself_with_javascript_answers_not_following(reader, user):
    response = reader.post(follow_url(user), headers={"x-requested-with": "fetch"})

    assert response.status_code == 200
    assert response.json()["following"] is False
    assert not Follow.objects.exists()


def test_follow_with_javascript_answers_the_new_state_and_count(reader, user, other_user):
    response = reader.post(follow_url(other_user), headers={"x-requested-with": "fetch"})

    assert response.json()["following"] is True
    assert response.json()["followers"] == 1

    response = reader.post(
        follow_url(other_user), {"action": "unfollow"}, headers={"x-requested-with": "fetch"}
    )

    assert response.json()["following"] is False
    assert response.json()["followers"] == 0
    assert follow_count(user, other_user) == 0


def test_follow_returns_to_a_safe_next_page_only(reader, other_user):
    article = make_article(author=other_user)

    response = reader.post(follow_url(other_user), {"next": article.get_absolute_url()})
    assert response["Location"] == article.get_absolute_url()

    response = reader.post(follow_url(other_user), {"next": "https://evil.example/"})
    assert response["Location"] == other_user.get_absolute_url()


def test_follow_needs_sign_in_a_post_and_a_csrf_token(client, user, other_user):
    response = client.post(follow_url(other_user))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))

    client.force_login(user)
    assert client.get(follow_url(other_user)).status_code == 405

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post(follow_url(other_user)).status_code == 403

    assert not Follow.objects.exists()


def test_following_an_unknown_or_inactive_author_is_404(reader, user):
    inactive = make_user(is_active=False)

    assert reader.post(follow_url(inactive)).status_code == 404
    assert reader.post(reverse("accounts:follow", args=["tidak-ada"])).status_code == 404
    assert not Follow.objects.exists()


def test_author_page_shows_the_follower_count(client, other_user):
    for _ in range(3):
        Follow.objects.create(follower=make_user(), author=other_user)

    response = client.get(other_user.get_absolute_url())

    assert response.status_code == 200
    assert response.context["stats"]["followers"] == 3
    assert re.search(r"<strong[^>]*>\s*3\s*</strong>", response.content.decode())


def test_author_page_shows_the_button_state(reader, user, other_user):
    before = reader.get(other_user.get_absolute_url())
    Follow.objects.create(follower=user, author=other_user)
    after = reader.get(other_user.get_absolute_url())

    assert not find(before, "input", name="action", value="unfollow")
    assert find(after, "input", name="action", value="unfollow")
    assert find(after, "button", class_="is-following")


# --- The Diikuti feed ------------------------------------------------------------


@pytest.fixture
def topic(db):
    return make_topic("feed-topik", name="Topik Feed")


def test_feed_lists_only_published_articles_of_followed_authors(reader, user, topic):
    followed, stranger = make_user(), make_user()
    Follow.objects.create(follower=user, author=followed)
    shown = make_article(author=followed, topic=topic)
    hidden_ones = [
        make_article(author=followed, topic=topic, status=Article.Status.DRAFT),
        make_article(author=followed, topic=topic, status=Article.Status.HIDDEN),
        make_article(author=followed, topic=topic, status=Article.Status.DELETED),
        make_article(author=stranger, topic=topic),
        make_article(author=user, topic=topic),
    ]

    response = reader.get(FEED_URL)

    assert response.status_code == 200
    assert feed_links(response) == [shown.get_absolute_url()]
    for article in hidden_ones:
        assert article.get_absolute_url() not in feed_links(response)


def test_feed_lists_newest_first_across_authors(reader, user, topic):
    authors = [make_user() for _ in range(3)]
    for author in authors:
        Follow.objects.create(follower=user, author=author)
    articles = [make_article(author=authors[n % 3], topic=topic) for n in range(6)]

    response = reader.get(FEED_URL)

    assert feed_links(response) == [a.get_absolute_url() for a in reversed(articles)]


def test_feed_is_paginated(reader, user, topic):
    author = make_user()
    Follow.objects.create(follower=user, author=author)
    per_page = settings.ARTICLES_PER_PAGE
    articles = [make_article(author=author, topic=topic) for _ in range(per_page + 2)]

    first = reader.get(FEED_URL)
    second = reader.get(FEED_URL, {"halaman": 2})

    assert len(feed_links(first)) == per_page
    assert feed_links(second) == [a.get_absolute_url() for a in reversed(articles[:2])]
    assert find(first, "a", rel="next")
    assert reader.get(FEED_URL, {"halaman": 3}).status_code == 404


def test_feed_without_follows_shows_the_empty_message(reader):
    response = reader.get(FEED_URL)

    assert response.status_code == 200
    assert find(response, "p", class_="empty")
    assert feed_links(response) == []


def test_unfollowing_removes_the_author_from_the_feed(reader, user, topic):
    author = make_user()
    Follow.objects.create(follower=user, author=author)
    article = make_article(author=author, topic=topic)
    assert feed_links(reader.get(FEED_URL)) == [article.get_absolute_url()]

    reader.post(follow_url(author), {"action": "unfollow"})

    assert feed_links(reader.get(FEED_URL)) == []


def test_feed_needs_sign_in(client):
    response = client.get(FEED_URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def build_feed(user, authors: int):
    """``authors`` followed authors with one article each, plus noise that must not show."""
    topics = [make_topic(f"feed-{n}") for n in range(3)]
    for number in range(authors):
        author = make_user()
        Follow.objects.create(follower=user, author=author)
        make_article(author=author, topic=topics[number % 3], tags=["a", "b"])
        make_article(author=author, topic=topics[0], status=Article.Status.DRAFT)
    make_article(author=make_user(), topic=topics[1])


# Session user + count + page of cards (author and topic joined) + following
# count + header topics + the bell's unread count. The session lives in the cache.
FEED_QUERIES = 6


@pytest.mark.parametrize("authors", [2, 25])
def test_feed_query_count_is_pinned(reader, user, django_assert_max_num_queries, authors):
    build_feed(user, authors)

    with django_assert_max_num_queries(FEED_QUERIES):
        response = reader.get(FEED_URL)

    assert response.status_code == 200
    assert len(feed_links(response)) == min(authors, settings.ARTICLES_PER_PAGE)


def test_feed_query_count_is_the_same_for_2_and_25_authors(user, db):
    def measure(person, authors):
        build_feed(person, authors)
        client = Client()
        client.force_login(person)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(FEED_URL).status_code == 200
        return len(queries)

    assert measure(user, 2) == measure(make_user(), 25)
