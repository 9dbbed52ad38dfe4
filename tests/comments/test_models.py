"""The comment model and the reads built on it: paths, threads, pages of threads."""

import pytest
from django.db import IntegrityError
from django.test import RequestFactory

from comments.models import MAX_DEPTH, PATH_DIGITS, Comment, CommentStatus
from comments.services import delete_comment, hide_comment_as_author
from comments.threads import NEWEST, OLDEST, THREADS_PER_PAGE, page_number_of, thread_page
from tests.comments.builders import make_chain, make_comment
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def page_of(article, **query):
    """The comment threads the article page would show for this query string."""
    return thread_page(RequestFactory().get("/", query), article)


def segment(comment) -> str:
    return str(comment.pk).zfill(PATH_DIGITS)


@pytest.fixture
def conversation(article):
    """Two threads with replies at several depths, written in this order:

    first ─┬─ first_a ── first_a_a
           └─ first_b
    second ── second_a
    """
    first = make_comment(article, body="Yang pertama")
    second = make_comment(article, body="Yang kedua")
    first_a = make_comment(article, reply_to=first)
    second_a = make_comment(article, reply_to=second)
    first_a_a = make_comment(article, reply_to=first_a)
    first_b = make_comment(article, reply_to=first)
    return {
        "first": first,
        "second": second,
        "first_a": first_a,
        "second_a": second_a,
        "first_a_a": first_a_a,
        "first_b": first_b,
    }


def test_a_top_level_comment_is_its_own_thread_with_a_one_segment_path(article):
    comment = make_comment(article)

    comment.refresh_from_db()
    assert comment.thread_id == comment.pk
    assert comment.parent_id is None
    assert comment.depth == 0
    assert comment.path == segment(comment)


def test_a_reply_extends_its_parents_path_and_stays_in_its_thread(article):
    top, reply, reply_to_reply = make_chain(article, length=3)

    for comment in (top, reply, reply_to_reply):
        comment.refresh_from_db()
    assert (reply.parent_id, reply.reply_to_id, reply.depth) == (top.pk, top.pk, 1)
    assert reply.path == f"{segment(top)}/{segment(reply)}"
    assert reply_to_reply.path == f"{segment(top)}/{segment(reply)}/{segment(reply_to_reply)}"
    assert reply_to_reply.depth == 2
    assert {top.thread_id, reply.thread_id, reply_to_reply.thread_id} == {top.pk}


def test_replies_come_depth_first_with_siblings_oldest_first_and_newest_threads_first(
    article, conversation
):
    threads = page_of(article)

    c = conversation
    assert threads.order == NEWEST
    assert threads.comments == [
        c["second"],
        c["second_a"],
        c["first"],
        c["first_a"],
        c["first_a_a"],
        c["first_b"],
    ]
    assert [comment.depth for comment in threads.comments] == [0, 1, 0, 1, 2, 1]


def test_asking_for_oldest_first_puts_the_oldest_thread_first_with_the_same_thread_order(
    article, conversation
):
    threads = page_of(article, urutan="terlama")

    c = conversation
    assert threads.order == OLDEST
    assert threads.comments == [
        c["first"],
        c["first_a"],
        c["first_a_a"],
        c["first_b"],
        c["second"],
        c["second_a"],
    ]


def test_an_unknown_order_falls_back_to_newest_first(article, conversation):
    assert page_of(article, urutan="acak").order == NEWEST


def test_a_reply_to_the_deepest_comment_attaches_beside_it_and_names_whom_it_answers(article):
    chain = make_chain(article, length=MAX_DEPTH + 1)
    deepest = chain[-1]
    answer = make_comment(article, reply_to=deepest)

    answer.refresh_from_db()
    assert deepest.depth == MAX_DEPTH
    assert answer.depth == MAX_DEPTH
    assert answer.parent_id == deepest.parent_id
    assert answer.reply_to_id == deepest.pk
    assert answer.thread_id == chain[0].pk
    # Beside it, and after it in thread order.
    assert page_of(article).comments == [*chain, answer]


def test_the_depth_can_never_pass_the_deepest_level(article, reader):
    top = make_comment(article)

    with pytest.raises(IntegrityError):
        Comment.objects.create(
            article=article,
            author=reader,
            parent=top,
            thread=top,
            depth=MAX_DEPTH + 1,
            path="x",
            body="Terlalu dalam",
        )


