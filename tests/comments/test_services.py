"""Business rules of comments, through the services every caller shares."""

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, connections
from django.utils import translation

from articles.models import Article
from comments.models import MAX_DEPTH, MAX_LENGTH, Comment, CommentStatus
from comments.services import (
    CommentRateLimited,
    comment_event_recipients,
    delete_comment,
    edit_comment,
    hide_comment_as_author,
    hide_comment_as_moderator,
    post_comment,
    restore_comment_as_moderator,
    unhide_comment_as_author,
)
from tests.comments.builders import make_chain, make_comment
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db


def comment_count(article) -> int:
    article.refresh_from_db(fields=["comment_count"])
    return article.comment_count


# Posting and replying


def test_posting_stores_the_comment_and_counts_it(article, reader):
    comment = post_comment(article, author=reader, body="  Setuju sekali.  ")

    comment.refresh_from_db()
    assert comment.body == "Setuju sekali."
    assert comment.body_html == "<p>Setuju sekali.</p>"
    assert comment.status == CommentStatus.VISIBLE
    assert comment.author == reader
    assert comment_count(article) == 1


def test_a_reply_to_the_deepest_comment_becomes_its_sibling(article, reader):
    chain = make_chain(article, length=MAX_DEPTH + 1)

    answer = post_comment(article, author=reader, body="Menjawab", reply_to=chain[-1])

    assert answer.depth == MAX_DEPTH
    assert answer.parent == chain[-2]
    assert answer.reply_to == chain[-1]
    assert answer.path.startswith(chain[-2].path + "/")
    assert comment_count(article) == MAX_DEPTH + 2


def test_a_reply_to_a_comment_on_another_article_is_refused(article, reader):
    elsewhere = make_comment(make_article())

    with pytest.raises(ValidationError):
        post_comment(article, author=reader, body="Salah tempat", reply_to=elsewhere)

    assert not article.comments.exists()
    assert comment_count(article) == 0


@pytest.mark.parametrize(
    "removed_status",
    [
        CommentStatus.DELETED,
        CommentStatus.HIDDEN_BY_AUTHOR,
        CommentStatus.HIDDEN_BY_MODERATOR,
    ],
)
def test_a_removed_comment_cannot_be_replied_to(article, reader, removed_status):
    removed = make_comment(article)
    Comment.objects.filter(pk=removed.pk).update(status=removed_status)
    removed.refresh_from_db()

    with pytest.raises(ValidationError):
        post_comment(article, author=reader, body="Masih ada?", reply_to=removed)

    assert article.comments.count() == 1


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.HIDDEN])
def test_an_article_that_is_not_published_takes_no_comments(writer, reader, status):
    article = make_article(author=writer, status=status)

    with pytest.raises(ValidationError):
        post_comment(article, author=reader, body="Halo")

    assert not article.comments.exists()


@pytest.mark.parametrize("body", ["", " \n\t "])
def test_a_blank_comment_is_refused(article, reader, body):
    # The form refuses it too, but the service is the write path every caller
    # (views, admin actions, commands) shares, so the rule has to hold here.
    with pytest.raises(ValidationError):
        post_comment(article, author=reader, body=body, enforce_limits=False)

    assert not article.comments.exists()
    assert comment_count(article) == 0


def test_a_comment_over_the_length_limit_is_refused(article, reader):
    with pytest.raises(ValidationError):
        post_comment(article, author=reader, body="a" * (MAX_LENGTH + 1), enforce_limits=False)

    assert not article.comments.exists()


def test_a_comment_at_the_length_limit_is_accepted(article, reader):
    comment = post_comment(article, author=reader, body="a" * MAX_LENGTH)

    assert len(comment.body) == MAX_LENGTH


def test_the_article_author_and_the_writer_answered_hear_of_a_reply_but_not_the_replier(
    article, writer, reader, neighbour
):
    question = make_comment(article, author=reader)
    answer = make_comment(article, author=neighbour, reply_to=question)
    own_reply = make_comment(article, author=writer, reply_to=question)
    top = make_comment(article, author=writer)

    assert set(comment_event_recipients(answer)) == {writer, reader}
    assert comment_event_recipients(own_reply) == [reader]
    assert comment_event_recipients(top) == []


# Editing


def test_the_writer_edits_a_comment_and_it_shows_as_edited(article, reader):
    comment = make_comment(article, author=reader, body="Sebelum")

    edit_comment(comment, editor=reader, body=" Sesudah <b>ubah</b> ")

    comment.refresh_from_db()
    assert comment.body == "Sesudah <b>ubah</b>"
    assert comment.body_html == "<p>Sesudah &lt;b&gt;ubah&lt;/b&gt;</p>"
    assert comment.edited_at is not None


