"""Likes on comments: one per reader, counted with the row, told to the writer once per comment."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from comments.models import CommentLike
from comments.services import hide_comment_as_moderator, like_comment, unlike_comment
from notifications.models import Notification
from tests.factories import make_article, make_user, signed_in_client

from .builders import make_comment

pytestmark = pytest.mark.django_db


@pytest.fixture
def comment():
    writer = make_user(username="penulis_komentar", display_name="Sari")
    return make_comment(make_article(title="Jalan desa"), author=writer, body="Setuju sekali.")


def like_notices(comment):
    return Notification.objects.filter(comment=comment, kind=Notification.Kind.COMMENT_LIKE)


def test_one_like_per_reader_counted(comment):
    reader = make_user()
    assert like_comment(comment, reader=reader) is True
    assert like_comment(comment, reader=reader) is False
    comment.refresh_from_db()
    assert comment.like_count == 1
    assert unlike_comment(comment, reader=reader) is True
    assert unlike_comment(comment, reader=reader) is False
    comment.refresh_from_db()
    assert comment.like_count == 0


def test_own_and_hidden_comments_cannot_be_liked(comment):
    with pytest.raises(ValidationError):
        like_comment(comment, reader=comment.author)
    hide_comment_as_moderator(comment)
    with pytest.raises(ValidationError):
        like_comment(comment, reader=make_user())
    assert not CommentLike.objects.exists()


def test_the_writer_gets_one_notice_per_comment_brought_back_by_each_like(comment):
    first, second = make_user(display_name="Andi"), make_user()
    third = make_user(display_name="Citra")
    like_comment(comment, reader=first)
    notice = like_notices(comment).get()
    notice.read_at = notice.created_at
    notice.save()

    like_comment(comment, reader=second)
    like_comment(comment, reader=third)

    notice = like_notices(comment).get()  # still one
    assert notice.is_unread and notice.actor == third
    page = signed_in_client(comment.author).get(reverse("notifications:list")).content.decode()
    assert "Citra dan 2 orang lain menyukai komentar Anda di “Jalan desa”." in page


def test_the_notice_goes_when_the_last_like_does_or_the_comment_is_hidden(comment):
    reader = make_user()
    like_comment(comment, reader=reader)
    unlike_comment(comment, reader=reader)
    assert not like_notices(comment).exists()
    like_comment(comment, reader=reader)
    hide_comment_as_moderator(comment)
    assert not like_notices(comment).exists()


def test_switched_off_likes_record_no_notice(comment):
    signed_in_client(comment.author).post(
        reverse("notifications:preferences"),
        {"email_reply": "on", "notify_mention": "on"},  # notify_comment_like left off
    )
    like_comment(comment, reader=make_user())
    assert not like_notices(comment).exists()


def test_liking_without_javascript_and_the_thread_shows_the_count(comment):
    reader = make_user()
    client = signed_in_client(reader)
    url = reverse("comments:like", args=[comment.pk])
    assert "Sukai komentar ini?" in client.get(url).content.decode()

    response = client.post(url, {"action": "like"}, follow=True)

    page = response.content.decode()
    assert "Anda menyukai komentar ini." in page
    assert f'data-toggle="{comment.pk}"' in page
    assert '<span class="like-count" data-toggle-count>1</span>' in page


def test_liking_in_place_answers_json_and_refusals_say_why(comment):
    url = reverse("comments:like", args=[comment.pk])
    fetch = {"x-requested-with": "fetch"}
    reader = signed_in_client(make_user())
    assert reader.post(url, {"action": "like"}, headers=fetch).json() == {
        "on": True,
        "count": 1,
        "message": "Anda menyukai komentar ini.",
    }
    own = signed_in_client(comment.author).post(url, {"action": "like"}, headers=fetch)
    assert own.status_code == 400
    assert own.json()["message"] == "Anda tidak dapat menyukai komentar sendiri."
    odd = reader.post(url, {"action": "suka-sekali"}, headers=fetch)
    assert odd.status_code == 400 and odd.json()["on"] is True


def test_status_names_only_the_readers_likes(comment, django_assert_max_num_queries):
    other = make_comment(comment.article)
    reader = make_user()
    like_comment(comment, reader=reader)
    like_comment(other, reader=make_user())
    client = signed_in_client(reader)
    client.get("/")
    query = "&".join(f"id={pk}" for pk in [comment.pk, other.pk, *range(5000, 5400)])
    with django_assert_max_num_queries(2):
        response = client.get(f"{reverse('comments:like_status')}?{query}")
    assert response.json() == {"on": [comment.pk]}


@pytest.mark.django_db(transaction=True)
def test_concurrent_likes_are_all_counted():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs PostgreSQL's row locks")
    comment = make_comment(make_article())
    readers = [make_user() for _ in range(8)]
    barrier = threading.Barrier(len(readers))

    def like(reader):
        barrier.wait()
        try:
            like_comment(comment, reader=reader)
        finally:
            connection.close()

    threads = [threading.Thread(target=like, args=[reader]) for reader in readers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    comment.refresh_from_db()
    assert comment.like_count == CommentLike.objects.filter(comment=comment).count() == 8
