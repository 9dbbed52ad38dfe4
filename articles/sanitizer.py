"""The one place user HTML is cleaned. Nothing else in the project calls bleach.

Two entry points share one allowlist policy:

- ``sanitize_html`` for rich text written in the editor (article bodies);
- ``plain_text_to_html`` for plain text (comments): escaped, split into
  paragraphs, URLs linked.

Both run once, when the text is saved; templates mark only their output safe.
"""

import re
from functools import partial
from html import unescape

import bleach
from bleach.html5lib_shim import Filter
from bleach.linkifier import LinkifyFilter
from django.utils.html import escape, strip_tags

from .bodyimages import Video, image_attributes, own_image_name, video_from_url

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
        "a", "ul", "ol", "li", "blockquote", "hr", "img", "figure", "figcaption",
        "code", "pre", "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})
LINK_REL = "nofollow ugc noopener"

# The page marker the article page splits on, exactly as the sanitiser emits it.
# Every horizontal rule is a page break: the editor's horizontal-line button is
# how an author starts a new page.
PAGE_BREAK = '<hr class="page-break">'

# Elements whose content is not prose: removed together with their content
# before bleach runs, so "<script>alert(1)</script>" leaves nothing behind
# instead of the harmless but ugly text "alert(1)".
_DROP_WITH_CONTENT = re.compile(
    r"<(script|style|template|noscript|iframe|object|embed|svg|math|title|textarea|select"
    r"|xmp|noembed|noframes|head)\b[^>]*>.*?</\1\s*>",
    re.IGNORECASE | re.DOTALL,
)


# The stored form of a video (README, "Writing"): the article page's ``embeds``
# filter turns it into the click-to-load placeholder; elsewhere (feeds, the
# API, the fediverse) it is a plain link.
VIDEO_MARKER_CLASS = "video-embed"


def _allowed_attribute(tag: str, name: str, value: str) -> bool:
    if tag == "a":
        return name in {"href", "title"}
    if tag == "img":
        # The source is judged by _BodyMediaFilter: only the site's own photos stay.
        return name in {"src", "alt", "title"}
    if tag == "hr":
        return name == "class" and value == "page-break"
    if tag == "figure":
        # A video's marker, as _BodyMediaFilter writes it (so sanitising twice
        # keeps it; written by hand it says no more than the pasted address).
        if name == "class":
            return value == VIDEO_MARKER_CLASS
        return name == "data-video" and Video.from_marker(value) is not None
    if tag in {"th", "td"}:
        return name in {"colspan", "rowspan"} and value.isdigit()
    return False


# A trusted writer's links (trust level Tepercaya, README "Trust and spam") pass
# on their reputation: no nofollow/ugc, still noopener.
TRUSTED_LINK_REL = "noopener"


def _link_rel_setter(rel: str):
    def set_link_rel(attrs, new=False):
        href_key = (None, "href")
        if href_key not in attrs:
            return attrs
        attrs[(None, "rel")] = rel
        return attrs

    return set_link_rel


class _BodyMediaFilter(Filter):
    """Runs after the allowlist and linkify, on what they let through.

    - ``<img>``: kept only when it points at a photo the site stored
      (articles.bodyimages), then with that photo's own URL, size and srcset;
      any other image (another site's, a guess, data:) is dropped.
    - A paragraph that holds nothing but a link to a YouTube or Vimeo video
      becomes the video's marker figure; the link's text, when it is not the
      address itself, is the video's title.
    """

    def __iter__(self):
        paragraph = None
        for token in super().__iter__():
            if token["type"] == "EmptyTag" and token["name"] == "img":
                token = self._own_image(token)
                if token is None:
                    continue
            if paragraph is not None:
                paragraph.append(token)
                if token["type"] == "EndTag" and token["name"] == "p":
                    yield from self._video_or(paragraph)
                    paragraph = None
                continue
            if token["type"] == "StartTag" and token["name"] == "p":
                paragraph = [token]
                continue
            yield token
        if paragraph is not None:
            yield from paragraph

    @staticmethod
    def _own_image(token):
        name = own_image_name(token["data"].get((None, "src"), ""))
        if name is None:
            return None
        attributes = {(None, "alt"): token["data"].get((None, "alt"), "")}
        if (None, "title") in token["data"]:
            attributes[(None, "title")] = token["data"][(None, "title")]
        attributes.update({(None, key): value for key, value in image_attributes(name).items()})
        return {**token, "data": attributes}

    @staticmethod
    def _video_or(tokens):
        inner = [
            token
            for token in tokens[1:-1]
            if not (token["type"] == "SpaceCharacters" or (
                token["type"] == "Characters" and not token["data"].strip()
            ))
        ]  # fmt: skip
        is_link = (
            len(inner) >= 3
            and inner[0]["type"] == "StartTag"
            and inner[0]["name"] == "a"
            and inner[-1]["type"] == "EndTag"
            and inner[-1]["name"] == "a"
            and all(token["type"] in ("Characters", "Entity") for token in inner[1:-1])
        )
        video = video_from_url(inner[0]["data"].get((None, "href"), "")) if is_link else None
        if video is None:
            yield from tokens
            return
        text = "".join(token.get("data", "") for token in inner[1:-1]).strip()
        yield {
            "type": "StartTag",
            "name": "figure",
            "namespace": None,
            "data": {(None, "class"): VIDEO_MARKER_CLASS, (None, "data-video"): video.marker},
        }
        link = dict(inner[0]["data"])
        link[(None, "href")] = video.watch_url
        yield {**inner[0], "data": link}
        if "://" in text or video_from_url(f"https://{text}") is not None:
            yield {"type": "Characters", "data": video.watch_url}  # no title of its own
        else:
            yield from inner[1:-1]
        yield inner[-1]
        yield {"type": "EndTag", "name": "figure", "namespace": None}