def test_nobody_else_can_edit_a_comment(article, reader, writer, staff):
    comment = make_comment(article, author=reader, body="Punyaku")

    for other in (writer, staff):
        with pytest.raises(PermissionDenied):
            edit_comment(comment, editor=other, body="Punyamu")

    comment.refresh_from_db()
    assert comment.body == "Punyaku"
    assert comment.edited_at is None


def test_a_deleted_comment_cannot_be_edited(article, reader):
    comment = make_comment(article, author=reader, body="Sudah dihapus")
    delete_comment(comment, by=reader)

    with pytest.raises(ValidationError):
        edit_comment(comment, editor=reader, body="Muncul lagi")

    comment.refresh_from_db()
    assert comment.body == "Sudah dihapus"


def test_an_edit_to_a_blank_comment_is_refused(article, reader):
    comment = make_comment(article, author=reader, body="Isi")

    with pytest.raises(ValidationError):
        edit_comment(comment, editor=reader, body="   ")

    comment.refresh_from_db()
    assert comment.body == "Isi"


# Removing and restoring: the row stays, the status and the count change


def test_deleting_keeps_the_row_marks_it_deleted_and_uncounts_it(article, reader):
    comment = make_comment(article, author=reader)
    rows = Comment.objects.count()

    assert delete_comment(comment, by=reader) is True

    assert Comment.objects.count() == rows
    comment.refresh_from_db()
    assert comment.status == CommentStatus.DELETED
    assert comment.status_changed_at is not None
    assert comment_count(article) == 0


def test_only_the_writer_can_delete_a_comment(article, reader, writer):
    comment = make_comment(article, author=reader)

    with pytest.raises(PermissionDenied):
        delete_comment(comment, by=writer)

    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE
    assert comment_count(article) == 1


def test_deleting_twice_counts_once(article, reader):
    comment = make_comment(article, author=reader)
    make_comment(article)

    assert delete_comment(comment, by=reader) is True
    assert delete_comment(comment, by=reader) is False

    assert comment_count(article) == 1


def test_the_article_author_hides_and_shows_again_with_the_count_following(article, writer, reader):
    comment = make_comment(article, author=reader)
    make_comment(article)
    rows = Comment.objects.count()
    assert comment_count(article) == 2

    assert hide_comment_as_author(comment, by=writer) is True
    assert comment.status == CommentStatus.HIDDEN_BY_AUTHOR
    assert comment_count(article) == 1

    assert unhide_comment_as_author(comment, by=writer) is True
    assert comment.status == CommentStatus.VISIBLE
    assert comment_count(article) == 2
    assert Comment.objects.count() == rows


def test_hiding_an_already_hidden_comment_changes_nothing(article, writer):
    comment = make_comment(article)
    hide_comment_as_author(comment, by=writer)
    changed_at = Comment.objects.get(pk=comment.pk).status_changed_at

    assert hide_comment_as_author(comment, by=writer) is False

    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN_BY_AUTHOR
    assert comment.status_changed_at == changed_at
    assert comment_count(article) == 0


def test_showing_again_a_comment_that_is_not_hidden_changes_nothing(article, writer):
    comment = make_comment(article)

    assert unhide_comment_as_author(comment, by=writer) is False

    assert comment_count(article) == 1


def test_the_article_author_cannot_show_again_what_a_moderator_hid(article, writer):
    comment = make_comment(article)
    hide_comment_as_moderator(comment)

    assert unhide_comment_as_author(comment, by=writer) is False

    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN_BY_MODERATOR
    assert comment_count(article) == 0


def test_a_reader_who_did_not_write_the_article_cannot_hide_or_show(article, reader, neighbour):
    comment = make_comment(article, author=neighbour)

    with pytest.raises(PermissionDenied):
        hide_comment_as_author(comment, by=reader)
    # Not even the comment's own writer: they delete instead.
    with pytest.raises(PermissionDenied):
        hide_comment_as_author(comment, by=neighbour)
    hide_comment_as_author(comment, by=article.author)
    with pytest.raises(PermissionDenied):
        unhide_comment_as_author(comment, by=reader)

    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN_BY_AUTHOR


def test_staff_can_hide_a_comment_on_any_article(article, staff):
    comment = make_comment(article)

    assert hide_comment_as_author(comment, by=staff) is True

    assert comment_count(article) == 0


def test_a_moderator_hiding_what_the_author_hid_does_not_uncount_it_again(article, writer):
    comment = make_comment(article)
    make_comment(article)
    hide_comment_as_author(comment, by=writer)
    assert comment_count(article) == 1

    assert hide_comment_as_moderator(comment) is True

    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN_BY_MODERATOR
    assert comment_count(article) == 1


