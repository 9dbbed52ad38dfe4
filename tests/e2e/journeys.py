"""The journeys people make, written once and walked with and without JavaScript.

Labels are what the reader sees in each language; the Indonesian ones are the
product's (PRODUCT.md), so a changed translation fails here.
"""

import re
from dataclasses import dataclass

from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from comments.models import Comment

# Set on the window before an action: still set afterwards means no page load happened.
STAY_MARKER = "() => { window.__e2eStayed = true; }"
STAYED = "() => window.__e2eStayed === true"


@dataclass(frozen=True)
class ReaderLabels:
    language: str
    topics: str
    list_pages: str
    next_page: str
    article_pages: str
    page_label: str
    show_all: str
    view_photo: str
    close_photo: str
    more: str
    close: str
    see_more: str  # with {topic}


READER_LABELS = {
    "id": ReaderLabels(
        language="id",
        topics="Topik",
        list_pages="Halaman",
        next_page="Berikutnya »",
        article_pages="Halaman artikel",
        page_label="HALAMAN :",
        show_all="Tampilkan semua",
        view_photo="Lihat foto",
        close_photo="Tutup foto",
        more="Selanjutnya",
        close="Tutup",
        see_more="Lihat Konten {topic} Selengkapnya",
    ),
    "en": ReaderLabels(
        language="en",
        topics="Topics",
        list_pages="Pages",
        next_page="Next »",
        article_pages="Article pages",
        page_label="PAGE :",
        show_all="Show all",
        view_photo="View photo",
        close_photo="Close the photo",
        more="More",
        close="Close",
        see_more="See more {topic} content",
    ),
}


def url_in(language: str, name: str, *args) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def exact(text: str) -> re.Pattern:
    """The whole text, ignoring case and surrounding space."""
    return re.compile(rf"^\s*{re.escape(text)}\s*$", re.IGNORECASE)


def ends_with(path: str) -> re.Pattern:
    return re.compile(rf"^[^?#]*{re.escape(path)}(#.*)?$")


