"""People's rights in the browser: the author's hide of a comment and contesting
it, the Data Saya export, deleting an account (and cancelling by signing in),
and appealing a moderator's decision."""

import io
import zipfile
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import expect

from moderation import services as moderation_services
from moderation.models import Reason, Report
from rights.models import AccountDeletion, Appeal
from tests.e2e.builders import make_comment, make_moderator, signed_in_page
from tests.factories import make_article, make_user
from tests.moderation.builders import let_the_reply_wait_pass

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_the_author_hides_a_comment_with_a_reason_and_the_commenter_contests_it(
    live_server, new_context, javascript
):
    writer = make_user(username="penulissungai", display_name="Penulis Sungai")
    commenter = make_user(username="pengkritik", display_name="Pengkritik Santun")
    article = make_article(author=writer, title="Sungai kami bersih lagi")
    comment = make_comment(article, author=commenter, body="Datanya keliru, Pak.")

    page = signed_in_page(new_context, writer, live_server.url, java_script_enabled=javascript)
    page.goto(live_server.url + article.get_absolute_url())
    page.locator(f"#komentar-{comment.pk}").get_by_role("link", name="Sembunyikan").click()
    expect(page.get_by_role("heading", name="Sembunyikan komentar ini?")).to_be_visible()
    page.get_by_label("Alasan (opsional, ditampilkan kepada penulis komentar)").fill(
        "Di luar topik."
    )
    page.get_by_role("button", name="Sembunyikan").click()
    placeholder = page.locator(f"#komentar-{comment.pk}")
    expect(placeholder).to_contain_text("disembunyikan oleh penulis artikel")
    expect(placeholder.get_by_role("button", name="Tampilkan lagi")).to_be_visible()

    other = signed_in_page(new_context, commenter, live_server.url, java_script_enabled=javascript)
    other.goto(live_server.url + "/notifikasi/")
    other.get_by_role("link", name="menyembunyikan komentar Anda").click()
    expect(other.get_by_text("Di luar topik.")).to_be_visible()
    other.get_by_role("link", name="Laporkan Penyalahgunaan").click()
    other.get_by_label("Mengapa penyembunyian komentar Anda tidak adil?").fill(
        "Kritik saya sopan dan bersumber."
    )
    other.get_by_role("button", name="Kirim ke Moderator").click()
    expect(other.get_by_text("moderator akan meninjaunya")).to_be_visible()
    assert Report.objects.filter(reporter=commenter, account=writer).exists()


def test_the_confirmation_speaks_english_under_en(live_server, new_context):
    writer = make_user(username="writeren", display_name="Writer")
    article = make_article(author=writer, title="River")
    comment = make_comment(article, author=make_user(), body="Wrong figures.")
    page = signed_in_page(new_context, writer, live_server.url, locale="en-GB")
    page.goto(f"{live_server.url}/en/komentar/{comment.pk}/sembunyikan/")
    expect(page.get_by_role("heading", name="Hide this comment?")).to_be_visible()
    page.get_by_role("button", name="Hide").click()
    expect(page.get_by_role("button", name="Show again")).to_be_visible()


def test_a_person_downloads_their_data_from_data_saya(live_server, new_context):
    user = make_user(username="pemintadata", display_name="Peminta Data")
    make_article(author=user, title="Tulisan pertama saya")
    page = signed_in_page(new_context, user, live_server.url)

    page.goto(live_server.url + "/profil/ubah/")
    page.get_by_role("link", name="Data Saya").click()
    page.get_by_role("button", name="Siapkan Data Saya").click()
    expect(page.get_by_text("Ekspor Anda sedang disiapkan")).to_be_visible()
    page.reload()
    link = page.get_by_role("link", name="Unduh ZIP")
    with page.expect_download() as info:
        link.click()
    archive = zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert {"data.json", "index.html"} <= set(archive.namelist())
    assert "Tulisan pertama saya" in archive.read("data.json").decode()


def test_a_person_deletes_their_account_then_signing_in_cancels_it(live_server, new_context):
    user = make_user(username="pamitan", display_name="Warga Pamitan")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    page = signed_in_page(new_context, user, live_server.url)

    page.goto(live_server.url + "/akun/data/")
    page.get_by_role("link", name="Hapus Akun Saya").click()
    page.get_by_label("Hapus artikel dan komentar saya").check()
    page.get_by_label("Kata sandi Anda, untuk konfirmasi").fill("salah")
    page.get_by_role("button", name="Hapus Akun Saya").click()
    expect(page.get_by_text("Kata sandi tidak benar.")).to_be_visible()
    page.get_by_label("Hapus artikel dan komentar saya").check()
    page.get_by_label("Kata sandi Anda, untuk konfirmasi").fill("kata-sandi-uji")
    page.get_by_role("button", name="Hapus Akun Saya").click()
    expect(page.get_by_text("Akun Anda akan dihapus pada")).to_be_visible()
    assert AccountDeletion.objects.get(user=user).status == "scheduled"

    page.goto(live_server.url + "/akun/login/")
    page.locator("input[name=login]").fill("pamitan")
    page.locator("input[name=password]").fill("kata-sandi-uji")
    page.locator("form").filter(has=page.locator("input[name=password]")).locator(
        "button[type=submit]"
    ).click()
    expect(page.get_by_text("penghapusan akun Anda dibatalkan")).to_be_visible()
    assert AccountDeletion.objects.get(user=user).status == "cancelled"


def test_an_author_appeals_a_hidden_article_from_tulisan_saya(live_server, new_context):
    writer = make_user(username="penulisbanding", display_name="Penulis Banding")
    article = make_article(author=writer, title="Opini pasar")
    report = moderation_services.report_article(
        article, reporter=make_user(), reason=Reason.HOAX, details="", enforce_limits=False
    )
    let_the_reply_wait_pass(report.case)
    moderation_services.hide_target(
        report.case, moderator=make_moderator(), rule=Reason.HOAX, public_reason="Tidak berdasar."
    )
    page = signed_in_page(new_context, writer, live_server.url)

    page.goto(live_server.url + "/tulisan-saya/")
    page.get_by_role("link", name="Ajukan banding").click()
    page.get_by_label("Mengapa keputusan ini harus diubah?").fill("Sumber saya data BPS.")
    page.get_by_role("button", name="Kirim Banding").click()
    expect(page.get_by_text("Banding Anda sudah diterima")).to_be_visible()
    expect(page.get_by_text("Menunggu moderator")).to_be_visible()
    assert Appeal.objects.get().appellant == writer
