"""The demo corpus: articles written for Kolom Warga, one text file each in ``demo/articles/``.

A file is a few ``key: value`` lines, a blank line, the body, and optionally a
``%% komentar`` section with the conversation under the article:

    judul: Harga Cabai dan Kalkulator di Kepala Ibu Saya
    topik: ekonomi
    tag: harga pangan, keluarga
    ringkasan: One or two sentences for the cards (optional).
    bahasa: en                 (optional; Indonesian otherwise)
    status: draft              (optional)
    ralat: the correction note (optional; published with the old/new pair below)
    ralat-ganti: wrong words => right words
    sembunyikan: hoax          (optional: a moderator hides it under this rule)
    pekerjaan: teacher         (optional: written by a demo author of this occupation)

The body is plain text: blank lines between blocks, ``## `` a heading,
``> `` a quotation, ``- `` list items, ``---`` a page break (a new HALAMAN), and
``*word*`` / ``**word**`` emphasis. In a poem (topic ``puisi``) each line of a
stanza keeps its line break.

In ``%% komentar``, ``- `` starts a comment by a reader, ``- `` indented by two
more spaces a reply to the line above it, and ``penulis:`` after the dash marks
the article's own author answering.

No database access here: the seed command decides who wrote what and when.
"""

import html
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from articles.sanitizer import PAGE_BREAK

ARTICLES_DIR = Path(__file__).resolve().parent / "articles"
COMMENTS_MARKER = "%% komentar"
AUTHOR_PREFIX = "penulis:"
POEM_TOPICS = frozenset({"puisi"})
KNOWN_KEYS = frozenset(
    {
        "judul",
        "topik",
        "tag",
        "ringkasan",
        "bahasa",
        "status",
        "ralat",
        "ralat-ganti",
        "sembunyikan",
        "pekerjaan",
    }
)

_STRONG = re.compile(r"\*\*(.+?)\*\*")
_EMPHASIS = re.compile(r"\*(.+?)\*")


@dataclass(frozen=True)
class DemoComment:
    body: str
    by_author: bool = False
    replies: tuple["DemoComment", ...] = ()


@dataclass(frozen=True)
class DemoArticle:
    key: str  # the file name without its extension
    title: str
    topic: str  # a topic slug
    tags: tuple[str, ...]
    excerpt: str
    body: str  # HTML as the editor would produce it
    language: str = "id"
    draft: bool = False
    correction: str = ""
    correction_change: tuple[str, str] | None = None  # (wrong, right) in the body
    hide_rule: str = ""
    occupation: str = ""  # an accounts.models.Occupation value, or any author
    comments: tuple[DemoComment, ...] = field(default=())

    @property
    def pages(self) -> int:
        return self.body.count(PAGE_BREAK) + 1


class CorpusError(ValueError):
    pass


def inline(text: str) -> str:
    """Escaped text with ``**strong**`` and ``*emphasis*``."""
    text = html.escape(text, quote=False)
    text = _STRONG.sub(r"<strong>\1</strong>", text)
    return _EMPHASIS.sub(r"<em>\1</em>", text)


def body_html(text: str, *, poem: bool = False) -> str:
    blocks = [block.strip("\n") for block in re.split(r"\n\s*\n", text.strip())]
    out = []
    for block in blocks:
        lines = [line.strip() for line in block.splitlines() if line.strip()]
        if not lines:
            continue
        if lines == ["---"]:
            out.append(PAGE_BREAK)
        elif lines[0].startswith("## "):
            out.append(f"<h2>{inline(lines[0][3:])}</h2>")
            if lines[1:]:
                out.append(f"<p>{inline(' '.join(lines[1:]))}</p>")
        elif all(line.startswith("> ") or line == ">" for line in lines):
            quoted = " ".join(line[2:] for line in lines)
            out.append(f"<blockquote><p>{inline(quoted)}</p></blockquote>")
        elif all(line.startswith("- ") for line in lines):
            items = "".join(f"<li>{inline(line[2:])}</li>" for line in lines)
            out.append(f"<ul>{items}</ul>")
        elif poem:
            out.append(f"<p>{'<br>'.join(inline(line) for line in lines)}</p>")
        else:
            out.append(f"<p>{inline(' '.join(lines))}</p>")
    return "\n".join(out)