def read_reference_article(page, article, labels: ReaderLabels, *, javascript: bool = True) -> None:
    """Home → Politik → its second page → the article → pages 1 to 4 → show all →
    the full-size photo → the author's bio open and closed → more from Kebijakan."""
    language = labels.language
    page.goto(url_in(language, "articles:home"))
    expect(page.locator("html")).to_have_attribute("lang", language)

    topics = page.get_by_role("navigation", name=labels.topics, exact=True)
    topics.get_by_role("link", name="Politik", exact=True).click()
    expect(page).to_have_url(ends_with(url_in(language, "articles:topic", "politik")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Politik")

    pagination = page.get_by_role("navigation", name=labels.list_pages, exact=True)
    pagination.get_by_role("link", name=labels.next_page).click()
    expect(page).to_have_url(re.compile(r"\?halaman=2$"))
    expect(pagination.locator("[aria-current=page]")).to_have_text("2")

    page.get_by_role("link", name=article.title, exact=True).click()
    first_page = url_in(language, "articles:detail", article.pk, article.slug)
    expect(page).to_have_url(ends_with(first_page))
    expect(page.get_by_role("heading", level=1)).to_have_text(article.title)

    body = page.locator(".article-body")
    pages = page.get_by_role("navigation", name=labels.article_pages, exact=True)
    expect(pages).to_contain_text(labels.page_label)
    expect(body).to_contain_text("Halaman 1:")
    expect(pages.locator("[aria-current=page]")).to_have_text("1")
    for number in (2, 3, 4):
        pages.get_by_role("link", name=str(number), exact=True).click()
        expect(page).to_have_url(
            ends_with(url_in(language, "articles:page", article.pk, article.slug, number))
        )
        expect(pages.locator("[aria-current=page]")).to_have_text(str(number))
        expect(body).to_contain_text(f"Halaman {number}:")
        expect(body).not_to_contain_text(f"Halaman {number - 1}:")

    pages.get_by_role("link", name=exact(labels.show_all)).click()
    expect(page).to_have_url(
        ends_with(url_in(language, "articles:all_pages", article.pk, article.slug))
    )
    for number in (1, 2, 3, 4):
        expect(body).to_contain_text(f"Halaman {number}:")

    # Lihat foto: the cover as uploaded, not the smaller rendition on the page.
    photo = page.get_by_role("link", name=labels.view_photo, exact=True)
    expect(photo).to_have_attribute("href", article.cover.url)
    if not javascript:
        photo.click()
        expect(page).to_have_url(ends_with(article.cover.url))
        assert page.locator("img").evaluate("img => [img.naturalWidth, img.naturalHeight]") == [
            1600,
            900,
        ]
        page.go_back()
    else:
        _view_photo_in_place(page, photo, article, labels)
    expect(page).to_have_url(
        ends_with(url_in(language, "articles:all_pages", article.pk, article.slug))
    )

    # The bio is a <details>: it opens and closes with or without JavaScript.
    bio = page.locator("details.author-bio")
    full_bio = bio.locator(".bio-full")
    expect(bio).to_have_js_property("open", False)
    expect(full_bio).to_be_hidden()
    expect(bio.get_by_text(labels.close, exact=True)).to_be_hidden()
    expect(bio.locator("summary")).to_contain_text(labels.more)
    bio.get_by_text(labels.more, exact=True).click()
    expect(bio).to_have_js_property("open", True)
    expect(full_bio).to_be_visible()
    expect(full_bio).to_contain_text(article.author.bio.split(".")[-2].strip())
    expect(bio.get_by_text(labels.more, exact=True)).to_be_hidden()
    bio.get_by_text(labels.close, exact=True).click()
    expect(bio).to_have_js_property("open", False)
    expect(full_bio).to_be_hidden()

    page.get_by_role("link", name=labels.see_more.format(topic="Kebijakan"), exact=True).click()
    expect(page).to_have_url(ends_with(url_in(language, "articles:topic", "kebijakan")))
    expect(page.get_by_role("heading", level=1)).to_have_text("Kebijakan")
    expect(page.get_by_role("link", name=article.title, exact=True)).to_be_visible()


# --- Commenting -------------------------------------------------------------------


def _view_photo_in_place(page, photo, article, labels: ReaderLabels) -> None:
    """Lihat foto opens the full image over the page; closing it returns to the link."""
    photo.click()
    lightbox = page.get_by_role("dialog")
    expect(lightbox).to_be_visible()
    full = lightbox.locator("img")
    expect(full).to_have_attribute("src", re.compile(re.escape(article.cover.url) + "$"))
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=full.element_handle())
    assert full.evaluate("img => [img.naturalWidth, img.naturalHeight]") == [1600, 900]
    lightbox.get_by_role("button", name=labels.close_photo).click()
    expect(lightbox).to_have_count(0)
    expect(photo).to_be_focused()


def comment_box(page, comment):
    return page.locator(f"#{comment.anchor}")


def _latest_comment_by(user) -> Comment:
    return Comment.objects.filter(author=user).latest("created_at", "pk")


def _submit_comment_form(page, form, text: str, *, button: str, javascript: bool) -> None:
    form.get_by_label("Komentar Anda").fill(text)
    if javascript:
        page.evaluate(STAY_MARKER)
        with page.expect_response(lambda r: r.request.method == "POST") as posted:
            form.get_by_role("button", name=button, exact=True).click()
        assert posted.value.status == 201, f"{posted.value.url} answered {posted.value.status}"
    else:
        form.get_by_role("button", name=button, exact=True).click()
        expect(page.locator(".messages")).to_be_visible()


def post_comment(page, article, text: str, *, javascript: bool) -> None:
    page.goto(article.get_absolute_url())
    form = page.locator("#komentar > form.comment-form")
    _submit_comment_form(page, form, text, button="Kirim", javascript=javascript)
    if javascript:
        assert page.evaluate(STAYED), "posting a comment reloaded the page"
    else:
        expect(page.locator(".messages")).to_contain_text("Komentar Anda telah terkirim.")
    expect(page.locator(".comment-list .comment").first).to_contain_text(text)


def reply_to(page, article, parent: Comment, text: str, *, javascript: bool) -> None:
    """Balas: with JavaScript the form opens inside the comment; without, on its own page."""
    page.goto(article.get_absolute_url())
    parent_box = comment_box(page, parent)
    if javascript:
        page.evaluate(STAY_MARKER)
        parent_box.get_by_role("link", name="Balas", exact=True).click()
        form = parent_box.locator("form.comment-form")
        expect(form).to_be_visible()
        expect(form.get_by_label("Komentar Anda")).to_be_focused()
        assert page.evaluate(STAYED), "the reply form did not open in place"
        _submit_comment_form(page, form, text, button="Kirim", javascript=True)
        assert page.evaluate(STAYED), "sending a reply reloaded the page"
        expect(form).to_have_count(0)
    else:
        parent_box.get_by_role("link", name="Balas", exact=True).click()
        expect(page).to_have_url(ends_with(reverse("comments:reply", args=[parent.pk])))
        expect(page.get_by_role("heading", level=1)).to_have_text(f"Balas {parent.author.name}")
        form = page.locator("form.comment-form")
        _submit_comment_form(page, form, text, button="Kirim", javascript=False)
        expect(page.locator(".messages")).to_contain_text("Komentar Anda telah terkirim.")
    reply = Comment.objects.get(reply_to=parent, body=text)
    reply_box = comment_box(page, reply)
    expect(reply_box).to_contain_text(text)
    expect(reply_box).to_have_class(re.compile(rf"\bdepth-{parent.depth + 1}\b"))


def edit_comment(page, article, comment: Comment, text: str, *, javascript: bool) -> None:
    page.goto(article.get_absolute_url())
    box = comment_box(page, comment)
    box.get_by_role("link", name="Edit", exact=True).click()
    if javascript:
        form = box.locator("form.comment-form")
    else:
        expect(page).to_have_url(ends_with(reverse("comments:edit", args=[comment.pk])))
        form = page.locator("form.comment-form")
    expect(form.get_by_label("Komentar Anda")).to_have_value(comment.body)
    _submit_comment_form(page, form, text, button="Simpan", javascript=javascript)
    if not javascript:
        expect(page.locator(".messages")).to_contain_text("Komentar Anda telah diubah.")
    box = comment_box(page, comment)
    expect(box.locator(".comment-body")).to_have_text(text)
    expect(box.locator(".edited")).to_have_text("(diedit)")


def delete_comment(page, article, comment: Comment) -> None:
    """Hapus asks on a page of its own, with or without JavaScript."""
    page.goto(article.get_absolute_url())
    comment_box(page, comment).get_by_role("link", name="Hapus", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hapus komentar ini?")
    page.locator("main form").get_by_role("button", name="Hapus", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Komentar Anda telah dihapus.")
    box = comment_box(page, comment)
    expect(box).to_have_class(re.compile(r"\bis-removed\b"))
    expect(box).to_contain_text("Komentar ini telah dihapus.")
    expect(box).not_to_contain_text(comment.body)


def discuss(pages: dict, article, *, javascript: bool) -> list[Comment]:
    """Four readers talk under the article, each reply one level deeper; one edits
    their reply, the first deletes their comment, and the thread keeps its shape.

    Four people, because the site lets each reader comment once per 15 seconds.
    """
    ani, budi, citra, dedi = pages
    post_comment(pages[ani], article, "Data yang dipakai sudah terbaru?", javascript=javascript)
    top = _latest_comment_by(ani)
    # The heading counts the new comment at once, with or without a reload.
    expect(pages[ani].locator("#comments-title")).to_contain_text("(1 komentar)")
    chain = [top]
    for person, text in (
        (budi, "Sudah, dari laporan dinas tahun ini."),
        (citra, "Tautannya ada di halaman kedua."),
        (dedi, "Terima kasih, sudah ketemu."),
    ):
        reply_to(pages[person], article, chain[-1], text, javascript=javascript)
        chain.append(_latest_comment_by(person))
    assert [comment.depth for comment in chain] == [0, 1, 2, 3]

    edit_comment(
        pages[budi],
        article,
        chain[1],
        "Sudah, dari laporan dinas perhubungan tahun ini.",
        javascript=javascript,
    )
    delete_comment(pages[ani], article, top)

    # Anyone reloading sees the same thread: the placeholder keeps its replies in order.
    page = pages[dedi]
    # Not "#komentar": a URL that differs only in its fragment would not reload.
    page.goto(article.get_absolute_url())
    comments = page.locator(".comment-list .comment")
    expect(comments).to_have_count(4)
    expect(comments.nth(0)).to_have_class(re.compile(r"\bdepth-0\b.*\bis-removed\b"))
    expect(comments.nth(0)).to_contain_text("Komentar ini telah dihapus.")
    for index, comment in enumerate(chain[1:], start=1):
        expect(comments.nth(index)).to_have_class(re.compile(rf"\bdepth-{index}\b"))
        expect(comments.nth(index)).to_have_attribute("id", comment.anchor)
    expect(comments.nth(1)).to_contain_text("(diedit)")

    for comment in chain:
        comment.refresh_from_db()
    assert [comment.status for comment in chain] == [
        Comment.Status.DELETED,
        Comment.Status.VISIBLE,
        Comment.Status.VISIBLE,
        Comment.Status.VISIBLE,
    ]
    assert chain[1].edited_at is not None
    assert chain[1].body == "Sudah, dari laporan dinas perhubungan tahun ini."
    return chain
