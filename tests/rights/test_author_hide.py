"""The article author's hide of a comment (#17 item 7): confirmation, reason,
placeholder with "show again", the commenter told, and contesting it."""

import pytest
from django.urls import reverse

from comments.models import CommentStatus
from comments.services import hide_comment_as_author
from moderation.models import Reason, Report
from notifications.models import Notification
from tests.comments.builders import comment_html, make_comment, placeholder_ids
from tests.factories import make_user


@pytest.fixture
def commenter(db):
    return make_user(username="komentator", display_name="Komentator Kritis")


@pytest.fixture
def comment(article, commenter):
    return make_comment(article, author=commenter, body="Data banjirnya keliru, Pak.")


def test_hiding_asks_for_confirmation_first(client, writer, comment):
    client.force_login(writer)

    response = client.get(reverse("comments:hide", args=[comment.pk]))

    assert response.status_code == 200
    assert "Sembunyikan komentar ini?" in response.content.decode()
    assert 'name="reason"' in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE


def test_the_author_hides_with_a_reason_and_the_commenter_is_told_it(
    client, writer, comment, commenter
):
    client.force_login(writer)

    response = client.post(
        reverse("comments:hide", args=[comment.pk]), {"reason": "  Menyerang   pribadi. "}
    )

    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN_BY_AUTHOR
    assert comment.hidden_reason == "Menyerang pribadi."
    notice = Notification.objects.get(recipient=commenter, kind="comment_hidden")
    assert notice.comment_id == comment.pk
    client.force_login(commenter)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "menyembunyikan komentar Anda" in page
    assert "Menyerang pribadi." in page
    assert notice.target_url == reverse("comments:hidden_notice", args=[comment.pk])


def test_a_too_long_reason_is_refused_and_changes_nothing(client, writer, comment, commenter):
    client.force_login(writer)

    response = client.post(reverse("comments:hide", args=[comment.pk]), {"reason": "x" * 501})

    assert response.status_code == 400
    assert "paling banyak 500 karakter" in response.content.decode()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE
    assert not Notification.objects.filter(recipient=commenter, kind="comment_hidden").exists()


def test_only_the_article_author_may_hide(client, comment, commenter, other_user):
    client.force_login(other_user)
    assert client.get(reverse("comments:hide", args=[comment.pk])).status_code == 403
    assert client.post(reverse("comments:hide", args=[comment.pk])).status_code == 403
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE


@pytest.mark.parametrize("caches", [False, True])
def test_a_hidden_comment_without_replies_stays_for_the_author_with_show_again(
    client, settings, article, writer, comment, other_user, caches
):
    settings.PAGE_CACHE = settings.FRAGMENT_CACHE = caches
    client.get(article.get_absolute_url())  # warm the shared versions
    hide_comment_as_author(comment, by=writer, reason="Di luar topik.")

    client.force_login(writer)
    response = client.get(article.get_absolute_url())
    assert placeholder_ids(response) == [comment.pk]
    html = comment_html(response, comment)
    assert reverse("comments:unhide", args=[comment.pk]) in html
    assert "Di luar topik." in html
    assert comment.body not in html

    for reader in (None, other_user):
        client.logout()
        if reader:
            client.force_login(reader)
        page = client.get(article.get_absolute_url())
        assert comment.anchor not in page.content.decode()


def test_showing_again_brings_it_back_and_withdraws_the_notice(client, writer, comment, commenter):
    hide_comment_as_author(comment, by=writer, reason="Salah paham.")
    client.force_login(writer)

    response = client.post(reverse("comments:unhide", args=[comment.pk]))

    assert response.status_code == 302
    comment.refresh_from_db()
    assert (comment.status, comment.hidden_reason) == (CommentStatus.VISIBLE, "")
    assert not Notification.objects.filter(recipient=commenter, kind="comment_hidden").exists()


def test_hiding_ones_own_comment_tells_nobody(article, writer):
    own = make_comment(article, author=writer)

    hide_comment_as_author(own, by=writer)

    assert not Notification.objects.filter(kind="comment_hidden").exists()


def test_the_commenter_sees_the_reason_and_the_way_to_contest(
    client, writer, comment, commenter, other_user
):
    hide_comment_as_author(comment, by=writer, reason="Menyerang pribadi.")
    url = reverse("comments:hidden_notice", args=[comment.pk])

    client.force_login(commenter)
    page = client.get(url).content.decode()
    assert "Menyerang pribadi." in page
    assert reverse("rights:contest_hide", args=[comment.pk]) in page

    client.force_login(other_user)
    assert client.get(url).status_code == 403


def test_the_commenter_reports_abuse_of_the_hide_to_the_moderators(
    client, article, writer, comment, commenter
):
    hide_comment_as_author(comment, by=writer, reason="Tidak suka.")
    client.force_login(commenter)
    url = reverse("rights:contest_hide", args=[comment.pk])

    assert client.post(url, {"details": ""}).status_code == 400
    assert not Report.objects.exists()
    response = client.post(url, {"details": "Kritik saya sopan dan berdasar data BMKG."})

    assert response.status_code == 302
    report = Report.objects.get()
    assert (report.account, report.reporter, report.reason) == (writer, commenter, Reason.OTHER)
    assert f"#{comment.pk}" in report.details
    assert "Tidak suka." in report.details
    assert report.details.endswith("Kritik saya sopan dan berdasar data BMKG.")
    # Once is enough: a second attempt is told it is already reported.
    client.post(url, {"details": "Lagi."})
    assert Report.objects.count() == 1


def test_only_a_hidden_comments_own_writer_can_contest(client, writer, comment, other_user):
    client.force_login(comment.author)
    assert client.get(reverse("rights:contest_hide", args=[comment.pk])).status_code == 404
    hide_comment_as_author(comment, by=writer)
    client.force_login(other_user)
    assert (
        client.post(
            reverse("rights:contest_hide", args=[comment.pk]), {"details": "Bukan milik saya."}
        ).status_code
        == 403
    )
    assert not Report.objects.exists()
