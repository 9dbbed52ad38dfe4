"""The comment section over HTTP: what readers see, what they may do, and what it costs."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext

from articles.models import Article
from comments.models import MAX_DEPTH, MAX_LENGTH, Comment, CommentStatus
from comments.services import FLOOD_SECONDS, delete_comment, hide_comment_as_author
from comments.threads import THREADS_PER_PAGE, thread_page
from tests.comments.builders import (
    bulk_comments,
    comment_html,
    make_chain,
    make_comment,
    placeholder_ids,
    shown_comment_ids,
)
from tests.factories import make_article, make_user

pytestmark = pytest.mark.django_db

FETCH = {"X-Comments-Fetch": "1"}


def post_url(article) -> str:
    return reverse("comments:post", args=[article.pk])


def login_url_for(url: str) -> str:
    return f"{reverse('account_login')}?next={url}"


def indonesian(message: str) -> str:
    """The message as the Indonesian pages show it (English until the catalogue has it)."""
    with translation.override("id"):
        return gettext(message)


def reload(obj):
    obj.refresh_from_db()
    return obj


# Threads on the article page


def test_the_article_page_shows_replies_under_their_threads_newest_thread_first(client, article):
    first, first_reply, first_reply_reply = make_chain(article, length=3)
    second = make_comment(article)
    first_late_reply = make_comment(article, reply_to=first)
    second_reply = make_comment(article, reply_to=second)

    newest_first = client.get(article.get_absolute_url())
    oldest_first = client.get(article.get_absolute_url(), {"urutan": "terlama"})

    first_thread = [first, first_reply, first_reply_reply, first_late_reply]
    second_thread = [second, second_reply]
    assert shown_comment_ids(newest_first) == [c.pk for c in second_thread + first_thread]
    assert shown_comment_ids(oldest_first) == [c.pk for c in first_thread + second_thread]
    assert f'class="comment depth-2" id="{first_reply_reply.anchor}"' in (
        newest_first.content.decode()
    )


def test_a_reply_beside_the_deepest_comment_says_whom_it_replies_to(client, article, reader):
    chain = make_chain(article, length=MAX_DEPTH + 1)
    client.force_login(reader)

    response = client.post(post_url(article), {"body": "Setuju", "reply_to": chain[-1].pk})

    answer = Comment.objects.latest("pk")
    assert response.status_code == 302
    assert (answer.depth, answer.parent, answer.reply_to) == (MAX_DEPTH, chain[-2], chain[-1])
    page = client.get(article.get_absolute_url())
    assert 'class="replying-to"' in comment_html(page, answer)
    assert chain[-1].author.name in comment_html(page, answer)
    # An ordinary reply sits under whom it answers: no need to name them.
    assert "replying-to" not in comment_html(page, chain[-1])


def test_a_page_of_threads_names_whom_each_reply_answers_in_its_three_queries(
    rf, article, django_assert_num_queries
):
    chain = make_chain(article, length=MAX_DEPTH + 1)
    answer = make_comment(article, reply_to=chain[-1])  # hangs beside it, at the deepest

    with django_assert_num_queries(3):  # the count, the threads, their replies
        shown = thread_page(rf.get("/"), article).comments
        answering = {c.pk: c.reply_to.author.name for c in shown if c.reply_to_id}

    assert answering[answer.pk] == chain[-1].author.name


def test_a_reply_naming_a_comment_on_another_article_is_refused(client, article, reader):
    elsewhere = make_comment(make_article())
    client.force_login(reader)

    response = client.post(post_url(article), {"body": "Nyasar", "reply_to": elsewhere.pk})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert not article.comments.exists()
    assert Comment.objects.count() == 1
    assert reload(article).comment_count == 0


def test_a_reply_naming_no_comment_at_all_is_refused(client, article, reader):
    client.force_login(reader)

    response = client.post(post_url(article), {"body": "Ke siapa?", "reply_to": "abc"})

    assert response.status_code == 400
    assert not article.comments.exists()


def test_a_reply_to_a_deleted_comment_is_refused(client, article, reader, neighbour):
    gone = make_comment(article, author=neighbour)
    delete_comment(gone, by=neighbour)
    client.force_login(reader)

    response = client.post(post_url(article), {"body": "Terlambat", "reply_to": gone.pk})

    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert article.comments.count() == 1


# What was typed, as it shows


def test_markup_typed_in_a_comment_shows_as_typed(client, article, reader):
    client.force_login(reader)
    client.post(post_url(article), {"body": "<b>tebal</b> <script>alert(1)</script>"})

    html = client.get(article.get_absolute_url()).content.decode()

    assert "&lt;b&gt;tebal&lt;/b&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<b>tebal</b>" not in html
    assert "<script>alert(1)" not in html


def test_a_url_in_a_comment_becomes_a_nofollow_ugc_link(client, article, reader):
    client.force_login(reader)
    client.post(post_url(article), {"body": "Sumbernya https://contoh.id/berita ya"})

    html = client.get(article.get_absolute_url()).content.decode()

    assert (
        '<a href="https://contoh.id/berita" rel="nofollow ugc noopener">'
        "https://contoh.id/berita</a>"
    ) in html


def test_a_comment_over_the_limit_is_refused_with_a_message_and_the_text_kept(
    client, article, reader
):
    too_long = "panjang " * (MAX_LENGTH // 8) + "x"
    assert len(too_long) == MAX_LENGTH + 1
    client.force_login(reader)

    response = client.post(post_url(article), {"body": too_long})

    assert response.status_code == 400
    errors = response.context["form"].errors["body"]
    assert errors
    html = response.content.decode()
    assert escape(errors[0]) in html
    assert 'aria-invalid="true"' in html
    assert f">{too_long}</textarea>" in html
    assert not article.comments.exists()
    assert reload(article).comment_count == 0


def test_a_comment_of_exactly_the_limit_is_posted(client, article, reader):
    client.force_login(reader)

    response = client.post(post_url(article), {"body": "a" * MAX_LENGTH})

    assert response.status_code == 302
    assert len(article.comments.get().body) == MAX_LENGTH


@pytest.mark.parametrize("body", ["", "   \n\t  "])
def test_a_blank_comment_is_refused_with_a_message(client, article, reader, body):
    client.force_login(reader)

    response = client.post(post_url(article), {"body": body})

    assert response.status_code == 400
    errors = response.context["form"].errors["body"]
    assert escape(errors[0]) in response.content.decode()
    assert not article.comments.exists()


# Removed comments on the page


def test_a_deleted_comment_with_a_reply_leaves_a_placeholder_above_the_reply(
    client, article, reader
):
    top, reply = make_chain(article, length=2)
    delete_comment(top, by=top.author)

    response = client.get(article.get_absolute_url())

    assert shown_comment_ids(response) == [top.pk, reply.pk]
    assert placeholder_ids(response) == [top.pk]
    assert top.body not in response.content.decode()
    assert reply.body in response.content.decode()


def test_a_hidden_comment_with_a_reply_leaves_a_placeholder_the_author_can_show_again(
    client, article, writer
):
    top, reply = make_chain(article, length=2)
    hide_comment_as_author(top, by=writer)
    client.force_login(writer)

    response = client.get(article.get_absolute_url())

    assert placeholder_ids(response) == [top.pk]
    assert reverse("comments:unhide", args=[top.pk]) in comment_html(response, top)
    assert reply.body in comment_html(response, reply)


def test_a_removed_comment_without_replies_is_gone_from_the_page(client, article, writer):
    kept = make_comment(article)
    deleted = make_comment(article)
    hidden_top, hidden_reply = make_chain(article, length=2)
    delete_comment(deleted, by=deleted.author)
    hide_comment_as_author(hidden_reply, by=writer)
    hide_comment_as_author(hidden_top, by=writer)

    response = client.get(article.get_absolute_url())

    assert shown_comment_ids(response) == [kept.pk]
    assert placeholder_ids(response) == []
    for gone in (deleted, hidden_top, hidden_reply):
        assert gone.anchor not in response.content.decode()


def test_a_thread_removed_entirely_no_longer_takes_a_place_on_the_pages(client, article):
    threads = [make_comment(article) for _ in range(THREADS_PER_PAGE + 1)]
    assert client.get(article.get_absolute_url(), {"komentar": 2}).status_code == 200

    delete_comment(threads[0], by=threads[0].author)

    assert client.get(article.get_absolute_url(), {"komentar": 2}).status_code == 404
    response = client.get(article.get_absolute_url())
    assert shown_comment_ids(response) == [c.pk for c in reversed(threads[1:])]


# Counts


def shown_count(response) -> int:
    pattern = r'class="comment-count" data-comment-count>\((\d+) '
    return int(re.search(pattern, response.content.decode())[1])


def test_the_article_page_count_follows_posting_removing_and_restoring(
    client, article, writer, reader
):
    make_comment(article)
    client.force_login(reader)
    client.post(post_url(article), {"body": "Punya pembaca"})
    mine = Comment.objects.get(author=reader)
    assert shown_count(client.get(article.get_absolute_url())) == 2

    client.post(reverse("comments:delete", args=[mine.pk]))
    assert shown_count(client.get(article.get_absolute_url())) == 1

    other = Comment.objects.exclude(pk=mine.pk).get()
    client.force_login(writer)
    client.post(reverse("comments:hide", args=[other.pk]))
    assert reload(article).comment_count == 0
    client.post(reverse("comments:hide", args=[other.pk]))
    assert reload(article).comment_count == 0
    client.post(reverse("comments:unhide", args=[other.pk]))
    assert shown_count(client.get(article.get_absolute_url())) == 1
    assert Comment.objects.count() == 2


# The home page: a full page of cards, with or without comments.
# Six queries: the count of published articles, the page of cards, the
# headline, the editor's picks, the most viewed, and the header's topics.
# comment_count is a column of the article, so cards add nothing.
HOME_PAGE_QUERIES = 6


def card_counts(response) -> list[int]:
    """The comment count each card shows: the last number of its meta line."""
    return [int(n) for n in re.findall(r"·\s*(\d+) [^<·]+?\s*</p>", response.content.decode())]


def test_list_cards_show_comment_counts_without_extra_queries(
    client, django_assert_max_num_queries
):
    articles = [make_article() for _ in range(12)]
    with CaptureQueriesContext(connection) as without_comments:
        client.get("/")

    for article in articles[:10]:
        for _ in range(3):
            make_comment(article)
    with django_assert_max_num_queries(HOME_PAGE_QUERIES):
        response = client.get("/")
    with CaptureQueriesContext(connection) as with_comments:
        client.get("/")

    assert len(without_comments) == len(with_comments) == HOME_PAGE_QUERIES
    assert sorted(card_counts(response)) == [0, 0] + [3] * 10


# Flood and duplicate control


def test_a_second_comment_within_the_flood_window_answers_429(client, article, reader):
    client.force_login(reader)
    assert client.post(post_url(article), {"body": "Pertama"}).status_code == 302

    response = client.post(post_url(article), {"body": "Kedua"})

    assert response.status_code == 429
    message = indonesian(
        "You are commenting too fast. Please wait %(seconds)s seconds and try again."
    ) % {"seconds": FLOOD_SECONDS}
    assert message in response.context["form"].non_field_errors()
    assert escape(message) in response.content.decode()
    assert ">Kedua</textarea>" in response.content.decode()
    assert list(article.comments.values_list("body", flat=True)) == ["Pertama"]
    assert reload(article).comment_count == 1


def test_the_same_comment_again_after_the_flood_window_answers_429_already_posted(
    client, article, reader
):
    client.force_login(reader)
    client.post(post_url(article), {"body": "Sama saja"})
    cache.delete(f"comment:flood:{reader.pk}")

    response = client.post(post_url(article), {"body": "Sama saja"})

    assert response.status_code == 429
    message = indonesian("You already posted this comment here a moment ago.")
    assert escape(message) in response.content.decode()
    assert article.comments.count() == 1


def test_staff_are_never_rate_limited(client, article, staff):
    client.force_login(staff)

    statuses = [client.post(post_url(article), {"body": "Info redaksi"}).status_code for _ in "ab"]

    assert statuses == [302, 302]
    assert article.comments.count() == 2


# Who may do what


def test_an_anonymous_post_is_sent_to_sign_in_and_stores_nothing(client, article):
    response = client.post(post_url(article), {"body": "Siapa saya?"})

    assert response.status_code == 302
    assert response.url == login_url_for(post_url(article))
    assert not Comment.objects.exists()


@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("comments:reply", "get"),
        ("comments:edit", "get"),
        ("comments:edit", "post"),
        ("comments:delete", "get"),
        ("comments:delete", "post"),
        ("comments:hide", "post"),
        ("comments:unhide", "post"),
    ],
)
def test_every_write_view_sends_anonymous_readers_to_sign_in(client, article, name, method):
    comment = make_comment(article, body="Tetap")
    url = reverse(name, args=[comment.pk])

    response = getattr(client, method)(url, {"body": "Diubah orang"} if method == "post" else {})

    assert response.status_code == 302
    assert response.url == login_url_for(url)
    comment.refresh_from_db()
    assert (comment.body, comment.status) == ("Tetap", CommentStatus.VISIBLE)


@pytest.mark.parametrize("name", ["comments:post", "comments:unhide"])
def test_posting_and_showing_again_answer_405_to_get(client, article, writer, name):
    comment = make_comment(article)
    client.force_login(writer)
    key = article.pk if name == "comments:post" else comment.pk

    response = client.get(reverse(name, args=[key]))

    assert response.status_code == 405
    assert reload(comment).status == CommentStatus.VISIBLE
    assert article.comments.count() == 1


def test_the_writer_edits_their_comment_and_it_shows_as_edited(client, article, reader):
    comment = make_comment(article, author=reader, body="Versi pertama")
    client.force_login(reader)
    assert client.get(reverse("comments:edit", args=[comment.pk])).status_code == 200

    response = client.post(reverse("comments:edit", args=[comment.pk]), {"body": "Versi kedua"})

    assert response.status_code == 302
    assert response.url == f"{article.get_absolute_url()}#{comment.anchor}"
    comment.refresh_from_db()
    assert comment.body == "Versi kedua"
    assert comment.edited_at is not None
    page = client.get(article.get_absolute_url())
    assert 'class="edited"' in comment_html(page, comment)


def test_a_comment_not_edited_does_not_show_as_edited(client, article):
    comment = make_comment(article)

    page = client.get(article.get_absolute_url())

    assert 'class="edited"' not in comment_html(page, comment)


@pytest.mark.parametrize("method", ["get", "post"])
def test_nobody_else_can_edit_a_comment(client, article, reader, writer, staff, method):
    comment = make_comment(article, author=reader, body="Punyaku")
    for other in (writer, staff):
        client.force_login(other)

        response = getattr(client, method)(
            reverse("comments:edit", args=[comment.pk]), {"body": "Punyamu"}
        )

        assert response.status_code == 403
        comment.refresh_from_db()
        assert comment.body == "Punyaku"
        assert comment.edited_at is None


def test_the_writer_deletes_their_comment_and_the_row_stays(client, article, reader):
    comment = make_comment(article, author=reader)
    client.force_login(reader)
    assert client.get(reverse("comments:delete", args=[comment.pk])).status_code == 200

    response = client.post(reverse("comments:delete", args=[comment.pk]))

    assert response.status_code == 302
    assert response.url == f"{article.get_absolute_url()}#komentar"
    assert reload(comment).status == CommentStatus.DELETED
    assert Comment.objects.count() == 1
    assert reload(article).comment_count == 0


@pytest.mark.parametrize("method", ["get", "post"])
def test_nobody_else_can_delete_a_comment(client, article, reader, writer, method):
    comment = make_comment(article, author=reader)
    client.force_login(writer)

    response = getattr(client, method)(reverse("comments:delete", args=[comment.pk]))

    assert response.status_code == 403
    assert reload(comment).status == CommentStatus.VISIBLE
    assert reload(article).comment_count == 1


def test_the_article_author_hides_a_comment_and_shows_it_again(client, article, writer):
    comment = make_comment(article)
    client.force_login(writer)

    response = client.post(reverse("comments:hide", args=[comment.pk]))

    assert response.status_code == 302
    assert response.url == f"{article.get_absolute_url()}#{comment.anchor}"
    assert reload(comment).status == CommentStatus.HIDDEN_BY_AUTHOR
    assert reload(article).comment_count == 0

    response = client.post(reverse("comments:unhide", args=[comment.pk]))

    assert response.status_code == 302
    assert reload(comment).status == CommentStatus.VISIBLE
    assert reload(article).comment_count == 1


def test_staff_can_hide_a_comment(client, article, staff):
    comment = make_comment(article)
    client.force_login(staff)

    assert client.post(reverse("comments:hide", args=[comment.pk])).status_code == 302

    assert reload(comment).status == CommentStatus.HIDDEN_BY_AUTHOR


def test_other_readers_cannot_hide_or_show_again(client, article, writer, reader, neighbour):
    comment = make_comment(article, author=neighbour)
    hidden = make_comment(article)
    hide_comment_as_author(hidden, by=writer)
    # Another reader, and the comment's own writer: neither wrote the article.
    for person in (reader, neighbour):
        client.force_login(person)

        assert client.post(reverse("comments:hide", args=[comment.pk])).status_code == 403
        assert client.post(reverse("comments:unhide", args=[hidden.pk])).status_code == 403

    assert reload(comment).status == CommentStatus.VISIBLE
    assert reload(hidden).status == CommentStatus.HIDDEN_BY_AUTHOR
    assert reload(article).comment_count == 1


def test_only_the_article_author_and_staff_see_the_hide_button(client, article, writer, reader):
    comment = make_comment(article)
    hide_url = reverse("comments:hide", args=[comment.pk])

    client.force_login(reader)
    assert hide_url not in client.get(article.get_absolute_url()).content.decode()
    client.force_login(writer)
    assert hide_url in client.get(article.get_absolute_url()).content.decode()


# The section rendered once for every signed-in reader (comments/templatetags)


@pytest.fixture
def fragments_on(settings):
    settings.FRAGMENT_CACHE = True


def actions_of(response, comment) -> str:
    html = comment_html(response, comment)
    return html[html.index('class="comment-actions"') :]


def test_a_signed_in_reader_gets_the_shared_section_with_their_own_working_csrf_token(
    fragments_on, article, reader, neighbour
):
    comment = make_comment(article, author=neighbour)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(make_user())
    first.get(article.get_absolute_url())  # the shared section is now cached
    second.force_login(reader)

    page = second.get(article.get_absolute_url())

    actions = actions_of(page, comment)
    assert reverse("comments:reply", args=[comment.pk]) in actions
    assert reverse("moderation:report_comment", args=[comment.pk]) in actions
    assert reverse("comments:edit", args=[comment.pk]) not in actions
    assert "__comment-section-csrf-token__" not in page.content.decode()
    token = re.search(
        r'data-comment-form>\s*<input type="hidden" name="csrfmiddlewaretoken" value="([^"]+)"',
        page.content.decode(),
    ).group(1)
    posted = second.post(
        post_url(article), {"body": "Lewat bagian bersama", "csrfmiddlewaretoken": token}
    )
    assert posted.status_code == 302
    assert Comment.objects.filter(author=reader, body="Lewat bagian bersama").exists()


def test_a_commenter_gets_edit_and_delete_on_their_comment_after_the_shared_section_is_cached(
    client, fragments_on, article, reader, neighbour
):
    own = make_comment(article, author=reader)
    other = make_comment(article, author=neighbour)
    client.force_login(make_user())
    client.get(article.get_absolute_url())
    client.force_login(reader)

    page = client.get(article.get_absolute_url())

    assert reverse("comments:edit", args=[own.pk]) in actions_of(page, own)
    assert reverse("comments:delete", args=[own.pk]) in actions_of(page, own)
    assert reverse("moderation:report_comment", args=[own.pk]) not in actions_of(page, own)
    assert reverse("moderation:report_comment", args=[other.pk]) in actions_of(page, other)


def test_one_render_of_the_section_serves_signed_out_and_signed_in_readers(
    client, fragments_on, article, reader, neighbour
):
    comment = make_comment(article, author=neighbour)
    signed_out = client.get(article.get_absolute_url())
    client.force_login(reader)

    signed_in = client.get(article.get_absolute_url())

    assert "comments/thread.html" in [t.name for t in signed_out.templates]
    assert "comments/thread.html" not in [t.name for t in signed_in.templates]
    assert reverse("comments:reply", args=[comment.pk]) in actions_of(signed_in, comment)
    assert reverse("comments:reply", args=[comment.pk]) not in actions_of(signed_out, comment)
    assert "Masuk untuk membalas" in actions_of(signed_out, comment)
    assert "Masuk untuk membalas" not in actions_of(signed_in, comment)
    assert "data-comment-form" in signed_in.content.decode()
    assert "data-comment-form" not in signed_out.content.decode()
    assert "kw-in-" not in signed_out.content.decode() + signed_in.content.decode()


@pytest.mark.parametrize("who", ["writer", "staff"])
def test_the_article_author_and_staff_get_hide_buttons_after_the_shared_section_is_cached(
    client, fragments_on, article, writer, staff, who
):
    comment = make_comment(article)
    client.force_login(make_user())
    shared = client.get(article.get_absolute_url())
    client.force_login({"writer": writer, "staff": staff}[who])

    page = client.get(article.get_absolute_url())

    hide_url = reverse("comments:hide", args=[comment.pk])
    assert hide_url not in shared.content.decode()
    assert hide_url in actions_of(page, comment)


@pytest.mark.parametrize("status", [Article.Status.DRAFT, Article.Status.HIDDEN])
def test_comments_on_an_unpublished_article_answer_404(client, writer, reader, status):
    article = make_article(author=writer)
    comment = make_comment(article, author=reader)
    Article.objects.filter(pk=article.pk).update(status=status)
    client.force_login(reader)

    responses = [
        client.post(post_url(article), {"body": "Masih bisa?"}),
        client.post(post_url(article), {"body": "Balas", "reply_to": comment.pk}),
        client.get(reverse("comments:reply", args=[comment.pk])),
        client.get(reverse("comments:permalink", args=[comment.pk])),
        client.post(reverse("comments:edit", args=[comment.pk]), {"body": "Diubah"}),
    ]

    assert [response.status_code for response in responses] == [404] * len(responses)
    assert article.comments.count() == 1
    assert reload(comment).body != "Diubah"


def test_a_comment_that_does_not_exist_answers_404(client, reader):
    client.force_login(reader)

    assert client.get(reverse("comments:permalink", args=[999])).status_code == 404
    assert client.get(reverse("comments:edit", args=[999])).status_code == 404


# The JavaScript path: fragments swapped in place


def test_a_fetched_post_answers_201_with_the_comment_fragment(client, article, reader):
    client.force_login(reader)

    response = client.post(post_url(article), {"body": "Lewat skrip"}, headers=FETCH)

    assert response.status_code == 201
    html = response.content.decode()
    assert html.startswith('<article class="comment')
    assert "<html" not in html
    comment = article.comments.get()
    assert f'id="{comment.anchor}"' in html
    assert "Lewat skrip" in html
    # The heading's count comes along, so the page need not be reloaded to show it.
    assert '<span class="comment-count" data-comment-count>(1 komentar)</span>' in html


def test_a_fetched_invalid_post_answers_400_with_the_form_fragment(client, article, reader):
    client.force_login(reader)

    response = client.post(post_url(article), {"body": "  "}, headers=FETCH)

    assert response.status_code == 400
    html = response.content.decode()
    assert html.lstrip().startswith("<form")
    assert "<html" not in html
    assert 'aria-invalid="true"' in html
    assert not article.comments.exists()


def test_a_fetched_rate_limited_post_answers_429_with_the_form_fragment(client, article, reader):
    client.force_login(reader)
    client.post(post_url(article), {"body": "Satu"}, headers=FETCH)

    response = client.post(post_url(article), {"body": "Dua"}, headers=FETCH)

    assert response.status_code == 429
    assert "<form" in response.content.decode()
    assert "<html" not in response.content.decode()
    assert article.comments.count() == 1


def test_the_fetched_reply_page_is_the_form_alone(client, article, reader):
    comment = make_comment(article)
    client.force_login(reader)

    fetched = client.get(reverse("comments:reply", args=[comment.pk]), headers=FETCH)
    full = client.get(reverse("comments:reply", args=[comment.pk]))

    assert fetched.status_code == 200
    html = fetched.content.decode()
    assert "<form" in html
    assert "<html" not in html
    assert f'name="reply_to" value="{comment.pk}"' in html
    assert "<html" in full.content.decode()
    assert f'name="reply_to" value="{comment.pk}"' in full.content.decode()


def test_a_fetched_edit_answers_201_with_the_edited_comment(client, article, reader):
    comment = make_comment(article, author=reader, body="Lama")
    client.force_login(reader)

    response = client.post(
        reverse("comments:edit", args=[comment.pk]), {"body": "Baru"}, headers=FETCH
    )

    assert response.status_code == 201
    html = response.content.decode()
    assert html.startswith(f'<article class="comment depth-0" id="{comment.anchor}"')
    assert 'class="edited"' in html
    assert reload(comment).body == "Baru"


# Permalinks


def test_a_permalink_goes_to_the_comment_on_the_article_page(client, article):
    comment = make_comment(article)

    response = client.get(reverse("comments:permalink", args=[comment.pk]))

    assert response.status_code == 302
    assert response.url == f"{article.get_absolute_url()}#{comment.anchor}"


def test_the_oldest_of_25_threads_is_linked_on_the_second_page(client, article):
    threads = [make_comment(article) for _ in range(THREADS_PER_PAGE + 5)]
    reply = make_comment(article, reply_to=threads[0])

    oldest = client.get(reverse("comments:permalink", args=[threads[0].pk]))
    newest = client.get(reverse("comments:permalink", args=[threads[-1].pk]))
    to_reply = client.get(reverse("comments:permalink", args=[reply.pk]))

    assert oldest.url == f"{article.get_absolute_url()}?komentar=2#{threads[0].anchor}"
    assert newest.url == f"{article.get_absolute_url()}#{threads[-1].anchor}"
    assert to_reply.url == f"{article.get_absolute_url()}?komentar=2#{reply.anchor}"
    second_page = client.get(to_reply.url)
    assert reply.pk in shown_comment_ids(second_page)
    assert threads[0].pk in shown_comment_ids(second_page)


def test_a_posted_reply_lands_on_its_threads_page(client, article, reader):
    threads = [make_comment(article) for _ in range(THREADS_PER_PAGE + 1)]
    client.force_login(reader)

    response = client.post(post_url(article), {"body": "Balasan", "reply_to": threads[0].pk})

    reply = Comment.objects.get(author=reader)
    assert response.url == f"{article.get_absolute_url()}?komentar=2#{reply.anchor}"


# Cost: the article page runs the same queries whatever the number of comments

# Signed out: the article (with its author and topic), its author as the page
# shows them (read under their own generation), its tags, its corrections
# (Ralat), the header's
# topics, the related articles, the ratings per label (one GROUP BY); and for
# the comment section the count of
# threads shown, the page of top-level comments (with their writers and the
# writer each answers) and every reply of those threads in path order (same
# joins). An article without comments skips those last two: there is no page
# of threads to read. Federation's fediverse:creator adds one (the author's
# fediverse choice; tests/articles/test_views.py), and its likes and boosts one
# (one GROUP BY; tests/federation/test_reactions.py).
ARTICLE_PAGE_QUERIES = 12
# Signed in adds the user (the session comes from the cache), whether the
# reader follows the article's author, whether they saved the article (Bacaan
# Saya), and the bell's unread count.
ARTICLE_PAGE_QUERIES_SIGNED_IN = 16
EMPTY_THREAD_SAVES = 2


def article_with_comments(article, total: int):
    if total:
        writers = [make_user() for _ in range(6)]
        bulk_comments(article, total=total, writers=writers)
    return article


@pytest.mark.parametrize("total", [0, 50, 500])
@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
def test_the_article_page_query_count_does_not_grow_with_comments(
    client, article, reader, django_assert_max_num_queries, total, signed_in
):
    article_with_comments(article, total)
    expected = ARTICLE_PAGE_QUERIES_SIGNED_IN if signed_in else ARTICLE_PAGE_QUERIES
    if signed_in:
        client.force_login(reader)

    with django_assert_max_num_queries(expected):
        response = client.get(article.get_absolute_url())

    assert response.status_code == 200
    if total:
        assert len(shown_comment_ids(response)) > THREADS_PER_PAGE
        assert placeholder_ids(response)
        assert 'class="replying-to"' in response.content.decode()


@pytest.mark.parametrize("signed_in", [False, True], ids=["signed-out", "signed-in"])
def test_the_article_page_runs_the_same_queries_for_50_or_500_comments_and_two_fewer_for_none(
    client, writer, reader, signed_in
):
    if signed_in:
        client.force_login(reader)
    counts = {}
    for total in (0, 50, 500):
        article = article_with_comments(make_article(author=writer), total)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(article.get_absolute_url()).status_code == 200
        counts[total] = len(queries)

    pinned = ARTICLE_PAGE_QUERIES_SIGNED_IN if signed_in else ARTICLE_PAGE_QUERIES
    assert counts == {0: pinned - EMPTY_THREAD_SAVES, 50: pinned, 500: pinned}


@pytest.mark.parametrize("page", ["abc", "99", "0"])
def test_a_page_of_threads_that_does_not_exist_answers_404(client, article, page):
    make_comment(article)

    assert client.get(article.get_absolute_url(), {"komentar": page}).status_code == 404


# The empty state


def test_an_article_without_comments_invites_the_first_one_and_a_sign_in(client, article):
    response = client.get(article.get_absolute_url())

    html = response.content.decode()
    assert "data-comment-empty" in html
    link = re.search(r'class="sign-in-to-comment"><a href="([^"]+)"', html)[1]
    path, query = urlsplit(link.replace("&amp;", "&"))[2:4]
    assert path == reverse("account_login")
    assert parse_qs(query)["next"] == [f"{article.get_absolute_url()}#komentar"]


def test_a_signed_in_reader_gets_the_form_instead_of_the_sign_in_link(client, article, reader):
    client.force_login(reader)

    html = client.get(article.get_absolute_url()).content.decode()

    assert "data-comment-empty" in html
    assert "sign-in-to-comment" not in html
    assert f'action="{post_url(article)}"' in html


def test_the_empty_message_goes_once_there_is_a_comment(client, article):
    make_comment(article)

    assert "data-comment-empty" not in client.get(article.get_absolute_url()).content.decode()


def test_the_links_to_other_pages_keep_the_chosen_order(client, article):
    for _ in range(THREADS_PER_PAGE + 1):
        make_comment(article)

    html = client.get(article.get_absolute_url(), {"urutan": "terlama"}).content.decode()

    assert 'href="?urutan=terlama&amp;komentar=2#komentar"' in html
