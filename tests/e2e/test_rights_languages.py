"""People's rights in both languages, on a desktop and at 390 px: the Data Saya
export, deleting an account, an appeal, the right of reply (a moderator's hide
refused until the author has replied), the transparency report and a withheld
article's 451 notice. Each page ends with an axe check (WCAG 2.2 AA)."""

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from moderation import services as moderation_services
from moderation.models import Reason
from rights import services as rights_services
from rights.models import AccountDeletion, Appeal, GovernmentOrder, RightOfReply
from tests.e2e.builders import DESKTOP, PHONE, axe_violations, make_moderator, signed_in_page
from tests.factories import make_article, make_user
from tests.moderation.builders import let_the_reply_wait_pass

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class Labels:
    prefix: str  # "" or "/en"
    locale: str
    prepare: str
    preparing: str
    download: str
    delete: str
    remove_writing: str
    password: str
    deletion_scheduled: str
    appeal_link: str
    appeal_field: str
    appeal_button: str
    appeal_received: str
    reply_field: str
    reply_button: str
    reply_received: str
    transparency: str
    by_reason: str
    withheld: str
    you_wrote: str


LABELS = {
    "id": Labels(
        prefix="",
        locale="id-ID",
        prepare="Siapkan Data Saya",
        preparing="Ekspor Anda sedang disiapkan",
        download="Unduh ZIP",
        delete="Hapus Akun Saya",
        remove_writing="Hapus artikel dan komentar saya",
        password="Kata sandi Anda, untuk konfirmasi",
        deletion_scheduled="Akun Anda akan dihapus pada",
        appeal_link="Ajukan banding",
        appeal_field="Mengapa keputusan ini harus diubah?",
        appeal_button="Kirim Banding",
        appeal_received="Banding Anda sudah diterima",
        reply_field="",  # read from the catalogue below
        reply_button="",
        reply_received="",
        transparency="Laporan Transparansi",
        by_reason="",
        withheld="Ditahan atas perintah hukum",
        you_wrote="Anda menulis artikel ini",
    ),
    "en": Labels(
        prefix="/en",
        locale="en-GB",
        prepare="Prepare my data",
        preparing="Your export is being prepared",
        download="Download ZIP",
        delete="Delete my account",
        remove_writing="Remove my articles and comments",
        password="Your password, to confirm",
        deletion_scheduled="Your account will be deleted on",
        appeal_link="Appeal this decision",
        appeal_field="Why should the decision change?",
        appeal_button="Send my appeal",
        appeal_received="Your appeal is received",
        reply_field="Your side, for the moderators",
        reply_button="Send my reply",
        reply_received="Thank you: the moderators will read your reply.",
        transparency="Transparency report",
        by_reason="By reason",
        withheld="Withheld by a legal order",
        you_wrote="You wrote this article",
    ),
}


def _indonesian(text: str) -> str:
    from django.utils import translation

    with translation.override("id"):
        return translation.gettext(text)


def _labels(language: str) -> Labels:
    labels = LABELS[language]
    if language == "id":
        from dataclasses import replace

        english = LABELS["en"]
        labels = replace(
            labels,
            reply_field=_indonesian(english.reply_field),
            reply_button=_indonesian(english.reply_button),
            reply_received=_indonesian(english.reply_received),
            by_reason=_indonesian(english.by_reason),
            transparency=_indonesian(english.transparency),
        )
    return labels


VARIANTS = [("id", DESKTOP), ("en", DESKTOP), ("en", PHONE)]
IDS = ["id-desktop", "en-desktop", "en-390"]


def _page(new_context, user, live_server, language, viewport):
    labels = _labels(language)
    page = signed_in_page(
        new_context, user, live_server.url, locale=labels.locale, viewport=viewport
    )
    return page, labels


def _accessible(page, axe_source):
    assert axe_violations(page, axe_source) == []
    # Nothing runs off a phone's screen sideways.
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize(("language", "viewport"), VARIANTS, ids=IDS)
def test_data_saya_export(live_server, new_context, axe_source, language, viewport):
    user = make_user(username=f"ekspor{language}{viewport['width']}")
    make_article(author=user, title="Tulisan pertama saya")
    page, labels = _page(new_context, user, live_server, language, viewport)

    page.goto(f"{live_server.url}{labels.prefix}/akun/data/")
    page.get_by_role("button", name=labels.prepare).click()
    expect(page.get_by_text(labels.preparing)).to_be_visible()
    page.reload()
    with page.expect_download() as info:
        page.get_by_role("link", name=labels.download).click()
    archive = zipfile.ZipFile(io.BytesIO(Path(info.value.path()).read_bytes()))
    assert "Tulisan pertama saya" in archive.read("data.json").decode()
    _accessible(page, axe_source)


@pytest.mark.parametrize(("language", "viewport"), VARIANTS, ids=IDS)
def test_deleting_an_account(live_server, new_context, axe_source, language, viewport):
    user = make_user(username=f"pamit{language}{viewport['width']}")
    page, labels = _page(new_context, user, live_server, language, viewport)

    page.goto(f"{live_server.url}{labels.prefix}/akun/data/")
    page.get_by_role("link", name=labels.delete).click()
    _accessible(page, axe_source)
    page.get_by_label(labels.remove_writing).check()
    page.get_by_label(labels.password).fill("kata-sandi-uji")
    page.get_by_role("button", name=labels.delete).click()
    expect(page.get_by_text(labels.deletion_scheduled)).to_be_visible()
    assert AccountDeletion.objects.get(user=user).writing == "remove"


