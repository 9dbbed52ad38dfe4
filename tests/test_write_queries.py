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


WRITES = {
    "comment": (
        lambda article: reverse("comments:post", kwargs={"article_pk": article.pk}),
        {"body": "Setuju, ini penting."},
        COMMENT_QUERIES,
        lambda article: Comment.objects.filter(article=article).count(),
    ),
    "rating": (
        lambda article: reverse("articles:rate", kwargs={"pk": article.pk}),
        {"label": "bermanfaat"},
        RATING_QUERIES,
        lambda article: Rating.objects.filter(article=article).count(),
    ),
    "follow": (
        lambda article: reverse("accounts:follow", kwargs={"username": article.author.username}),
        {"action": "follow"},
        FOLLOW_QUERIES,
        lambda article: Follow.objects.filter(author=article.author).count(),
    ),
}


@pytest.mark.parametrize("size", [0, 20])
@pytest.mark.parametrize("kind", sorted(WRITES))
def test_a_readers_write_takes_a_pinned_number_of_queries(kind, size):
    url_of, data, pinned, count = WRITES[kind]
    article = crowded_article(size)
    client = signed_in_client(make_user())
    assert queries_of(client, url_of(article), data) <= pinned
    assert count(article) == size + 1
