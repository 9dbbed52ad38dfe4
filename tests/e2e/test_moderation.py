"""A reader reports an article, a comment and an account; a moderator hides the
article from the admin queue with a reason, everyone concerned sees the outcome,
and the moderator restores it."""

import pytest
from playwright.sync_api import expect

from moderation.models import Case, ModerationAction, Report
from tests.e2e.builders import (
    make_author,
    make_comment,
    make_moderator,
    make_reference_article,
    sign_in,
)
from tests.e2e.journeys import ends_with
from tests.factories import make_user
from tests.moderation.builders import let_the_reply_wait_pass

pytestmark = pytest.mark.e2e

HIDE_REASON = "Angka dalam tulisan ini tidak didukung sumber yang dapat diperiksa."
RESTORE_REASON = "Penulis sudah menambahkan sumber datanya."
RECEIVED = "Terima kasih, laporan Anda sudah kami terima."


def report(page, link, *, reason: str, details: str = "") -> None:
    """Follow a report link, choose the reason (Alasan) and send the report."""
    link.click()
    form = page.locator("form.report-form")
    form.get_by_label(reason, exact=True).check()
    if details:
        form.get_by_label("Keterangan").fill(details)
    form.get_by_role("button", name="Kirim Laporan").click()
    expect(page.locator(".messages")).to_contain_text(RECEIVED)
    # Even when the page returns to a comment further down, the thanks are on screen.
    expect(page.locator(".messages")).to_be_in_viewport()


def admin_sign_in(page, user) -> None:
    page.goto("/admin/")
    page.locator("#id_username").fill(user.username)
    page.locator("#id_password").fill("kata-sandi-uji")  # make_user's password
    page.get_by_role("button", name="Masuk").click()
    expect(page.locator("#user-tools")).to_contain_text(user.username)


def act_on_case(
    page, action: str, *, button: str, done: str, reason: str, rule: str | None = None
) -> None:
    """Fill one action's form on the case page and send it."""
    form = page.locator(f"form[data-action={action}]")
    if rule:
        form.get_by_label("Aturan yang dilanggar").select_option(label=rule)
    form.get_by_label("Alasan publik").fill(reason)
    form.get_by_role("button", name=button, exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(f"Selesai: {done}.")


def test_reports_reach_the_moderator_whose_decision_everyone_sees(live_server, new_context):
    writer = make_author(username="sari", display_name="Sari Wulandari")
    article = make_reference_article(author=writer)
    commenter = make_user(username="joni", display_name="Joni Iseng")
    comment = make_comment(article, author=commenter, body="Klik tautan promo ini sekarang!")
    reader = make_user(username="budi", display_name="Budi Santoso")
    moderator = make_moderator(username="moderator")

    # The reader reports the article, a comment under it and the writer's account.
    reader_context = new_context()
    sign_in(reader_context, reader, live_server.url)
    page = reader_context.new_page()
    page.goto(article.get_absolute_url())
    report(
        page,
        page.locator(".article-meta").get_by_role("link", name="Laporkan Konten"),
        reason="Hoaks / fitnah",
        details="Angka anggarannya tidak cocok dengan APBD.",
    )
    expect(page).to_have_url(ends_with(article.get_absolute_url()))
    report(
        page,
        page.locator(f"#{comment.anchor}").get_by_role("link", name="Laporkan", exact=True),
        reason="Spam",
    )
    page.goto(article.get_absolute_url())
    report(
        page,
        page.locator(".article-meta").get_by_role("link", name="Laporkan Akun"),
        reason="Akun palsu / peniruan identitas",
        details="Memakai nama penulis lain.",
    )
    expect(page).to_have_url(ends_with(writer.get_absolute_url()))
    assert Report.objects.filter(reporter=reader).count() == 3

    page.get_by_role("link", name="Laporan Saya").click()
    rows = page.locator("table.my-reports tbody tr")
    expect(rows).to_have_count(3)
    article_row = rows.filter(has_text=article.title)
    expect(article_row).to_contain_text("Hoaks / fitnah")
    expect(article_row).to_contain_text("Menunggu ditinjau moderator.")

    # A day later: the author was invited to give their side and let the wait pass.
    let_the_reply_wait_pass(Case.objects.get(article=article))

    # The moderator signs in to the admin and works the queue.
    moderator_page = new_context().new_page()
    admin_sign_in(moderator_page, moderator)
    moderator_page.get_by_role("link", name="Kasus laporan").first.click()
    expect(moderator_page.locator("h1")).to_have_text("Antrean moderasi")
    queue = moderator_page.locator("#result_list tbody tr")
    expect(queue).to_have_count(3)
    expect(queue.filter(has_text=comment.body).filter(has_text="@joni")).to_have_count(1)
    expect(queue.filter(has_text="@sari")).to_have_count(2)  # the article and the account
    queue.filter(has_text=article.title).get_by_role("link").first.click()
    expect(moderator_page.locator(".case-reports")).to_contain_text("Angka anggarannya")
    act_on_case(
        moderator_page,
        "hide",
        button="Sembunyikan",
        done="Disembunyikan",
        reason=HIDE_REASON,
        rule="Hoaks / fitnah",
    )
    expect(moderator_page.locator("[data-case-status]")).not_to_have_attribute(
        "data-case-status", "open"
    )

    # The reader sees the outcome on Laporan Saya.
    page.reload()
    article_row = page.locator("table.my-reports tbody tr").filter(has_text=article.title)
    expect(article_row).to_contain_text("Disembunyikan")
    expect(article_row).to_contain_text("Pelanggaran: Hoaks / fitnah")
    expect(article_row).to_contain_text(HIDE_REASON)

    # The author sees the notice on their dashboard.
    writer_context = new_context()
    sign_in(writer_context, writer, live_server.url)
    writer_page = writer_context.new_page()
    writer_page.goto("/tulisan-saya/")
    notices = writer_page.get_by_role("region", name="Pemberitahuan dari Moderator")
    expect(notices).to_contain_text(
        f"Artikel Anda “{article.title}” disembunyikan oleh moderator setelah ditinjau."
    )
    expect(notices).to_contain_text(f"Alasan moderator: {HIDE_REASON}")

    # The public sees the notice page in place of the article.
    public_page = new_context().new_page()
    response = public_page.goto(article.get_absolute_url())
    assert response.status == 410
    expect(public_page.get_by_role("heading", level=1)).to_have_text(
        "Artikel ini telah disembunyikan"
    )
    expect(public_page.locator("main")).to_contain_text(HIDE_REASON)
    expect(public_page.locator("main")).not_to_contain_text("Halaman 1:")

    # The moderator restores it, and the article is back for everyone.
    act_on_case(
        moderator_page, "restore", button="Pulihkan", done="Dipulihkan", reason=RESTORE_REASON
    )
    # The same visitor comes back to the same address.
    response = public_page.goto(article.get_absolute_url())
    assert response.status == 200, (
        f"the restored article still answers {response.status} to a visitor who saw the "
        f"notice (Cache-Control: {response.headers.get('cache-control')!r})"
    )
    expect(public_page.get_by_role("heading", level=1)).to_have_text(article.title)
    writer_page.reload()
    expect(notices).to_contain_text(
        f"Artikel Anda “{article.title}” ditampilkan kembali setelah ditinjau."
    )

    actions = list(
        ModerationAction.objects.filter(case__article=article).order_by("created_at", "pk")
    )
    assert [(a.kind, a.moderator, a.public_reason) for a in actions] == [
        (ModerationAction.Kind.HIDE, moderator, HIDE_REASON),
        (ModerationAction.Kind.RESTORE, moderator, RESTORE_REASON),
    ]
