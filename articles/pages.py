"""Splitting a sanitised article body into reading pages (HALAMAN : 1 2 3 4)."""

from html.parser import HTMLParser

VOID_ELEMENTS = frozenset({"br", "hr", "img"})


class _TopLevelLayout(HTMLParser):
    """Finds safe cut points: where top-level elements end, and top-level page breaks.

    A page break nested inside another element (a list, a quote, a table) is
    not a cut point: cutting there would break that element in two.
    """

    def __init__(self):
        super().__init__(convert_charrefs=False)
        self.depth = 0
        self.boundaries: list[int] = []
        self.breaks: list[tuple[int, int]] = []  # (start, end) of each top-level marker
        self._line_starts: list[int] = [0]

    def parse(self, html: str) -> "_TopLevelLayout":
        # HTMLParser counts lines by "\n" only, so offsets must too (not splitlines,
        # which also splits on U+2028 and friends).
        position = html.find("\n")
        while position != -1:
            self._line_starts.append(position + 1)
            position = html.find("\n", position + 1)
        self.feed(html)
        self.close()
        return self

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag not in VOID_ELEMENTS:
            self.depth += 1
            return
        if self.depth == 0:
            start = self._offset()
            end = start + len(self.get_starttag_text())
            if tag == "hr" and ("class", "page-break") in attrs:
                self.breaks.append((start, end))
            else:
                self.boundaries.append(end)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag):
        if tag in VOID_ELEMENTS:
            return
        self.depth = max(self.depth - 1, 0)
        if self.depth == 0:
            self.boundaries.append(self.rawdata.index(">", self._offset()) + 1)


def split_into_pages(html: str, target_chars: int) -> list[str]:
    """Split at top-level page breaks; a long body without any is cut between
    top-level elements into pages of about ``target_chars``.

    Always returns at least one page, each made of whole elements of the input.
    """
    layout = _TopLevelLayout().parse(html)
    if layout.breaks:
        pages, start = [], 0
        for break_start, break_end in layout.breaks:
            pages.append(html[start:break_start].strip())
            start = break_end
        pages.append(html[start:].strip())
        return [page for page in pages if page] or [""]
    if len(html) <= target_chars * 1.5:
        return [html]
    pages = []
    start = 0
    for boundary in layout.boundaries:
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