def test_the_status_must_be_one_of_the_choices(article, reader):
    with pytest.raises(IntegrityError):
        Comment.objects.create(
            article=article, author=reader, path="x", body="Aneh", status="vanished"
        )


def test_saving_fills_the_rendered_body_also_when_only_the_body_is_saved(article):
    comment = make_comment(article, body="Awal")

    comment.body = "Lihat <i>ini</i>: https://contoh.id"
    comment.save(update_fields=["body"])

    comment.refresh_from_db()
    assert comment.body_html == (
        '<p>Lihat &lt;i&gt;ini&lt;/i&gt;: <a href="https://contoh.id" '
        'rel="nofollow ugc noopener">https://contoh.id</a></p>'
    )


def test_a_comment_links_to_its_permalink_and_has_an_anchor(article):
    comment = make_comment(article)

    assert comment.get_absolute_url() == f"/komentar/{comment.pk}/"
    assert comment.anchor == f"komentar-{comment.pk}"
    assert str(comment).startswith(f"{comment.author}: ")


def test_a_removed_comment_with_a_visible_reply_stays_as_a_placeholder(article):
    top, reply = make_chain(article, length=2)
    delete_comment(top, by=top.author)

    threads = page_of(article)

    assert threads.comments == [top, reply]
    assert not threads.comments[0].is_visible
    assert list(Comment.objects.shown_top_level(article)) == [top]


def test_a_removed_comment_without_visible_replies_leaves_nothing(article, writer):
    kept = make_comment(article)
    top, reply = make_chain(article, length=2)
    hide_comment_as_author(reply, by=writer)
    delete_comment(top, by=top.author)

    threads = page_of(article)

    assert threads.comments == [kept]
    assert threads.page.paginator.count == 1
    assert list(Comment.objects.shown_top_level(article)) == [kept]


def test_a_removed_reply_in_the_middle_keeps_its_place_for_the_reply_below(article):
    top, middle, bottom = make_chain(article, length=3)
    leaf = make_comment(article, reply_to=top)
    delete_comment(middle, by=middle.author)
    delete_comment(leaf, by=leaf.author)

    assert page_of(article).comments == [top, middle, bottom]


def test_a_thread_removed_entirely_no_longer_counts_towards_the_pages(article, writer):
    whole = [make_comment(article) for _ in range(THREADS_PER_PAGE)]
    extra_top, extra_reply = make_chain(article, length=2)
    assert page_of(article).page.paginator.num_pages == 2

    hide_comment_as_author(extra_reply, by=writer)
    hide_comment_as_author(extra_top, by=writer)

    threads = page_of(article)
    assert threads.page.paginator.count == THREADS_PER_PAGE
    assert threads.page.paginator.num_pages == 1
    assert threads.comments == whole[::-1]


def test_the_page_of_a_comment_counts_only_the_threads_shown_before_it(article):
    threads = [make_comment(article) for _ in range(THREADS_PER_PAGE + 5)]
    reply = make_comment(article, reply_to=threads[0])

    assert page_number_of(threads[-1]) == 1
    assert page_number_of(threads[4]) == 2
    assert page_number_of(threads[5]) == 1
    assert page_number_of(threads[0]) == 2
    assert page_number_of(reply) == 2
    assert page_number_of(threads[0], OLDEST) == 1
    assert page_number_of(threads[-1], OLDEST) == 2

    # Removing five newer threads moves the oldest one up to the first page.
    for top in threads[-5:]:
        delete_comment(top, by=top.author)
    assert page_number_of(reply) == 1


def test_visible_keeps_only_visible_comments(article):
    shown = make_comment(article)
    for status in CommentStatus.values:
        if status != CommentStatus.VISIBLE:
            Comment.objects.filter(pk=make_comment(article).pk).update(status=status)

    assert list(Comment.objects.visible()) == [shown]


def test_with_people_brings_the_writers_without_more_queries(article, django_assert_num_queries):
    top = make_comment(article, author=make_user(display_name="Bu Ani"))
    make_comment(article, reply_to=top)

    with django_assert_num_queries(1):
        names = [
            (comment.author.name, comment.reply_to.author.name if comment.reply_to else None)
            for comment in Comment.objects.with_people().order_by("path")
        ]
    assert names[0] == ("Bu Ani", None)
    assert names[1][1] == "Bu Ani"