def test_a_moderator_hides_and_restores_with_the_count_following(article):
    comment = make_comment(article)
    rows = Comment.objects.count()

    assert hide_comment_as_moderator(comment) is True
    assert comment_count(article) == 0
    assert hide_comment_as_moderator(comment) is False
    assert comment_count(article) == 0

    assert restore_comment_as_moderator(comment) is True
    assert comment.status == CommentStatus.VISIBLE
    assert comment_count(article) == 1
    assert restore_comment_as_moderator(comment) is False
    assert comment_count(article) == 1
    assert Comment.objects.count() == rows


def test_a_moderator_cannot_hide_a_comment_its_writer_deleted(article, reader):
    comment = make_comment(article, author=reader)
    delete_comment(comment, by=reader)

    assert hide_comment_as_moderator(comment) is False
    assert restore_comment_as_moderator(comment) is False

    comment.refresh_from_db()
    assert comment.status == CommentStatus.DELETED
    assert comment_count(article) == 0


# Flood and duplicate control


def test_a_second_comment_within_the_flood_window_is_refused(article, reader):
    post_comment(article, author=reader, body="Satu")

    with pytest.raises(CommentRateLimited):
        post_comment(article, author=reader, body="Dua")

    assert article.comments.count() == 1
    assert comment_count(article) == 1


def test_the_same_comment_again_after_the_flood_window_is_refused_as_a_duplicate(article, reader):
    post_comment(article, author=reader, body="Sama persis")
    cache.delete(f"comment:flood:{reader.pk}")

    with translation.override("en"), pytest.raises(CommentRateLimited, match="already posted"):
        post_comment(article, author=reader, body="  sama   PERSIS ")

    assert article.comments.count() == 1


def test_the_same_text_on_another_article_is_not_a_duplicate(article, reader):
    post_comment(article, author=reader, body="Sama persis")
    cache.delete(f"comment:flood:{reader.pk}")
    other = make_article()

    post_comment(other, author=reader, body="Sama persis")

    assert other.comments.count() == 1


def test_one_writers_flood_window_does_not_hold_back_another(article, reader, neighbour):
    post_comment(article, author=reader, body="Dari pembaca")

    post_comment(article, author=neighbour, body="Dari tetangga")

    assert article.comments.count() == 2


def test_staff_are_not_rate_limited(article, staff):
    for _ in range(3):
        post_comment(article, author=staff, body="Pengumuman redaksi")

    assert article.comments.count() == 3


def test_a_refused_reply_does_not_start_the_flood_window(article, reader):
    elsewhere = make_comment(make_article())
    with pytest.raises(ValidationError):
        post_comment(article, author=reader, body="Salah tempat", reply_to=elsewhere)

    post_comment(article, author=reader, body="Tempat yang benar")

    assert article.comments.count() == 1


# Concurrency: counts stay right when many requests write at once


def run_in_threads(calls, *, workers: int) -> list:
    """Run each call in a pool of threads; each thread closes its own connection."""

    def run(call):
        try:
            return call()
        finally:
            connections.close_all()  # the replicas too, when configured

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(run, calls))


def post_many_at_once(article, *, posts: int, workers: int) -> None:
    writers = [make_user() for _ in range(posts)]
    calls = [
        lambda i=i: post_comment(
            article, author=writers[i], body=f"Komentar serentak {i}", enforce_limits=False
        )
        for i in range(posts)
    ]
    run_in_threads(calls, workers=workers)


def hide_many_times_at_once(article, *, workers: int) -> list[bool]:
    comment = make_comment(article)
    make_comment(article)
    start = threading.Barrier(workers, timeout=30)

    def hide():
        # Each request loads its own copy, then they all hide together.
        own_copy = Comment.objects.select_related("article").get(pk=comment.pk)
        start.wait()
        return hide_comment_as_author(own_copy, by=article.author)

    return run_in_threads([hide] * workers, workers=workers)


def assert_every_post_counted(article, posts: int) -> None:
    assert comment_count(article) == posts
    comments = list(article.comments.all())
    assert len(comments) == posts
    assert all(c.thread_id == c.pk and c.path == str(c.pk).zfill(12) for c in comments)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_hundred_concurrent_posts_are_all_counted_on_postgresql(article):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")

    post_many_at_once(article, posts=100, workers=10)

    assert_every_post_counted(article, 100)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_hides_of_one_comment_uncount_it_once_on_postgresql(article):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")

    results = hide_many_times_at_once(article, workers=10)

    assert sorted(results) == [False] * 9 + [True]
    assert comment_count(article) == 1


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_posts_are_all_counted(article):
    post_many_at_once(article, posts=20, workers=4)

    assert_every_post_counted(article, 20)


@pytest.mark.django_db(transaction=True)
def test_concurrent_hides_of_one_comment_uncount_it_once(article):
    results = hide_many_times_at_once(article, workers=4)

    assert sorted(results) == [False] * 3 + [True]
    assert comment_count(article) == 1
