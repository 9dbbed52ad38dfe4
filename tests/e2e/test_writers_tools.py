"""An author corrects a published article, restores an earlier revision and
schedules a draft for Saturday 07:00 WIB, at desktop and phone widths, with
every page checked by axe-core."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from articles.models import WIB, Article
from tests.e2e.builders import (
    DESKTOP,
    PHONE,
    axe_violations,
    describe_violations,
    make_author,
    politik_and_kebijakan,
    sign_in,
    signed_in_page,
)
from tests.e2e.journeys import ends_with
from tests.factories import edit_article, make_article

pytestmark = pytest.mark.e2e

WIDTHS = [pytest.param(DESKTOP, id="desktop"), pytest.param(PHONE, id="phone")]


def no_violations(page, axe_source, label):
    violations = axe_violations(page, axe_source)
    assert not violations, describe_violations(label, violations)


edit = edit_article


@pytest.mark.parametrize("viewport", WIDTHS)
def test_author_restores_an_earlier_revision(live_server, new_context, axe_source, viewport):
    _, topic = politik_and_kebijakan()
    author = make_author()
    article = make_article(
        author=author,
        topic=topic,
        title="Anggaran Desa Tahun Ini",
        body="<p>Anggaran desa naik menjadi Rp 2 miliar.</p><p>Warga diajak mengawasi.</p>",
    )
    edit(
        article,
        body="<p>Anggaran desa naik menjadi Rp 20 miliar.</p><p>Warga diajak mengawasi.</p>",
    )
    page = signed_in_page(new_context, author, live_server.url, viewport=viewport)

    page.goto(article.get_absolute_url())
    page.get_by_role("link", name="Ubah artikel ini").click()
    expect(page).to_have_url(ends_with(f"/tulis/{article.pk}/"))
    page.get_by_role("link", name="Riwayat revisi").click()
    no_violations(page, axe_source, "revisions")
    rows = page.locator("table.revision-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Disimpan")
    expect(rows.nth(1)).to_contain_text("Diterbitkan")

    rows.nth(0).get_by_role("link", name="Lihat perubahan").click()
    diff = page.locator(".revision-diff")
    expect(diff.locator("del")).to_have_text("2")
    expect(diff.locator("ins")).to_have_text("20")
    expect(diff).to_contain_text("1 paragraf tidak berubah")
    no_violations(page, axe_source, "revision")

    page.get_by_role("link", name="Semua revisi").click()
    rows.nth(1).get_by_role("link", name="Lihat perubahan").click()
    page.get_by_role("button", name="Pulihkan revisi ini").click()
    expect(page.locator(".messages")).to_contain_text("Revisi dipulihkan")
    expect(rows).to_have_count(3)
    expect(rows.nth(0)).to_contain_text("Dipulihkan")

    page.goto(article.get_absolute_url())
    expect(page.locator(".article-body")).to_contain_text("Rp 2 miliar.")
    article.refresh_from_db()
    assert "Rp 2 miliar" in article.body


@pytest.mark.parametrize("viewport", WIDTHS)
def test_author_publishes_a_correction_readers_see(live_server, new_context, axe_source, viewport):
    _, topic = politik_and_kebijakan()
    author = make_author()
    article = make_article(
        author=author, topic=topic, title="Jadwal Posyandu", body="<p>Posyandu buka hari Senin.</p>"
    )
    page = signed_in_page(new_context, author, live_server.url, viewport=viewport)

    page.goto(f"/tulis/{article.pk}/")
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.press("Control+A")
    page.keyboard.type("Posyandu buka hari Selasa.")
    page.get_by_label("Catatan ralat").fill("Tertulis Senin; yang benar Selasa.")
    page.get_by_role("button", name="Terbitkan sebagai ralat").click()

    expect(page.locator(".messages")).to_contain_text("Ralat Anda sudah terbit.")
    expect(page.locator(".correction-notice")).to_contain_text("Tertulis Senin; yang benar Selasa.")
    expect(page.locator("section.corrections")).to_contain_text("yang benar Selasa")
    expect(page.locator(".article-body")).to_contain_text("Selasa")
    no_violations(page, axe_source, "corrected article")

    reader = new_context(viewport=viewport).new_page()
    reader.goto(article.get_absolute_url())
    expect(reader.locator(".correction-notice")).to_contain_text("yang benar Selasa")
    expect(reader.get_by_role("link", name="Ubah artikel ini")).to_have_count(0)


@pytest.mark.parametrize("viewport", WIDTHS)
def test_author_schedules_a_draft_for_saturday_morning(
    live_server, new_context, axe_source, viewport
):
    _, topic = politik_and_kebijakan()
    author = make_author()
    draft = make_article(
        author=author,
        topic=topic,
        status=Article.Status.DRAFT,
        title="Kerja Bakti Sabtu Pagi",
        body="<p>Seluruh warga RT 05 diajak kerja bakti.</p>",
    )
    today = datetime.now(WIB).date()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 + 7)
    page = signed_in_page(new_context, author, live_server.url, viewport=viewport)

    page.goto(f"/tulis/{draft.pk}/")
    page.get_by_label("Tanggal terbit").fill(saturday.isoformat())
    page.get_by_label("Jam (WIB)").fill("07:00")
    page.get_by_role("button", name="Jadwalkan", exact=True).click()

    expect(page).to_have_url(ends_with("/tulisan-saya/"))
    expect(page.locator(".messages")).to_contain_text("07:00 WIB")
    expect(page.locator(".status-scheduled")).to_contain_text(re.compile(r"Terjadwal: .*07:00 WIB"))
    no_violations(page, axe_source, "dashboard with a scheduled article")
    draft.refresh_from_db()
    assert draft.scheduled_at == datetime(
        saturday.year, saturday.month, saturday.day, 0, 0, tzinfo=UTC
    )

    page.goto(f"/tulis/{draft.pk}/")
    expect(page.locator(".scheduled-notice")).to_contain_text("07:00 WIB")
    no_violations(page, axe_source, "write page with a schedule")
    page.get_by_role("button", name="Batalkan jadwal").click()
    expect(page.locator(".messages")).to_contain_text("Jadwal dibatalkan")
    draft.refresh_from_db()
    assert draft.scheduled_at is None
    assert draft.status == Article.Status.DRAFT


@pytest.mark.parametrize("viewport", WIDTHS)
def test_a_new_draft_is_saved_while_typing_and_found_again(
    live_server, new_context, axe_source, viewport
):
    politik_and_kebijakan()
    author = make_author()
    page = signed_in_page(new_context, author, live_server.url, viewport=viewport)

    page.goto("/tulis/")
    form = page.locator("form.write-form")
    form.get_by_label("Judul").fill("Catatan Rapat RT")
    form.get_by_label("Topik").select_option(label="Politik / Kebijakan")
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.type("Rapat membahas jadwal ronda malam.")

    state = page.locator("[data-autosave-state]")
    expect(state).to_have_text(re.compile(r"^Tersimpan \d\d:\d\d$"), timeout=20_000)
    article = Article.objects.get(author=author)
    expect(page).to_have_url(ends_with(f"/tulis/{article.pk}/"))
    no_violations(page, axe_source, "write page, saved")
    page.close()

    again = signed_in_page(new_context, author, live_server.url, viewport=viewport)
    again.goto(f"/tulis/{article.pk}/")
    expect(again.locator(".ProseMirror[contenteditable=true]")).to_contain_text(
        "jadwal ronda malam"
    )
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


def test_a_published_articles_changes_wait_for_save_and_leaving_warns(live_server, new_context):
    _, topic = politik_and_kebijakan()
    author = make_author()
    article = make_article(
        author=author, topic=topic, title="Pasar Malam", body="<p>Pasar malam dibuka.</p>"
    )
    page = signed_in_page(new_context, author, live_server.url)

    page.goto(f"/tulis/{article.pk}/")
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.press("End")
    page.keyboard.type(" Parkir di lapangan.")
    expect(page.locator("[data-autosave-state]")).to_contain_text("belum terbit", timeout=20_000)

    reader = new_context().new_page()
    reader.goto(article.get_absolute_url())
    expect(reader.locator(".article-body")).not_to_contain_text("Parkir")

    page.reload()
    expect(page.locator(".pending-notice")).to_contain_text("WIB")
    expect(page.locator(".ProseMirror[contenteditable=true]")).to_contain_text(
        "Parkir di lapangan."
    )

    # Typing and leaving at once: the browser asks first.
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.type(" Gratis.")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]


def test_two_tabs_on_one_draft_get_a_conflict_message(live_server, new_context):
    _, topic = politik_and_kebijakan()
    author = make_author()
    draft = make_article(
        author=author,
        topic=topic,
        status=Article.Status.DRAFT,
        title="Dua Tab",
        body="<p>Awal.</p>",
    )
    context = new_context()
    sign_in(context, author, live_server.url)
    first, second = context.new_page(), context.new_page()
    first.goto(f"/tulis/{draft.pk}/")
    second.goto(f"/tulis/{draft.pk}/")

    first.locator(".ProseMirror[contenteditable=true]").click()
    first.keyboard.type("Dari tab pertama. ")
    expect(first.locator("[data-autosave-state]")).to_contain_text("Tersimpan", timeout=20_000)
    second.locator(".ProseMirror[contenteditable=true]").click()
    second.keyboard.type("Dari tab kedua. ")

    expect(second.locator("[data-autosave-state]")).to_contain_text("tab lain", timeout=20_000)
    draft.refresh_from_db()
    assert "Dari tab pertama." in draft.body
    assert "Dari tab kedua." not in draft.body
    expect(second.locator(".ProseMirror[contenteditable=true]")).to_contain_text("Dari tab kedua.")


TOOLBAR = {
    "id": ["paragraf", "daftar berpoin", "daftar bernomor", "kutipan", "gambar", "tebal",
           "miring", "garis bawah", "coret", "sisipkan tautan", "urungkan", "ulangi"],
    "en": ["paragraph", "unordered list", "ordered list", "blockquote", "figure", "bold",
           "italic", "underline", "strike", "insert link", "undo", "redo"],
}  # fmt: skip


@pytest.mark.parametrize("language", ["id", "en"])
def test_the_editor_speaks_the_pages_language_and_spellchecks_indonesian(
    live_server, new_context, language
):
    politik_and_kebijakan()
    author = make_author()
    page = signed_in_page(new_context, author, live_server.url)
    page.goto("/tulis/" if language == "id" else "/en/tulis/")
    toolbar = page.locator(".prose-menubar")

    for name in TOOLBAR[language]:
        expect(toolbar.get_by_role("button", name=name, exact=True).first).to_be_attached()
    editor = page.locator(".ProseMirror[contenteditable=true]")
    expect(editor).to_have_attribute("spellcheck", "true")
    assert editor.evaluate("e => e.closest('[lang]').getAttribute('lang')") == "id"
    # The block-type menu's arrow is drawn, not a character the fonts may lack.
    arrow = toolbar.locator(".prose-menubar__selected").evaluate(
        "e => getComputedStyle(e, '::after').content"
    )
    assert arrow == '""'

    # A heading follows the cursor into the block-type button, still translated.
    editor.click()
    page.keyboard.type("Judul bagian")
    option = toolbar.locator('.prose-menubar__option[data-name="heading2"]')
    expect(option).to_have_text("Judul 2" if language == "id" else "Heading 2")
    toolbar.locator(".prose-menubar__selected").click()
    option.click()
    expected = "judul 2" if language == "id" else "heading 2"
    expect(toolbar.locator(".prose-menubar__selected button")).to_have_attribute("title", expected)

    # The link dialog.
    page.keyboard.press("Control+A")
    toolbar.get_by_role(
        "button", name="sisipkan tautan" if language == "id" else "insert link", exact=True
    ).click()
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    if language == "id":
        expect(dialog).to_contain_text("Ubah tautan")
        expect(dialog.get_by_role("button", name="Perbarui")).to_be_visible()
        expect(dialog.get_by_role("button", name="Batal")).to_be_visible()
    else:
        expect(dialog).to_contain_text("Edit Link")
        expect(dialog.get_by_role("button", name="Update")).to_be_visible()


@pytest.mark.parametrize("viewport", WIDTHS)
def test_an_author_adds_a_table_and_readers_see_it(live_server, new_context, axe_source, viewport):
    _, topic = politik_and_kebijakan()
    author = make_author()
    draft = make_article(
        author=author, topic=topic, status=Article.Status.DRAFT, title="Data Posyandu",
        body="<p>Jumlah balita per RW:</p>",
    )  # fmt: skip
    page = signed_in_page(new_context, author, live_server.url, viewport=viewport)

    page.goto(f"/tulis/{draft.pk}/")
    editor = page.locator(".ProseMirror[contenteditable=true]")
    editor.click()
    page.keyboard.press("Control+End")
    page.locator(".prose-menubar").get_by_role("button", name="Sisipkan tabel", exact=True).click()
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    dialog.get_by_role("button", name="Sisipkan").click()
    expect(editor.locator("table")).to_have_count(1)
    editor.locator("table td").first.click()
    page.keyboard.type("RW 03")
    page.get_by_role("button", name="Simpan Draf").click()
    expect(page.locator(".messages")).to_contain_text("Draf tersimpan.")

    draft.refresh_from_db()
    assert "<table>" in draft.body_html and "RW 03" in draft.body_html
    page.goto(draft.get_absolute_url())
    expect(page.locator(".article-body table td").first).to_have_text("RW 03")
    no_violations(page, axe_source, "article with a table")