def parse_comments(text: str, key: str) -> tuple[DemoComment, ...]:
    """Comments and replies; two more spaces of indentation answer the line above."""
    roots: list[dict] = []
    stack: list[dict] = []  # the latest comment at each depth
    for raw in text.splitlines():
        if not raw.strip():
            continue
        stripped = raw.strip()
        depth = (len(raw) - len(raw.lstrip(" "))) // 2
        if not stripped.startswith("- "):
            raise CorpusError(f"{key}: a comment line must start with '- ': {raw!r}")
        if depth > len(stack):
            raise CorpusError(f"{key}: a reply with nothing to answer: {raw!r}")
        body = stripped[2:]
        node = {
            "body": body.removeprefix(AUTHOR_PREFIX).strip(),
            "by_author": body.startswith(AUTHOR_PREFIX),
            "replies": [],
        }
        del stack[depth:]
        (stack[-1]["replies"] if stack else roots).append(node)
        stack.append(node)

    def freeze(node: dict) -> DemoComment:
        return DemoComment(node["body"], node["by_author"], tuple(map(freeze, node["replies"])))

    return tuple(map(freeze, roots))


def parse(text: str, key: str) -> DemoArticle:
    head, _, rest = text.partition("\n\n")
    meta = {}
    for line in head.splitlines():
        name, sep, value = line.partition(":")
        name = name.strip()
        if not sep or name not in KNOWN_KEYS:
            raise CorpusError(f"{key}: unknown header line {line!r}")
        meta[name] = value.strip()
    for required in ("judul", "topik", "tag"):
        if not meta.get(required):
            raise CorpusError(f"{key}: {required!r} is missing")
    body, _, comments = rest.partition(COMMENTS_MARKER)
    change = None
    if meta.get("ralat-ganti"):
        wrong, sep, right = meta["ralat-ganti"].partition("=>")
        if not sep:
            raise CorpusError(f"{key}: ralat-ganti needs 'wrong => right'")
        change = (wrong.strip(), right.strip())
    article = DemoArticle(
        key=key,
        title=meta["judul"],
        topic=meta["topik"],
        tags=tuple(tag.strip().lower() for tag in meta["tag"].split(",") if tag.strip()),
        excerpt=meta.get("ringkasan", ""),
        body=body_html(body, poem=meta["topik"] in POEM_TOPICS),
        language=meta.get("bahasa", "id"),
        draft=meta.get("status") == "draft",
        correction=meta.get("ralat", ""),
        correction_change=change,
        hide_rule=meta.get("sembunyikan", ""),
        occupation=meta.get("pekerjaan", ""),
        comments=parse_comments(comments, key),
    )
    if change and change[0] not in article.body:
        raise CorpusError(f"{key}: the correction's wrong words are not in the body")
    return article


@cache
def articles() -> tuple[DemoArticle, ...]:
    """Every article of the corpus, in file name order."""
    return tuple(
        parse(path.read_text(encoding="utf-8"), path.stem)
        for path in sorted(ARTICLES_DIR.glob("*.txt"))
    )


def all_tags() -> set[str]:
    return {tag for article in articles() for tag in article.tags}


def comment_texts() -> list[str]:
    """Every comment and reply of the corpus, once each, in a stable order."""
    texts: list[str] = []

    def collect(comment: DemoComment) -> None:
        texts.append(comment.body)
        for reply in comment.replies:
            collect(reply)

    for article in articles():
        for comment in article.comments:
            collect(comment)
    return list(dict.fromkeys(texts))
