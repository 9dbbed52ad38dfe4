"""Reading a rendered page the way a browser's tokenizer does, and listing anything in it
that could run script: the one checker the XSS, CSP and error-page tests share.

A page may run only our own scripts: a ``<script>`` with the nonce the response's
Content-Security-Policy names and a source under STATIC_URL (or the admin's
JavaScript catalogue), or a JSON data block (``application/ld+json``,
``importmap``) that carries the nonce or is inert data. Everything else that
can execute, load a document, or change where the page's links and forms go is
reported.
"""

import json
import re
from html.parser import HTMLParser

from django.conf import settings

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:")
# Attributes a browser follows or loads as a URL.
URL_ATTRIBUTES = {
    "href", "src", "action", "formaction", "data", "poster", "background", "lowsrc",
    "dynsrc", "cite", "longdesc", "ping", "xlink:href", "codebase", "archive", "manifest",
    "icon", "usemap", "profile",
}  # fmt: skip
# Elements that run script, load another document or plugin, or change the
# page's base URL: none may appear anywhere on our pages.
FORBIDDEN_ELEMENTS = {
    "iframe", "frame", "frameset", "object", "embed", "applet", "param", "base", "svg",
    "math", "use", "template", "noscript", "xmp", "plaintext", "noembed", "noframes", "portal",
    "fencedframe", "isindex", "listing", "image", "animate", "set", "handler", "import",
}  # fmt: skip
FORBIDDEN_ATTRIBUTES = {"srcdoc", "formaction", "http-equiv", "xmlns:xlink", "is"}
# The admin draws its icons with inline SVG; nothing else on our pages is SVG.
ADMIN_SVG_CLASSES = {
    "base-svgs", "theme-icon-when-auto", "theme-icon-when-dark", "theme-icon-when-light",
}  # fmt: skip
LINK_RELS = {"stylesheet", "icon", "alternate", "canonical", "prev", "next", "modulepreload"}
JSON_SCRIPT_TYPES = {"application/ld+json", "importmap", "application/json"}
STYLE_DANGER = re.compile(
    r"expression\s*\(|javascript:|vbscript:|url\s*\(|@import|behavior|binding"
)


def normalised_url(value: str | None) -> str:
    """What a browser reads the scheme from: control characters and whitespace
    dropped, lower case. (The parser has decoded character references already.)"""
    return re.sub(r"[\x00-\x20\x7f-\x9f]+", "", value or "").lower()


def csp_nonce(response) -> str:
    """The nonce the response's Content-Security-Policy allows scripts with."""
    match = re.search(r"'nonce-([^']+)'", response.get("Content-Security-Policy", ""))
    return match.group(1) if match else ""


def _own_script_source(src: str) -> bool:
    path = re.sub(r"^https?://testserver", "", src)
    return (
        path.startswith(settings.STATIC_URL)
        or re.fullmatch(r"(/en)?/admin/jsi18n/", path) is not None
        # The editor's JavaScript catalogue (articles:editor_catalogue).
        or re.fullmatch(r"(/en)?/tulis/bahasa-editor\.js", path) is not None
    )


class _Audit(HTMLParser):
    def __init__(self, nonce: str):
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.problems: list[str] = []
        self.in_head = False
        self.admin_svg = False
        self.script: dict | None = None
        self.script_text: list[str] = []

    def problem(self, message: str) -> None:
        self.problems.append(message)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        shown = f"<{tag} {' '.join(f'{k}={v!r}' for k, v in attrs)}>"[:300]
        if tag == "head":
            self.in_head = True
        elif tag == "body":
            self.in_head = False
        if tag == "svg" and attributes.get("class") in ADMIN_SVG_CLASSES:
            self.admin_svg = True
        elif self.admin_svg and tag in {"use", "path", "symbol", "g", "defs"}:
            pass  # the admin's icon sprites; their attributes are checked below
        elif tag in FORBIDDEN_ELEMENTS:
            self.problem(f"forbidden element {shown}")
        if tag == "script":
            self._check_script(attributes, shown)
        if tag == "style" and not self.in_head:
            self.problem(f"style element outside the head {shown}")
        if tag == "meta" and "http-equiv" in attributes:
            self.problem(f"meta http-equiv {shown}")
        if tag == "link":
            rels = set((attributes.get("rel") or "").lower().split())
            if not rels or not rels <= LINK_RELS:
                self.problem(f"link of an unexpected kind {shown}")
        if tag == "form":
            action = attributes.get("action") or ""
            if action and not (action.startswith("/") and not action.startswith("//")):
                self.problem(f"form posting off the site {shown}")
        for name, value in attrs:
            name = name.lower()
            if name.startswith("on"):
                self.problem(f"event handler {name} in {shown}")
            if name in FORBIDDEN_ATTRIBUTES:
                self.problem(f"forbidden attribute {name} in {shown}")
            if name in URL_ATTRIBUTES and normalised_url(value).startswith(DANGEROUS_SCHEMES):
                self.problem(f"dangerous URL in {name} of {shown}")
            if name == "srcset" and any(
                normalised_url(part).startswith(DANGEROUS_SCHEMES)
                for part in (value or "").split(",")
            ):
                self.problem(f"dangerous URL in srcset of {shown}")
            if name == "style" and STYLE_DANGER.search((value or "").lower()):
                self.problem(f"dangerous style in {shown}")

    handle_startendtag = handle_starttag

    def _check_script(self, attributes: dict, shown: str) -> None:
        script_type = (attributes.get("type") or "").lower()
        src = attributes.get("src")
        if script_type in JSON_SCRIPT_TYPES and src is None:
            self.script = {"json": True, "shown": shown}
        elif attributes.get("nonce") != self.nonce or not self.nonce:
            self.problem(f"script without the page's nonce {shown}")
            self.script = {"json": False, "shown": shown}
        elif src is None or not _own_script_source(src):
            self.problem(f"script that is not ours {shown}")
            self.script = {"json": False, "shown": shown}
        else:
            self.script = {"json": False, "shown": shown}
        self.script_text = []

    def handle_data(self, data):
        if self.script is not None:
            self.script_text.append(data)

    def handle_endtag(self, tag):
        if tag == "head":
            self.in_head = False
        if tag == "svg":
            self.admin_svg = False
        if tag == "script" and self.script is not None:
            text = "".join(self.script_text)
            if self.script["json"]:
                try:
                    json.loads(text)
                except ValueError:
                    self.problem(f"data script that is not JSON {self.script['shown']}: {text!r}")
            elif text.strip():
                self.problem(f"inline script {self.script['shown']}: {text[:200]!r}")
            self.script = None


def script_problems(markup: str, *, nonce: str) -> list[str]:
    """Everything in the markup that could run script or load a foreign document."""
    audit = _Audit(nonce)
    audit.feed(markup)
    audit.close()
    return audit.problems


def page_problems(response) -> list[str]:
    """``script_problems`` of an HTML response, with the nonce its CSP header names."""
    return script_problems(response.content.decode(), nonce=csp_nonce(response))
