"""Data Saya: the export (ZIP of JSON, HTML and images), its signed link,
consent switches with history, and correction requests."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.services import follow_author
from articles.models import Article, ArticleRevision, Rating
from articles.services import rate_article, record_revision
from comments.services import like_comment
from moderation import services as moderation_services
from moderation.models import Reason
from notifications.models import EmailPreference
from readinglist import services as reading_list
from rights import services
from rights.models import ConsentChange, CorrectionRequest, DataExport, PersonalDataAccess
from tests.comments.builders import make_comment
from tests.factories import make_article
from tests.moderation.builders import let_the_reply_wait_pass


def _media(name: str, content: bytes) -> str:
    return default_storage.save(name, ContentFile(content))


@pytest.fixture
def everything(writer, other_user, moderator):
    """The writer has done everything; other people around them have private data."""
    User.objects.filter(pk=writer.pk).update(avatar=_media("avatars/wajah.jpg", b"AVATAR-BYTES"))
    writer.refresh_from_db()
    article = make_article(author=writer, title="Sungai kami bersih lagi", tags=["lingkungan"])
    Article.objects.filter(pk=article.pk).update(cover=_media("covers/sungai.jpg", b"COVER-BYTES"))
    record_revision(article, by=writer, kind=ArticleRevision.Kind.SAVE, throttle=False)
    theirs = make_article(author=other_user, title="Tulisan tetangga")
    make_comment(theirs, author=writer, body="Komentar saya sendiri.")
    make_comment(article, author=other_user, body="RAHASIA komentar tetangga.")
    rate_article(theirs, user=writer, label=Rating.Label.values[0])
    reading_list.save(writer, theirs)
    liked = make_comment(theirs, author=other_user, body="Komentar yang disukai.")
    like_comment(liked, reader=writer)
    follow_author(writer, author=other_user)
    follow_author(other_user, author=writer)
    moderation_services.report_article(
        theirs, reporter=writer, reason=Reason.SPAM, details="Laporan saya.", enforce_limits=False
    )
    report = moderation_services.report_article(
        article,
        reporter=other_user,
        reason=Reason.HOAX,
        details="RAHASIA pelapor.",
        enforce_limits=False,
    )
    let_the_reply_wait_pass(report.case)
    moderation_services.hide_target(
        report.case,
        moderator=moderator,
        rule=Reason.HOAX,
        public_reason="Alasan publik.",
        internal_reason="RAHASIA catatan internal.",
    )
    services.save_consent(
        writer,
        data={
            "email_reply": False,
            "email_comment": True,
            "email_new_article": True,
            "email_follower": True,
            "email_report_outcome": True,
        },
    )
    services.request_correction(writer, what="Tanggal lahir saya salah.")
    services.record_access(subject=writer, staff=moderator, kind=PersonalDataAccess.Kind.ADMIN_VIEW)
    return article


def _build(user, capture):
    with capture(execute=True):
        export = services.request_export(user)
    export.refresh_from_db()
    return export


def _zip(export) -> zipfile.ZipFile:
    from rights.exports import storage

    with storage().open(export.file_name, "rb") as handle:
        return zipfile.ZipFile(io.BytesIO(handle.read()))


def test_the_export_holds_everything_about_the_person_and_nobody_elses_secrets(
    writer, other_user, moderator, everything, django_capture_on_commit_callbacks, mailoutbox
):
    export = _build(writer, django_capture_on_commit_callbacks)

    assert (export.status, export.progress) == (DataExport.Status.READY, 100)
    archive = _zip(export)
    names = archive.namelist()
    assert {"data.json", "index.html"} <= set(names)
    data = json.loads(archive.read("data.json"))
    assert data["profile"]["email"] == writer.email
    assert [a["title"] for a in data["articles"]] == ["Sungai kami bersih lagi"]
    assert data["articles"][0]["tags"] == ["lingkungan"]
    assert len(data["articles"][0]["revisions"]) == 1
    assert [c["body"] for c in data["comments"]] == ["Komentar saya sendiri."]
    assert [r["article"] for r in data["ratings"]] == ["Tulisan tetangga"]
    assert [b["article"] for b in data["reading_list"]] == ["Tulisan tetangga"]
    assert [like["comment"] for like in data["comment_likes"]] == ["Komentar yang disukai."]
    assert data["following"][0]["username"] == other_user.username
    assert data["followers"][0]["username"] == other_user.username
    assert [r["details"] for r in data["reports_made"]] == ["Laporan saya."]
    assert [d["reason"] for d in data["moderation_decisions"]] == ["Alasan publik."]
    assert data["notifications"]
    assert [c["agreed"] for c in data["consent_history"]] == [False]
    assert data["correction_requests"][0]["what"] == "Tanggal lahir saya salah."
    assert len(data["staff_access_log"]) == 1
    # The original images, byte for byte.
    images = {name: archive.read(name) for name in names if name.startswith("images/")}
    assert sorted(images.values()) == [b"AVATAR-BYTES", b"COVER-BYTES"]
    assert data["profile"]["avatar"] in images
    # Nobody else's private data, and no staff member named.
    everything_text = b"".join(archive.read(name) for name in names).decode("utf-8", "ignore")
    for secret in (other_user.email, "RAHASIA", moderator.username, moderator.display_name):
        assert secret not in everything_text
    assert "Sungai kami bersih lagi" in archive.read("index.html").decode()
    # The link is emailed.
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [writer.email]
    assert services.download_url(export).split("/unduh/")[0] in mailoutbox[0].body


def test_data_saya_shows_progress_then_the_signed_link_which_only_the_owner_can_use(
    client, writer, other_user, django_capture_on_commit_callbacks
):
    client.force_login(writer)
    assert client.post(reverse("rights:request_export")).status_code == 302
    export = DataExport.objects.get(user=writer)
    page = client.get(reverse("rights:my_data")).content.decode()
    assert "<progress" in page and 'http-equiv="refresh"' in page

    services.run_export(export.pk)
    export.refresh_from_db()
    page = client.get(reverse("rights:my_data")).content.decode()
    url = services.download_url(export)
    assert url in page

    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "private" in response["Cache-Control"]
    assert (
        "data.json" in zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))).namelist()
    )

    client.force_login(other_user)
    assert client.get(url).status_code == 404
    client.force_login(writer)
    assert client.get(url[:-3] + "xyz/").status_code == 404


def test_an_expired_link_no_longer_downloads_and_the_file_goes(
    client, writer, django_capture_on_commit_callbacks
):
    export = _build(writer, django_capture_on_commit_callbacks)
    url = services.download_url(export)
    DataExport.objects.filter(pk=export.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    client.force_login(writer)

    assert client.get(url).status_code == 404
    assert services.expire_exports() == 1
    from rights.exports import storage

    assert not storage().exists(export.file_name)


def test_one_export_at_a_time_and_three_a_day(writer):
    services.request_export(writer)
    with pytest.raises(services.ExportRefused):
        services.request_export(writer)
    DataExport.objects.update(status=DataExport.Status.READY)
    services.request_export(writer)
    DataExport.objects.update(status=DataExport.Status.READY)
    services.request_export(writer)
    DataExport.objects.update(status=DataExport.Status.READY)
    with pytest.raises(services.ExportRefused):
        services.request_export(writer)
    assert DataExport.objects.count() == 3


def test_data_saya_needs_sign_in_and_is_linked_from_the_profile(client, writer):
    response = client.get(reverse("rights:my_data"))
    assert response.status_code == 302
    client.force_login(writer)
    assert (
        reverse("rights:my_data") in client.get(reverse("accounts:edit_profile")).content.decode()
    )


def test_consent_switches_change_the_email_settings_and_keep_their_history(client, writer):
    client.force_login(writer)

    client.post(reverse("rights:save_consent"), {"email_comment": "on"})

    preference = EmailPreference.objects.get(user=writer)
    assert preference.email_comment is True
    assert preference.email_reply is False
    assert set(
        ConsentChange.objects.filter(user=writer, granted=False).values_list("purpose", flat=True)
    ) == {"email_reply", "email_new_article", "email_follower", "email_report_outcome"}
    client.post(reverse("rights:save_consent"), {"email_comment": "on", "email_reply": "on"})
    assert ConsentChange.objects.filter(user=writer).count() == 5
    page = client.get(reverse("rights:my_data")).content.decode()
    assert "ditarik" in page and "setuju" in page


def test_a_correction_request_is_due_in_three_days_and_empty_is_refused(client, writer):
    client.force_login(writer)

    assert client.post(reverse("rights:request_correction"), {"what": "  "}).status_code == 400
    assert not CorrectionRequest.objects.exists()
    response = client.post(reverse("rights:request_correction"), {"what": "Nama asli saya Budi."})

    assert response.status_code == 302
    request = CorrectionRequest.objects.get()
    assert request.user == writer
    assert timedelta(hours=71) < request.due_at - request.created_at <= timedelta(hours=72)


def test_staff_close_a_correction_and_a_refusal_needs_a_reason(writer, moderator):
    request = services.request_correction(writer, what="Ganti tanggal.")
    with pytest.raises(ValidationError):
        services.close_correction(request, by=moderator, status="refused", answer="")
    services.close_correction(request, by=moderator, status="done", answer="Sudah.")
    request.refresh_from_db()
    assert (request.status, request.closed_by) == ("done", moderator)


def test_a_staff_view_of_a_users_admin_page_is_logged(admin_client, writer):
    admin_client.get(reverse("admin:accounts_user_change", args=[writer.pk]))

    entry = PersonalDataAccess.objects.get()
    assert (entry.subject, entry.kind) == (writer, "admin_view")


def test_the_access_log_is_for_superusers_only(client, writer, moderator):
    services.record_access(subject=writer, staff=moderator, kind="admin_view")
    client.force_login(moderator)
    url = reverse("admin:rights_personaldataaccess_changelist")
    assert client.get(url).status_code == 403
