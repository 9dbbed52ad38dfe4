"""Splitting a sanitised article body into reading pages (HALAMAN : 1 2 3 4)."""

from html.parser import HTMLParser

from .sanitizer import PAGE_BREAK

VOID_ELEMENTS = frozenset({"br", "hr", "img"})


class _TopLevelBoundaries(HTMLParser):
    """Records the offsets where a top-level element ends: safe places to cut."""

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.boundaries: list[int] = []
        self._line_offsets: list[int] = [0]

    def feed_html(self, html: str) -> list[int]:
        offset = 0
        for line in html.splitlines(keepends=True):
            offset += len(line)
            self._line_offsets.append(offset)
        self.feed(html)
        self.close()
        return self.boundaries

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_offsets[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag not in VOID_ELEMENTS:
            self.depth += 1
        elif self.depth == 0:
            self.boundaries.append(self._offset() + len(self.get_starttag_text()))

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        self.depth = max(self.depth - 1, 0)
        if self.depth == 0:
            raw = self.rawdata
            end = raw.index(">", self._offset()) + 1
            self.boundaries.append(end)


def split_into_pages(html: str, target_chars: int) -> list[str]:
    """Split at explicit page breaks; a long body without any is cut between paragraphs.

    Always returns at least one page. Each page is whole elements of the input,
    so a cut never falls inside a tag or a list.
    """
    if PAGE_BREAK in html:
        pages = [page.strip() for page in html.split(PAGE_BREAK)]
        return [page for page in pages if page] or [""]
    if len(html) <= target_chars * 1.5:
        return [html]
    pages: list[str] = []
    start = 0
    for boundary in _TopLevelBoundaries().feed_html(html):
        if boundary - start >= target_chars:
            pages.append(html[start:boundary].strip())
            start = boundary
    rest = html[start:].strip()
    if rest:
        # A short tail joins the page before it rather than standing alone.
        if pages and len(rest) < target_chars / 3:
            pages[-1] = pages[-1] + rest
        else:
            pages.append(rest)
    return [page for page in pages if page] or [html]