def _html_cleaner_for(rel: str) -> bleach.Cleaner:
    return bleach.Cleaner(
        tags=ALLOWED_TAGS,
        attributes=_allowed_attribute,
        protocols=ALLOWED_PROTOCOLS,
        strip=True,
        strip_comments=True,
        filters=[
            partial(LinkifyFilter, callbacks=[_link_rel_setter(rel)], skip_tags={"pre", "code"}),
            _BodyMediaFilter,
        ],
    )


def _text_cleaner_for(rel: str) -> bleach.Cleaner:
    return bleach.Cleaner(
        tags={"p", "br", "a"},
        attributes={"a": ["href", "rel"]},
        protocols={"http", "https"},
        strip=True,
        filters=[partial(LinkifyFilter, callbacks=[_link_rel_setter(rel)], parse_email=False)],
    )


# Keyed on trusted_links: the same allowlist, only the links' rel differs.
_html_cleaners = {False: _html_cleaner_for(LINK_REL), True: _html_cleaner_for(TRUSTED_LINK_REL)}
_text_cleaners = {False: _text_cleaner_for(LINK_REL), True: _text_cleaner_for(TRUSTED_LINK_REL)}


# An opening tag of those elements that is never closed swallows the rest of
# the document in a browser's parser: drop it and everything after it too.
_DROP_UNCLOSED = re.compile(
    r"<(script|style|template|noscript|iframe|object|embed|svg|math|title|textarea|select"
    r"|xmp|noembed|noframes|head)\b.*\Z",
    re.IGNORECASE | re.DOTALL,
)


def _drop_dangerous_elements(html: str) -> str:
    previous = None
    while previous != html:
        previous = html
        html = _DROP_WITH_CONTENT.sub("", html)
    return _DROP_UNCLOSED.sub("", html)


def sanitize_html(html: str, *, trusted_links: bool = False) -> str:
    """Clean rich text from the editor against the allowlist; links get rel=nofollow ugc
    (only noopener with ``trusted_links``, for a Tepercaya writer)."""
    if not html:
        return ""
    cleaned = _html_cleaners[trusted_links].clean(_drop_dangerous_elements(html)).strip()
    return cleaned.replace("<hr>", PAGE_BREAK)


def plain_text_to_html(text: str, *, trusted_links: bool = False) -> str:
    """Turn plain text into safe HTML: escaped, paragraphs and line breaks kept, URLs linked.

    Markup typed by the writer shows as the characters they typed.
    """
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return ""
    paragraphs = [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
    html = "".join(
        "<p>" + escape(paragraph).replace("\n", "<br>") + "</p>" for paragraph in paragraphs
    )
    return _text_cleaners[trusted_links].clean(html)


_BLOCK_OR_BREAK = re.compile(
    r"<(?:/?(?:p|h[2-4]|li|blockquote|figcaption|td|th|pre)|br|hr)\b[^>]*>", re.I
)


def html_to_text(html: str) -> str:
    """Readable plain text of sanitised HTML: block boundaries become spaces,
    entities are decoded (templates escape it again), whitespace is collapsed."""
    spaced = _BLOCK_OR_BREAK.sub(" ", html or "")
    return " ".join(unescape(strip_tags(spaced)).split())
