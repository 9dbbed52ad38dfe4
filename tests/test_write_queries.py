"""The writes a reader makes most (a comment, a rating, a follow) take a pinned
number of queries, whatever the article or the author already holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.models import Follow
from articles.models import Rating
from articles.services import rate_article
from comments.models import Comment
from comments.services import post_comment
from tests.factories import make_article, make_user, signed_in_client

pytestmark = pytest.mark.django_db

# Each write with its session, user, CSRF check, limits, the write itself, its
# notices and generation bumps; pinned so that a new query per row shows.
COMMENT_QUERIES = 14
RATING_QUERIES = 12
FOLLOW_QUERIES = 14


def crowded_article(size: int):
    """An article with ``size`` comments, ratings and followers of its author."""
    article = make_article(author=make_user())
    for _ in range(size):
        other = make_user()
        post_comment(article, author=other, body="Komentar pembaca yang lain.")
        rate_article(article, user=other, label="aktual")
        Follow.objects.create(follower=other, author=article.author)
    return article


def queries_of(client, url, data) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    assert response.status_code == 302, response.status_code
    return len(queries)


@pytest.mark.parametrize("size", [0, 20])
def test_posting_a_comment_takes_a_pinned_number_of_queries(size):
    article = crowded_article(size)
    client = signed_in_client(make_user())
    url = reverse("comments:post", kwargs={"article_pk": article.pk})
    assert queries_of(client, url, {"body": "Setuju, ini penting."}) <= COMMENT_QUERIES
    assert Comment.objects.filter(article=article).count() == size + 1


@pytest.mark.parametrize("size", [0, 20])
def test_rating_takes_a_pinned_number_of_queries(size):
    article = crowded_article(size)
    client = signed_in_client(make_user())
    url = reverse("articles:rate", kwargs={"pk": article.pk})
    assert queries_of(client, url, {"label": "bermanfaat"}) <= RATING_QUERIES
    assert Rating.objects.filter(article=article).count() == size + 1


@pytest.mark.parametrize("size", [0, 20])
def test_following_takes_a_pinned_number_of_queries(size):
    article = crowded_article(size)
    client = signed_in_client(make_user())
    url = reverse("accounts:follow", kwargs={"username": article.author.username})
    assert queries_of(client, url, {"action": "follow"}) <= FOLLOW_QUERIES
    assert Follow.objects.filter(author=article.author).count() == size + 1
