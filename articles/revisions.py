"""What changed between two revisions of an article, for people to read (README,
"Writing"): the title and the body as plain text, paragraph by paragraph, and
word by word inside a changed paragraph. Plain strings only: the template
escapes every piece, so a revision's markup is never rendered."""

import difflib
import re
from dataclasses import dataclass

from .sanitizer import html_to_text, sanitize_html

_PARAGRAPH_END = re.compile(
    r"</(?:p|h[2-4]|li|blockquote|figcaption|td|th|pre)\s*>|<(?:br|hr)\b[^>]*>", re.I
)
SAME, ADDED, REMOVED = "same", "added", "removed"


@dataclass(frozen=True)
class Piece:
    kind: str  # SAME, ADDED or REMOVED
    text: str


@dataclass(frozen=True)
class Row:
    """One paragraph of the diff, or (kind SAME, ``skipped`` > 0) unchanged ones left out."""

    kind: str
    pieces: tuple[Piece, ...] = ()
    skipped: int = 0


def paragraphs(body: str) -> list[str]:
    """The body's paragraphs as plain text, as a reader sees them."""
    parts = _PARAGRAPH_END.split(sanitize_html(body or ""))
    return [text for text in (html_to_text(part) for part in parts) if text]


def diff_words(old: str, new: str) -> tuple[Piece, ...]:
    """Word by word: what stayed, what went and what came."""
    old_words, new_words = old.split(), new.split()
    pieces = []
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(Piece(SAME, " ".join(old_words[a1:a2])))
            continue
        if a2 > a1:
            pieces.append(Piece(REMOVED, " ".join(old_words[a1:a2])))
        if b2 > b1:
            pieces.append(Piece(ADDED, " ".join(new_words[b1:b2])))
    return tuple(pieces)


def diff_body(old: str, new: str) -> list[Row]:
    """Paragraph by paragraph; unchanged runs collapse to a count."""
    before, after = paragraphs(old), paragraphs(new)
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            rows.append(Row(SAME, skipped=a2 - a1))
        elif op == "replace" and a2 - a1 == b2 - b1:
            rows.extend(
                Row("changed", diff_words(old_par, new_par))
                for old_par, new_par in zip(before[a1:a2], after[b1:b2], strict=True)
            )
        else:
            rows.extend(Row(REMOVED, (Piece(REMOVED, text),)) for text in before[a1:a2])
            rows.extend(Row(ADDED, (Piece(ADDED, text),)) for text in after[b1:b2])
    return rows


@dataclass(frozen=True)
class RevisionDiff:
    title: tuple[Piece, ...]
    title_changed: bool
    excerpt: tuple[Piece, ...]
    excerpt_changed: bool
    body: list[Row]

    @property
    def body_changed(self) -> bool:
        return any(row.kind != SAME for row in self.body)


def compare(old, new) -> RevisionDiff:
    """The diff from ``old`` to ``new`` (revisions, or None for nothing before)."""
    old_title, old_excerpt, old_body = (
        (old.title, old.excerpt, old.body) if old is not None else ("", "", "")
    )
    return RevisionDiff(
        title=diff_words(old_title, new.title),
        title_changed=old_title != new.title,
        excerpt=diff_words(old_excerpt, new.excerpt),
        excerpt_changed=old_excerpt != new.excerpt,
        body=diff_body(old_body, new.body),
    )
