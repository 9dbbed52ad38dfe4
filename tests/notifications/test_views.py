"""The bell, the notifications page, marking read and the email settings."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from accounts.services import follow_author
from articles.models import Article
from articles.services import publish_article
from moderation import services as moderation
from moderation.models import Reason
from notifications.models import EmailPreference, Notification
from notifications.views import NOTIFICATIONS_PER_PAGE
from tests.comments.builders import make_comment
from tests.factories import BROWSER, make_article, make_user
from tests.moderation.builders import make_moderator, report

LIST = reverse("notifications:list")


@pytest.fixture
def signed_in(client, writer):
    client.force_login(writer)
    return client


def every_kind(writer, article):
    """One notification of each kind for the writer, from different people."""
    other = make_user(display_name="Penulis Lain")
    follow_author(writer, author=other)
    follow_author(make_user(display_name="Pengikut Baru"), author=writer)
    publish_article(
        make_article(author=other, status=Article.Status.DRAFT, published_at=None), by=other
    )
    top = make_comment(article, author=writer)
    make_comment(article, author=make_user(display_name="Pembalas"), reply_to=top)
    make_comment(article, author=make_user(display_name="Komentator"))
    reported = report(make_article(author=other), reporter=writer, reason=Reason.HOAX)
    moderation.dismiss_reports(
        reported.case, moderator=make_moderator(), public_reason="Tidak melanggar aturan."
    )
    own = report(article, reporter=make_user(), reason=Reason.HOAX)
    moderation.warn_account(
        own.case, moderator=make_moderator(), rule=Reason.HOAX, public_reason="Periksa fakta."
    )


def bell(response) -> str:
    match = re.search(r'<a class="bell[^"]*"[^>]*>.*?</a>', response.content.decode())
    assert match, "no bell on the page"
    return match.group(0)


def test_the_page_lists_every_kind_newest_first(signed_in, writer, article):
    every_kind(writer, article)

    response = signed_in.get(LIST)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("data-notification=") == 6
    for text in ["Pengikut Baru", "Penulis Lain", "Pembalas", "Komentator", "Banjir di kampung"]:
        assert text in html
    ids = [int(pk) for pk in re.findall(r'data-notification="(\d+)"', html)]
    assert ids == sorted(ids, reverse=True)


def test_the_page_runs_five_queries_however_many_notifications(
    signed_in, writer, article, django_assert_num_queries
):
    for _ in range(4):
        every_kind(writer, article)
    assert Notification.objects.filter(recipient=writer).count() > NOTIFICATIONS_PER_PAGE

    # Session user + bell count + page count + the page (actor, article,
    # comment, report, moderation action with its case joined) + header topics.
    with django_assert_num_queries(5):
        response = signed_in.get(LIST)

    assert response.content.decode().count("data-notification=") == NOTIFICATIONS_PER_PAGE


def test_the_second_page_and_a_page_that_does_not_exist(signed_in, writer, article):
    for _ in range(5):
        every_kind(writer, article)

    second = signed_in.get(LIST, {"halaman": 2})
    assert second.status_code == 200
    assert second.content.decode().count("data-notification=") == 10
    for bad in ["abc", "99", "0"]:
        response = signed_in.get(LIST, {"halaman": bad})
        assert response.status_code == 404
        assert "Halaman tidak ditemukan" in response.content.decode()


def test_the_page_and_its_actions_need_sign_in(client, writer, article):
    make_comment(article)
    notice = Notification.objects.get()

    assert client.get(LIST).status_code == 302
    assert client.post(reverse("notifications:mark_all_read")).status_code == 302
    assert client.post(reverse("notifications:mark_read", args=[notice.pk])).status_code == 302
    notice.refresh_from_db()
    assert notice.is_unread


def test_marking_one_read(signed_in, writer, article):
    make_comment(article)
    make_comment(article)
    first, second = Notification.objects.order_by("pk")

    response = signed_in.post(reverse("notifications:mark_read", args=[first.pk]), {"halaman": "1"})

    assert response.status_code == 302 and response["Location"] == LIST
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.is_unread and second.is_unread
    assert 'aria-label="Notifikasi: 1 belum dibaca"' in bell(signed_in.get(LIST))


def test_marking_read_keeps_the_page_and_ignores_an_odd_one(signed_in, writer, article):
    make_comment(article)
    notice = Notification.objects.get()
    url = reverse("notifications:mark_read", args=[notice.pk])

    assert signed_in.post(url, {"halaman": "2"})["Location"] == f"{LIST}?halaman=2"
    assert signed_in.post(url, {"halaman": "../x"})["Location"] == LIST


def test_someone_elses_notification_cannot_be_marked(client, writer, reader, article):
    make_comment(article)
    notice = Notification.objects.get()
    client.force_login(reader)

    response = client.post(reverse("notifications:mark_read", args=[notice.pk]), follow=True)

    assert response.status_code == 200
    assert "Notifikasi itu tidak ada." in response.content.decode()
    notice.refresh_from_db()
    assert notice.is_unread


def test_marking_needs_post_and_a_csrf_token(writer, article):
    make_comment(article)
    notice = Notification.objects.get()
    client = Client(enforce_csrf_checks=True)
    client.force_login(writer)

    assert client.get(reverse("notifications:mark_read", args=[notice.pk])).status_code == 405
    assert client.get(reverse("notifications:mark_all_read")).status_code == 405
    assert client.post(reverse("notifications:mark_all_read")).status_code == 403
    notice.refresh_from_db()
    assert notice.is_unread


def test_marking_all_read(signed_in, writer, reader, article):
    for _ in range(3):
        make_comment(article, author=reader)
    mine = make_comment(article, author=reader)
    make_comment(article, author=writer, reply_to=mine)  # the reader's

    response = signed_in.post(reverse("notifications:mark_all_read"), follow=True)

    assert "Semua notifikasi ditandai sudah dibaca." in response.content.decode()
    assert not Notification.objects.filter(recipient=writer, read_at=None).exists()
    assert Notification.objects.filter(recipient=reader, read_at=None).count() == 1


def test_the_bell_shows_the_unread_count_on_every_page(signed_in, writer, article):
    for _ in range(3):
        make_comment(article)

    for url in [
        reverse("articles:home"),
        article.get_absolute_url(),
        writer.get_absolute_url(),
        reverse("accounts:edit_profile"),
        LIST,
    ]:
        response = signed_in.get(url, headers={"user-agent": BROWSER})
        assert response.status_code == 200, url
        shown = bell(response)
        assert 'aria-label="Notifikasi: 3 belum dibaca"' in shown
        assert '<span class="bell-count">3</span>' in shown
        assert f'href="{LIST}"' in shown


def test_the_bell_in_english_and_with_nothing_unread(signed_in, writer):
    response = signed_in.get("/en/")

    shown = bell(response)
    assert 'aria-label="Notifications: 0 unread"' in shown
    assert "bell-count" not in shown
    assert 'href="/en/notifikasi/"' in shown


def test_signed_out_readers_see_no_bell(client, db):
    assert 'class="bell' not in client.get(reverse("articles:home")).content.decode()


def test_the_bell_costs_one_query_whatever_the_count(
    signed_in, writer, article, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def measure():
        with CaptureQueriesContext(connection) as queries:
            signed_in.get(reverse("articles:tag", kwargs={"slug": "tidak-ada"}))
        return [q["sql"] for q in queries]

    empty = measure()
    for _ in range(30):
        make_comment(article)
    full = measure()

    assert len(empty) == len(full)
    [count] = [sql for sql in full if "notifications_notification" in sql]
    assert "COUNT(" in count.upper()


def test_the_email_settings_page_saves_each_switch(signed_in, writer):
    url = reverse("notifications:preferences")
    page = signed_in.get(url)
    assert page.status_code == 200
    assert 'name="email_reply" checked' in page.content.decode().replace(' id="id_email_reply"', "")

    response = signed_in.post(url, {"email_reply": "on", "email_follower": "on"}, follow=True)

    assert "Pengaturan email Anda disimpan." in response.content.decode()
    preference = EmailPreference.objects.get(user=writer)
    assert (preference.email_reply, preference.email_follower) == (True, True)
    assert (preference.email_comment, preference.email_new_article) == (False, False)
    assert preference.email_report_outcome is False


def test_the_email_settings_page_needs_sign_in(client, db):
    assert client.get(reverse("notifications:preferences")).status_code == 302


def test_an_id_out_of_range_gets_a_clear_message_not_an_error(signed_in):
    response = signed_in.post(
        reverse("notifications:mark_read", args=[10**30]), {"halaman": "x"}, follow=True
    )

    assert response.status_code == 200
    assert "Notifikasi itu tidak ada." in response.content.decode()
    assert signed_in.get(LIST, {"halaman": "9" * 30}).status_code == 404


def test_names_titles_and_reports_are_escaped_on_the_page(signed_in, writer, reader):
    hostile = '<img src=x onerror="alert(1)">'
    article = make_article(author=writer, title=f"Judul {hostile}")
    reader.display_name = f"Nama {hostile}"
    reader.save()
    make_comment(article, author=reader)
    made = report(make_article(author=reader, title=hostile), reporter=writer)
    moderation.dismiss_reports(made.case, moderator=make_moderator(), public_reason="Tidak.")

    html = signed_in.get(LIST).content.decode()

    assert hostile not in html
    assert "Nama &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html
    assert html.count("&lt;img src=x") == 3


def test_the_english_page(signed_in, writer, article):
    make_comment(article, author=make_user(display_name="Komentator"))

    response = signed_in.get("/en/notifikasi/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "Komentator commented on your article “Banjir di kampung kami”." in html
    assert "Mark all as read" in html


def test_opening_a_notification_marks_it_read_and_leads_to_it(signed_in, writer, article):
    make_comment(article)
    make_comment(article)
    first, second = Notification.objects.order_by("pk")
    page = signed_in.get(LIST).content.decode()
    assert reverse("notifications:open", args=[first.pk]) in page

    response = signed_in.get(reverse("notifications:open", args=[first.pk]))

    assert response.status_code == 302
    assert response["Location"] == first.target_url
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.is_unread and second.is_unread
    assert 'aria-label="Notifikasi: 1 belum dibaca"' in bell(signed_in.get(LIST))
    # A read one links straight to what it is about.
    assert f'href="{first.target_url}"' in signed_in.get(LIST).content.decode()


def test_opening_someone_elses_notification_is_not_found_and_changes_nothing(
    client, writer, reader, article
):
    make_comment(article)
    notice = Notification.objects.get()
    client.force_login(reader)

    assert client.get(reverse("notifications:open", args=[notice.pk])).status_code == 404
    assert client.head(reverse("notifications:open", args=[notice.pk])).status_code == 404
    notice.refresh_from_db()
    assert notice.is_unread


def test_a_head_request_does_not_mark_a_notification_read(signed_in, writer, article):
    make_comment(article)
    notice = Notification.objects.get()

    assert signed_in.head(reverse("notifications:open", args=[notice.pk])).status_code == 302
    notice.refresh_from_db()
    assert notice.is_unread
