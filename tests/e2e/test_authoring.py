"""A new user signs up, confirms the email, and writes, previews, publishes and
edits an article with the rich-text editor."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from articles.models import Article
from tests.e2e.builders import politik_and_kebijakan, write_jpeg
from tests.e2e.journeys import ends_with

pytestmark = pytest.mark.e2e

PASSWORD = "Rahasia-Warga-2026"
LINK = "https://dishub.jakarta.go.id/laporan-tahunan"


def sign_up_and_confirm(page, *, email: str, username: str) -> None:
    page.goto("/")
    page.get_by_role("navigation", name="Akun").get_by_role("link", name="Daftar").click()
    expect(page).to_have_url(ends_with("/akun/signup/"))
    form = page.locator("main form")
    form.get_by_label("Email").fill(email)
    form.get_by_label("Nama pengguna").fill(username)
    form.locator("#id_password1").fill(PASSWORD)
    form.locator("#id_password2").fill(PASSWORD)
    form.get_by_role("button", name="Daftar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Verifikasi"))

    # The live server runs in this process: its mail lands in Django's test outbox.
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [email]
    link = re.search(r"https?://\S+/akun/confirm-email/\S+/", message.body).group(0)
    page.goto(link)
    page.locator("main form").get_by_role("button", name="Konfirmasi").click()
    expect(page.locator(".messages")).to_contain_text(f"Anda telah mengkonfirmasi {email}")
    expect(page.get_by_role("navigation", name="Akun")).to_contain_text(username)


def press(page, keys: str) -> None:
    """Press keys at a person's pace.

    ProseMirror learns about a moved cursor from the browser's selectionchange
    event, a moment after the key; a key that follows faster than any person
    types (End, then Ctrl+B) would act on the old selection.
    """
    page.keyboard.press(keys)
    page.wait_for_timeout(100)


def editor_settled(page, editor) -> None:
    """Wait until the editor has its focus back after a toolbar button or dialog.

    ProseMirror writes its selection back into the page 20 ms after it regains
    the focus; a key pressed before then would be undone.
    """
    expect(editor).to_be_focused()
    page.wait_for_timeout(100)


def write_body(page) -> None:
    """Bold by the toolbar and by Ctrl+B, a link through the link dialog, and a
    horizontal rule: the page break."""
    editor = page.locator(".ProseMirror[contenteditable=true]")
    toolbar = page.locator(".prose-menubar")
    editor.click()
    page.keyboard.type("Bus kota harus murah")
    press(page, "Control+Shift+ArrowLeft")  # select "murah"
    toolbar.get_by_role("button", name="tebal", exact=True).click()
    editor_settled(page, editor)
    press(page, "End")
    press(page, "Control+B")  # bold off again for the rest of the sentence
    page.keyboard.type(" dan tepat waktu.")
    press(page, "Enter")

    page.keyboard.type("Baca laporan lengkap di situs Dishub")
    press(page, "Control+Shift+ArrowLeft")  # select "Dishub"
    toolbar.get_by_role("button", name="sisipkan tautan", exact=True).click()
    dialog = page.locator("dialog.prose-editor-dialog[open]")
    dialog.get_by_label("URL").fill(LINK)
    dialog.get_by_role("button", name="Perbarui").click()
    expect(dialog).to_have_count(0)
    editor_settled(page, editor)
    press(page, "End")
    press(page, "Enter")

    toolbar.get_by_role("button", name="garis pemisah (halaman baru)", exact=True).click()
    editor_settled(page, editor)
    page.keyboard.type("Halaman kedua: jadwal bus diumumkan setiap pekan.")
    expect(editor.locator("strong")).to_have_text("murah")
    expect(editor.locator("a")).to_have_text("Dishub")
    expect(editor.locator("hr")).to_have_count(1)


def test_new_author_signs_up_writes_publishes_and_edits(live_server, page, tmp_path):
    politik_and_kebijakan()
    sign_up_and_confirm(page, email="sari@example.com", username="sariwarga")

    page.get_by_role("link", name="Tulis", exact=True).click()
    expect(page).to_have_url(ends_with("/tulis/"))
    form = page.locator("form.write-form")
    form.get_by_label("Judul").fill("Transportasi Umum untuk Semua Warga")
    form.get_by_label("Topik").select_option(label="Politik / Kebijakan")
    write_body(page)
    form.get_by_label("Gambar sampul", exact=True).set_input_files(write_jpeg(tmp_path))
    form.get_by_label("Keterangan gambar sampul").fill("Halte bus di Jakarta.")
    form.get_by_label("Sumber gambar sampul").fill("Dokumentasi pribadi")
    form.get_by_label("Tag", exact=True).fill("transportasi, kebijakan publik")

    page.get_by_role("button", name="Simpan Draf").click()
    expect(page.locator(".messages")).to_contain_text("Draf tersimpan.")
    article = Article.objects.get(title="Transportasi Umum untuk Semua Warga")
    expect(page).to_have_url(ends_with(f"/tulis/{article.pk}/"))
    assert article.status == Article.Status.DRAFT
    assert article.author.username == "sariwarga"

    page.get_by_role("button", name="Pratinjau").click()
    expect(page).to_have_url(ends_with(article.get_absolute_url()))
    expect(page.locator(".notice")).to_contain_text("Ini masih draf")
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)
    expect(page.locator(".article-body strong")).to_have_text("murah")
    expect(page.locator(".cover figcaption")).to_contain_text("Halte bus di Jakarta.")
    expect(page.locator(".cover figcaption")).to_contain_text("Dokumentasi pribadi")
    expect(page.get_by_role("navigation", name="Halaman artikel")).to_contain_text("HALAMAN")

    page.go_back()
    page.get_by_role("button", name="Terbitkan").click()
    expect(page.locator(".messages")).to_contain_text("Artikel Anda telah diterbitkan.")
    expect(page).to_have_url(ends_with(article.get_absolute_url()))
    expect(page.locator(".article-meta")).not_to_contain_text("Diperbarui")

    page.get_by_role("link", name="Kolom Warga", exact=True).first.click()
    expect(page.get_by_role("link", name=article.title, exact=True).first).to_be_visible()

    page.get_by_role("navigation", name="Akun").get_by_role("link", name="Tulisan Saya").click()
    row = page.get_by_role("row").filter(has_text=article.title)
    row.get_by_role("link", name="Edit").click()
    expect(page).to_have_url(ends_with(f"/tulis/{article.pk}/"))
    page.locator("form.write-form").get_by_label("Judul").fill(
        "Transportasi Umum untuk Semua Warga Jakarta"
    )
    page.get_by_role("button", name="Simpan Perubahan").click()
    expect(page.locator(".messages")).to_contain_text("Perubahan Anda telah diterbitkan.")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Transportasi Umum untuk Semua Warga Jakarta"
    )
    expect(page.locator(".article-meta")).to_contain_text("Diperbarui:")

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.was_updated
    assert "<strong>murah</strong>" in article.body_html
    link = re.search(r"<a ([^>]*)>Dishub</a>", article.body_html)
    assert link, article.body_html
    assert f'href="{LINK}"' in link.group(1)
    assert 'rel="nofollow ugc noopener"' in link.group(1)
    assert len(article.pages()) == 2
    assert sorted(tag.name for tag in article.tags.all()) == ["kebijakan publik", "transportasi"]
    assert article.cover and article.cover_caption == "Halte bus di Jakarta."
    assert article.cover_credit == "Dokumentasi pribadi"
