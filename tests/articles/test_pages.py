"""Splitting a sanitised body into reading pages (HALAMAN : 1 2 3 4)."""

import re
from html.parser import HTMLParser

import pytest

from articles.pages import split_into_pages
from articles.sanitizer import PAGE_BREAK, sanitize_html

VOID = {"br", "hr", "img"}


class _Balance(HTMLParser):
    """Checks that a fragment opens and closes its elements in order, and notes
    which elements sit at the top level."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.balanced = True
        self.top_level: list[str] = []

    def handle_starttag(self, tag, attrs):
        if not self.stack:
            self.top_level.append(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if not self.stack or self.stack.pop() != tag:
            self.balanced = False


def parse(fragment):
    parser = _Balance()
    parser.feed(fragment)
    parser.close()
    return parser


def assert_whole_elements(page):
    parsed = parse(page)
    assert parsed.balanced and not parsed.stack, page[:80]
    # A page starts with a tag, never in the middle of one or of its text.
    assert page.startswith("<"), page[:80]
    assert page.endswith(">"), page[-80:]


def paragraph(number, words=40):
    return f"<p>Paragraf {number} " + "kata " * words + "</p>"


def test_explicit_markers_give_exactly_that_many_pages():
    body = PAGE_BREAK.join(paragraph(i) for i in range(4))
    pages = split_into_pages(body, target_chars=4000)
    assert pages == [paragraph(i) for i in range(4)]


def test_markers_split_even_a_short_body():
    pages = split_into_pages(f"<p>a</p>{PAGE_BREAK}<p>b</p>", target_chars=4000)
    assert pages == ["<p>a</p>", "<p>b</p>"]


def test_empty_pages_between_markers_are_dropped():
    body = f"{PAGE_BREAK}<p>a</p>{PAGE_BREAK}{PAGE_BREAK}\n  {PAGE_BREAK}<p>b</p>{PAGE_BREAK}"
    assert split_into_pages(body, target_chars=4000) == ["<p>a</p>", "<p>b</p>"]


@pytest.mark.parametrize(
    "body",
    [
        "<blockquote><p>Kutipan satu</p><hr><p>Kutipan dua</p></blockquote>",
        '<ul><li>Butir satu<hr class="page-break">butir dua</li></ul>',
        "<table><tr><td>Sel satu<hr>sel dua</td></tr></table>",
    ],
    ids=["blockquote", "list", "table"],
)
def test_a_marker_inside_an_element_never_cuts_that_element(body):
    # The editor's rule can land inside a quote, a list or a table cell. A cut
    # there would leave the element open on one page (a table would swallow
    # the rest of the page) and a stray closing tag on the next.
    html = "<p>Pembuka</p>" + sanitize_html(body) + f"{PAGE_BREAK}<p>Penutup</p>"
    pages = split_into_pages(html, target_chars=4000)
    for page in pages:
        assert_whole_elements(page)
    assert pages[-1] == "<p>Penutup</p>"


def test_body_of_only_markers_is_one_empty_page():
    assert split_into_pages(PAGE_BREAK * 3, target_chars=4000) == [""]


def test_markers_come_through_the_sanitiser_and_split_the_body():
    body = sanitize_html('<p>a</p><hr class="page-break"><p>b</p><hr class="page-break"><p>c</p>')
    assert len(split_into_pages(body, target_chars=4000)) == 3


def test_short_body_is_one_page():
    body = "".join(paragraph(i) for i in range(3))
    assert split_into_pages(body, target_chars=4000) == [body]


def test_empty_body_is_one_page():
    assert split_into_pages("", target_chars=4000) == [""]


def test_long_body_is_cut_between_top_level_elements():
    body = "".join(paragraph(i) for i in range(40))
    pages = split_into_pages(body, target_chars=1000)
    assert len(pages) > 3
    assert "".join(pages) == body
    for page in pages:
        assert_whole_elements(page)
        assert set(parse(page).top_level) == {"p"}


def test_long_body_pages_are_near_the_target_length():
    body = "\n".join(paragraph(i) for i in range(40))
    pages = split_into_pages(body, target_chars=1000)
    assert all(len(page) >= 1000 for page in pages[:-1])
    assert all(len(page) < 1000 + len(paragraph(0)) + 2 for page in pages[:-1])


def test_no_page_is_cut_inside_a_list_or_a_blockquote():
    items = "".join(f"<li>Butir {i} " + "isi " * 30 + "</li>" for i in range(12))
    quote = "<blockquote>" + "".join(paragraph(i, words=30) for i in range(8)) + "</blockquote>"
    body = (
        "".join(paragraph(i) for i in range(6))
        + f"<ul>{items}</ul>"
        + "".join(paragraph(i) for i in range(6, 12))
        + quote
        + "".join(paragraph(i) for i in range(12, 18))
    )
    pages = split_into_pages(body, target_chars=800)
    assert "".join(pages) == body
    for page in pages:
        assert_whole_elements(page)
    # The list and the quote each sit whole on one page.
    assert sum(f"<ul>{items}</ul>" in page for page in pages) == 1
    assert sum(quote in page for page in pages) == 1


def test_top_level_images_and_breaks_are_safe_cut_points():
    body = "".join(
        paragraph(i) + f'<img src="/media/body/2026/12/{i:032x}-800x600.jpg" alt="foto {i}">'
        for i in range(30)
    )
    pages = split_into_pages(sanitize_html(body), target_chars=700)
    assert len(pages) > 3
    for page in pages:
        assert_whole_elements(page)


def test_short_tail_joins_the_previous_page():
    # Two pages' worth, then a tail far shorter than a third of a page.
    body = "".join(paragraph(i) for i in range(10)) + "<p>Penutup.</p>"
    pages = split_into_pages(body, target_chars=1000)
    assert pages[-1].endswith(paragraph(9) + "<p>Penutup.</p>")
    assert "<p>Penutup.</p>" not in pages[:-1]
    assert all(page != "<p>Penutup.</p>" for page in pages)


def test_long_tail_gets_its_own_page():
    body = "".join(paragraph(i) for i in range(10)) + paragraph(99, words=150)
    pages = split_into_pages(body, target_chars=1000)
    assert pages[-1] == paragraph(99, words=150)


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_unicode_line_separators_in_text_do_not_shift_the_cuts(separator):
    # Text pasted from word processors carries U+2028 and friends. The cut
    # points must still fall between elements, never inside a tag or a word,
    # whatever the page length.
    body = sanitize_html(
        "\n".join(
            f"<p>Baris {i}{separator}lanjut " + "kata " * 20 + "</p>\n"
            f'<img src="/media/body/2026/12/{i:032x}-800x600.jpg" alt="foto {i}">'
            for i in range(40)
        )
    )
    assert separator in body
    for target_chars in range(300, 1000, 50):
        pages = split_into_pages(body, target_chars=target_chars)
        assert len(pages) > 1
        assert re.sub(r"\s", "", "".join(pages)) == re.sub(r"\s", "", body)
        for page in pages:
            assert_whole_elements(page)
