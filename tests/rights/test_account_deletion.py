"""Deleting one's account: password, 14 days' grace cancelled by signing in, then
removal in either mode, with nothing removed reachable anywhere."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from accounts.models import Follow, User
from accounts.services import follow_author
from articles.models import Rating
from articles.services import rate_article
from comments.models import CommentLike, CommentStatus
from comments.services import like_comment
from core import events
from moderation import services as moderation_services
from moderation.models import Reason, Report
from notifications.models import Notification
from readinglist import services as reading_list
from readinglist.models import Bookmark
from rights import services
from rights.models import AccountDeletion
from tests.comments.builders import make_comment
from tests.factories import make_article, make_topic, make_user

PASSWORD = "kata-sandi-uji"
UNIQUE = "Gemericikkalijernih"


@pytest.fixture
def leaver(db):
    return make_user(username="pamit", display_name="Warga Pamit", bio="Bio pribadi saya.")


@pytest.fixture
def setup(leaver, other_user):
    """The leaver wrote an article (with a cover) and comments, rated, followed and
    reported; someone replied to them and reported their article."""
    cover = default_storage.save("covers/pamit.jpg", ContentFile(b"COVER"))
    topic = make_topic("lingkungan-hidup")
    article = make_article(
        author=leaver,
        topic=topic,
        title=f"Sungai {UNIQUE}",
        body=f"<p>Air {UNIQUE}.</p>",
        tags=["sungai"],
        cover=cover,
    )
    theirs = make_article(author=other_user, title="Tulisan tetangga")
    mine = make_comment(theirs, author=leaver, body=f"Komentar {UNIQUE}")
    answer = make_comment(theirs, author=other_user, reply_to=mine, body="Balasan tetangga")
    like_comment(answer, reader=leaver)
    reading_list.save(leaver, theirs)
    rate_article(theirs, user=leaver, label=Rating.Label.values[0])
    follow_author(leaver, author=other_user)
    follow_author(other_user, author=leaver)
    report = moderation_services.report_article(
        article, reporter=other_user, reason=Reason.HOAX, details="Bukti.", enforce_limits=False
    )
    return {
        "article": article,
        "comment": mine,
        "answer": answer,
        "cover": cover,
        "report": report,
    }


def _schedule(user, writing):
    return services.request_deletion(user, password=PASSWORD, writing=writing)


def _carry_out(deletion):
    later = deletion.due_at + timedelta(seconds=1)
    return services.remove_due_accounts(now=later)


def test_the_password_confirms_and_a_wrong_one_changes_nothing(client, leaver):
    client.force_login(leaver)
    url = reverse("rights:delete_account")
    assert client.get(url).status_code == 200

    response = client.post(url, {"writing": "remove", "password": "salah"})
    assert response.status_code == 400
    assert "Kata sandi tidak benar." in response.content.decode()
    assert not AccountDeletion.objects.exists()

    response = client.post(url, {"writing": "keep", "password": PASSWORD})
    assert response.status_code == 302
    deletion = AccountDeletion.objects.get()
    assert (deletion.user, deletion.writing, deletion.status) == (leaver, "keep", "scheduled")
    assert timedelta(days=13, hours=23) < deletion.due_at - timezone.now() <= timedelta(days=14)
    # Signed out here and everywhere.
    assert client.get(reverse("rights:my_data")).status_code == 302


def test_nothing_happens_before_the_grace_period_ends(leaver, setup):
    deletion = _schedule(leaver, "remove")

    assert services.remove_due_accounts(now=deletion.due_at - timedelta(minutes=1)) == 0
    leaver.refresh_from_db()
    assert leaver.username == "pamit"
    # The command does the same at its own time.
    call_command("remove_deleted_accounts", verbosity=0)
    assert AccountDeletion.objects.get().status == "scheduled"


def test_signing_in_within_the_grace_period_cancels(client, leaver):
    EmailAddress.objects.create(user=leaver, email=leaver.email, verified=True, primary=True)
    deletion = _schedule(leaver, "remove")

    response = client.post(reverse("account_login"), {"login": "pamit", "password": PASSWORD})

    assert response.status_code == 302
    deletion.refresh_from_db()
    assert deletion.status == "cancelled"
    assert _carry_out(deletion) == 0


def test_staff_cannot_delete_themselves_from_here(staff_user):
    with pytest.raises(services.DeletionRefused):
        _schedule(staff_user, "remove")


def test_removal_with_writing_removed_leaves_nothing_reachable(
    client, settings, monkeypatch, leaver, other_user, setup, django_capture_on_commit_callbacks
):
    settings.PAGE_CACHE = settings.FRAGMENT_CACHE = True
    article, comment = setup["article"], setup["comment"]
    urls = [
        article.get_absolute_url(),
        reverse("articles:author", args=["pamit"]),
        reverse("articles:author_feed", args=["pamit"]),
    ]
    # Everything is cached first, so stale copies would show.
    for url in urls:
        assert client.get(url).status_code == 200
    assert UNIQUE in client.get(reverse("articles:feed")).content.decode()
    found = client.get(reverse("search:search"), {"q": UNIQUE}).content.decode()
    assert f"/artikel/{article.pk}/" in found
    sitemap = client.get("/sitemap-authors.xml").content.decode()
    assert "/penulis/pamit/" in sitemap
    theirs_url = comment.article.get_absolute_url()
    assert UNIQUE in client.get(theirs_url).content.decode()
    seen = []
    # A listener for this test only (LISTENERS is the process's registry).
    monkeypatch.setattr(
        events, "LISTENERS", [*events.LISTENERS, lambda event, **data: seen.append((event, data))]
    )

    deletion = _schedule(leaver, "remove")
    with django_capture_on_commit_callbacks(execute=True):
        assert _carry_out(deletion) == 1

    for url in urls:
        assert client.get(url).status_code == 404, url
    for url in (reverse("articles:feed"), theirs_url, "/sitemap-articles.xml"):
        assert UNIQUE not in client.get(url).content.decode(), url
    assert "pamit" not in client.get("/sitemap-authors.xml").content.decode()
    search = client.get(reverse("search:search"), {"q": UNIQUE}).content.decode()
    assert f"/artikel/{article.pk}/" not in search
    assert not default_storage.exists(setup["cover"])
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM search_index WHERE search_index MATCH %s", [UNIQUE]
            )
            assert cursor.fetchone()[0] == 0
    comment.refresh_from_db()
    assert (comment.status, comment.body) == (CommentStatus.DELETED, "")
    leaver.refresh_from_db()
    assert (leaver.username, leaver.display_name, leaver.email, leaver.bio) == (
        f"akun-dihapus-{leaver.pk}",
        "Akun dihapus",
        "",
        "",
    )
    assert not leaver.is_active and not leaver.has_usable_password()
    assert not Follow.objects.filter(follower=leaver).exists()
    assert not Follow.objects.filter(author=leaver).exists()
    assert not Notification.objects.filter(recipient=leaver).exists()
    assert not Bookmark.objects.filter(reader=leaver).exists()
    assert not CommentLike.objects.filter(reader=leaver).exists()
    setup["answer"].refresh_from_db()
    assert setup["answer"].like_count == 0  # the like taken back, the count with it
    # Moderation records and their evidence are kept.
    report = Report.objects.get(pk=setup["report"].pk)
    assert report.snapshot_title == f"Sungai {UNIQUE}"
    assert ("account.deleted", {"user_id": leaver.pk, "username": "pamit"}) in seen


def test_removal_keeping_the_writing_signs_it_akun_dihapus(client, leaver, setup):
    article, comment = setup["article"], setup["comment"]

    deletion = _schedule(leaver, "keep")
    assert _carry_out(deletion) == 1

    page = client.get(article.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert UNIQUE in html and "Akun dihapus" in html
    assert "Warga Pamit" not in html and "Bio pribadi saya." not in html
    comment.refresh_from_db()
    assert comment.status == CommentStatus.VISIBLE
    assert "Warga Pamit" not in client.get(comment.article.get_absolute_url()).content.decode()
    assert client.get(reverse("articles:author", args=["pamit"])).status_code == 404
    assert User.objects.filter(username="pamit").count() == 0


def test_the_form_needs_a_choice_for_the_writing(client, leaver):
    client.force_login(leaver)
    response = client.post(reverse("rights:delete_account"), {"password": PASSWORD})
    assert response.status_code == 400
    assert not AccountDeletion.objects.exists()