def _hidden_article(writer):
    article = make_article(author=writer, title="Opini pasar")
    report = moderation_services.report_article(
        article, reporter=make_user(), reason=Reason.HOAX, details="", enforce_limits=False
    )
    let_the_reply_wait_pass(report.case)
    moderation_services.hide_target(
        report.case, moderator=make_moderator(), rule=Reason.HOAX, public_reason="Tidak berdasar."
    )
    return article


@pytest.mark.parametrize(("language", "viewport"), VARIANTS, ids=IDS)
def test_an_appeal_from_the_notice(live_server, new_context, axe_source, language, viewport):
    writer = make_user(username=f"banding{language}{viewport['width']}")
    _hidden_article(writer)
    page, labels = _page(new_context, writer, live_server, language, viewport)

    page.goto(f"{live_server.url}{labels.prefix}/tulisan-saya/")
    page.get_by_role("link", name=labels.appeal_link).first.click()
    page.get_by_label(labels.appeal_field).fill("Sumber saya data BPS.")
    page.get_by_role("button", name=labels.appeal_button).click()
    expect(page.get_by_text(labels.appeal_received)).to_be_visible()
    assert Appeal.objects.get().appellant == writer
    _accessible(page, axe_source)


@pytest.mark.parametrize(("language", "viewport"), VARIANTS, ids=IDS)
def test_the_right_of_reply_holds_the_hide_until_the_author_answers(
    live_server, new_context, axe_source, language, viewport
):
    writer = make_user(username=f"hakjawab{language}{viewport['width']}")
    article = make_article(author=writer, title="Anggaran desa kami")
    report = moderation_services.report_article(
        article, reporter=make_user(), reason=Reason.HOAX, details="", enforce_limits=False
    )
    moderator = make_moderator()
    moderation_services.start_review(report.case, moderator=moderator)
    invitation = rights_services.invite_reply(report.case.pk)
    case_url = f"{live_server.url}/admin/moderation/case/{report.case.pk}/change/"

    # The moderator tries to hide it at once: refused, with the time the wait ends.
    admin = signed_in_page(new_context, moderator, live_server.url, viewport=viewport)
    admin.goto(case_url)
    hide = admin.locator("form[data-action=hide]")
    hide.get_by_label("Alasan publik").fill("Tidak berdasar.")
    hide.get_by_role("button", name="Sembunyikan").click()
    expect(admin.get_by_text("Penulis punya waktu hingga")).to_be_visible()

    page, labels = _page(new_context, writer, live_server, language, viewport)
    page.goto(f"{live_server.url}{labels.prefix}/hak-jawab/{invitation.pk}/")
    page.get_by_label(labels.reply_field).fill("Angka saya dari APBDes 2026.")
    page.get_by_role("button", name=labels.reply_button).click()
    expect(page.get_by_text(labels.reply_received)).to_be_visible()
    _accessible(page, axe_source)
    assert RightOfReply.objects.get(pk=invitation.pk).replied_at is not None

    # With the reply in, the moderator reads it and may decide.
    admin.goto(case_url)
    expect(admin.get_by_text("Angka saya dari APBDes 2026.")).to_be_visible()
    hide = admin.locator("form[data-action=hide]")
    hide.get_by_label("Alasan publik").fill("Tidak berdasar.")
    hide.get_by_role("button", name="Sembunyikan").click()
    article.refresh_from_db()
    assert article.status == "hidden"


@pytest.mark.parametrize(("language", "viewport"), VARIANTS, ids=IDS)
def test_the_transparency_report_from_the_footer(
    live_server, new_context, axe_source, language, viewport
):
    reader = make_user(username=f"transparan{language}{viewport['width']}")
    _hidden_article(make_user(username=f"tersembunyi{language}{viewport['width']}"))
    page, labels = _page(new_context, reader, live_server, language, viewport)

    page.goto(f"{live_server.url}{labels.prefix}/")
    page.get_by_role("contentinfo").get_by_role("link", name=labels.transparency).click()
    _accessible(page, axe_source)
    page.locator("main li a").first.click()
    expect(page.get_by_role("table").filter(has_text=labels.by_reason)).to_be_visible()
    _accessible(page, axe_source)


@pytest.mark.parametrize(("language", "viewport"), VARIANTS, ids=IDS)
def test_a_withheld_article_shows_its_legal_basis(
    live_server, new_context, axe_source, language, viewport
):
    writer = make_user(username=f"ditahan{language}{viewport['width']}")
    article = make_article(author=writer, title="Tulisan yang diperintahkan turun")
    moderator = make_moderator()
    order = GovernmentOrder(
        source="ministry",
        authority="Kementerian Komunikasi dan Digital",
        legal_basis="Permenkominfo 5/2020 Pasal 14",
        reference="B-451/KOMDIGI/2026",
        received_at=timezone.now(),
        targets=article.get_absolute_url(),
    )
    rights_services.carry_out_order(
        rights_services.receive_order(order, by=moderator), by=moderator
    )
    reader = make_user(username=f"pembaca{language}{viewport['width']}")

    for person, author_note in ((reader, False), (writer, True)):
        page, labels = _page(new_context, person, live_server, language, viewport)
        response = page.goto(f"{live_server.url}{labels.prefix}{article.get_absolute_url()}")
        assert response.status == 451
        expect(page.get_by_role("heading", name=labels.withheld, exact=True)).to_be_visible()
        expect(page.get_by_text("Permenkominfo 5/2020 Pasal 14")).to_be_visible()
        expect(page.get_by_text(labels.you_wrote)).to_have_count(1 if author_note else 0)
        _accessible(page, axe_source)
