"""The one sanitiser, against a corpus of hostile input and the markup authors need."""

import html
import re
from html.parser import HTMLParser

import pytest

from articles.sanitizer import PAGE_BREAK, plain_text_to_html, sanitize_html

HOSTILE = [
    # Script elements, in every spelling.
    "<script>alert(1)</script>",
    "<SCRIPT>alert(1)</SCRIPT>",
    "<scrIpt/x>alert(1)</scrIpt>",
    "<script\n>alert(1)</script\n>",
    "<scr<script>ipt>alert(1)</script>",
    "<<script>script>alert(1)<</script>/script>",
    '<script src="https://evil.example/x.js"></script>',
    "<p>sebelum<script>alert(1)",
    "<!--<script>alert(1)</script>-->",
    # Event handlers.
    "<img src=x onerror=alert(1)>",
    "<img/src=x/onerror=alert(1)>",
    '<img src="https://ok.example/a.png" onerror="alert(1)">',
    '<img src="/media/covers/a.png" ONERROR=alert(1)>',
    "<body onload=alert(1)>",
    '<p onclick="alert(1)">halo</p>',
    '<a href="https://ok.example" onmouseover="alert(1)">x</a>',
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
    '<video><source onerror="alert(1)"></video>',
    '<hr class="page-break" onclick="alert(1)">',
    '<td colspan="2" onclick="alert(1)">sel</td>',
    # Dangerous URL schemes, plain and obfuscated.
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="jav&#x09;ascript:alert(1)">x</a>',
    '<a href="jav\tascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="&#1;javascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;avascript&#x3A;alert(1)">x</a>',
    '<a href="java&#0000115;cript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="VBScript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<img src="javascript:alert(1)">',
    '<img src="JAVASCRIPT:alert(1)">',
    '<img src="&#106;avascript:alert(1)">',
    # Foreign content and embedding.
    "<svg><script>alert(1)</script></svg>",
    "<svg onload=alert(1)>",
    "<svg><style><img src=x onerror=alert(1)></style></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<iframe src="javascript:alert(1)">',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    # Page-level elements.
    '<form action="javascript:alert(1)"><button>kirim</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    '<base href="javascript:alert(1)//">',
    '<link rel="stylesheet" href="javascript:alert(1)">',
    "<style>body{background:url(javascript:alert(1))}</style>",
    # Parser mutation tricks.
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    "<noscript><style></noscript><img src=x onerror=alert(1)></style></noscript>",
    "<template><script>alert(1)</script></template>",
    "<xmp><img src=x onerror=alert(1)></xmp>",
    "<textarea><script>alert(1)</script></textarea>",
    # Broken attributes.
    '<img """><script>alert(1)</script>">',
    '<img src=x onerror="alert(1)"//',
    '<img src="http://x" alt=""onerror=alert(1)">',
    '<a href="http://ok.example/?q=<script>">x</a>',
    '<a title="x" "onclick="alert(1)">y</a>',
    # Style attributes.
    '<p style="background:url(javascript:alert(1))">x</p>',
    '<div style="width: expression(alert(1))">x</div>',
]

DANGEROUS_SCHEMES = ("javascript:", "data:", "vbscript:")
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "srcdoc", "data", "xlink:href"}
FORBIDDEN_TAGS = {
    "script", "style", "iframe", "object", "embed", "svg", "math", "form", "meta",
    "base", "link", "noscript", "template", "textarea", "xmp", "input", "body",
}  # fmt: skip


class _Tags(HTMLParser):
    """Every tag and attribute of a fragment, as a browser's tokenizer sees them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def parse_tags(fragment):
    parser = _Tags()
    parser.feed(fragment)
    parser.close()
    return parser.tags


def _normalised_url(value):
    # What a browser does before reading the scheme: decode entities, drop
    # control characters and whitespace, ignore case.
    decoded = html.unescape(value or "")
    return re.sub(r"[\x00-\x20\x7f]+", "", decoded).lower()


def assert_harmless(output):
    assert "<script" not in output.lower()
    for tag, attrs in parse_tags(output):
        assert tag not in FORBIDDEN_TAGS, output
        for name, value in attrs:
            assert not name.startswith("on"), output
            assert name != "style", output
            if name in URL_ATTRIBUTES:
                assert not _normalised_url(value).startswith(DANGEROUS_SCHEMES), output


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_input_comes_out_harmless(hostile):
    assert_harmless(sanitize_html(hostile))


@pytest.mark.parametrize("hostile", HOSTILE)
def test_sanitising_twice_changes_nothing(hostile):
    once = sanitize_html(hostile)
    assert sanitize_html(once) == once


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_input_wrapped_in_a_paragraph_comes_out_harmless(hostile):
    output = sanitize_html(f"<p>Pembuka</p>{hostile}<p>Penutup</p>")
    assert_harmless(output)
    assert sanitize_html(output) == output


def test_the_corpus_is_large_enough():
    assert len(HOSTILE) >= 40


@pytest.mark.parametrize(
    "hostile",
    [
        "<script>alert(1)</script>",
        "<SCRIPT type='text/javascript'>alert(1)</SCRIPT>",
        "<style>p{color:red}alert(1)</style>",
        "<template><p>alert(1)</p></template>",
        "<iframe>alert(1)</iframe>",
        "<svg><text>alert(1)</text></svg>",
    ],
)
def test_script_like_elements_are_dropped_with_their_content(hostile):
    output = sanitize_html(f"<p>Sebelum</p>{hostile}<p>Sesudah</p>")
    assert "alert(1)" not in output
    assert output == "<p>Sebelum</p><p>Sesudah</p>"


def test_unclosed_script_leaves_no_script_text():
    # A browser treats everything after an unclosed <script> as script, not prose.
    output = sanitize_html("<p>Sebelum</p><script>alert(1)")
    assert "alert(1)" not in output
    assert output == "<p>Sebelum</p>"


def test_allowed_markup_survives():
    body = (
        "<h2>Judul bagian</h2>"
        '<p>Teks <strong>tebal</strong>, <em>miring</em> dan <a href="https://example.com/a">'
        "tautan</a>.</p>"
        "<ul><li>satu</li><li>dua</li></ul>"
        "<blockquote>Kutipan</blockquote>"
    )
    output = sanitize_html(body)
    assert "<h2>Judul bagian</h2>" in output
    assert "<strong>tebal</strong>" in output
    assert "<em>miring</em>" in output
    assert "<ul><li>satu</li><li>dua</li></ul>" in output
    assert "<blockquote>Kutipan</blockquote>" in output
    links = [attrs for tag, attrs in parse_tags(output) if tag == "a"]
    assert links == [[("href", "https://example.com/a"), ("rel", "nofollow ugc noopener")]]


def test_links_get_nofollow_ugc_noopener_whatever_rel_the_author_wrote():
    output = sanitize_html('<a href="https://example.com" rel="opener" target="_blank">x</a>')
    assert output == '<a href="https://example.com" rel="nofollow ugc noopener">x</a>'


def test_bare_urls_in_text_become_links():
    output = sanitize_html("<p>Baca https://example.com/berita ya</p>")
    assert parse_tags(output)[1] == (
        "a",
        [("href", "https://example.com/berita"), ("rel", "nofollow ugc noopener")],
    )


def test_images_the_site_did_not_store_are_dropped():
    # Only body photos stored by the site pass (tests/articles/test_body_media.py).
    assert sanitize_html('<p><img src="/media/a.jpg">Teks</p>') == "<p>Teks</p>"
    assert sanitize_html('<img src="../etc/a.jpg">') == ""
    assert sanitize_html('<img src="https://img.example/foto.jpg" alt="Foto">') == ""


def test_page_break_marker_survives_exactly():
    output = sanitize_html('<p>Satu</p><hr class="page-break"><p>Dua</p>')
    assert output == f"<p>Satu</p>{PAGE_BREAK}<p>Dua</p>"


@pytest.mark.parametrize(
    "marker",
    ['<hr class="other">', '<hr class="page-break other">', '<hr id="x" class="x">', "<hr>"],
)
def test_other_hr_classes_are_stripped_and_every_rule_is_a_page_break(marker):
    # The editor's horizontal-line button is how an author starts a new page.
    assert sanitize_html(f"<p>a</p>{marker}<p>b</p>") == f"<p>a</p>{PAGE_BREAK}<p>b</p>"


def test_typed_hr_markup_in_text_is_not_a_page_break():
    assert sanitize_html("<p>&lt;hr&gt;</p>") == "<p>&lt;hr&gt;</p>"


def test_disallowed_elements_keep_their_text():
    assert sanitize_html("<h1>Besar</h1><div>kotak</div>") == "Besar\nkotak"


def test_empty_body_gives_empty_html():
    assert sanitize_html("") == ""


class TestPlainTextToHtml:
    def test_typed_markup_shows_literally(self):
        output = plain_text_to_html('<script>alert(1)</script> & <b>tebal</b> "kutip"')
        assert output == (
            "<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;tebal&lt;/b&gt; "
            "&quot;kutip&quot;</p>"
        )
        assert_harmless(output)

    def test_urls_become_links_with_nofollow_ugc_noopener(self):
        output = plain_text_to_html("Lihat https://example.com/a?b=1&c=2 ya")
        assert parse_tags(output) == [
            ("p", []),
            ("a", [("href", "https://example.com/a?b=1&c=2"), ("rel", "nofollow ugc noopener")]),
        ]

    def test_blank_lines_make_paragraphs_and_single_newlines_line_breaks(self):
        output = plain_text_to_html("satu\r\n\r\ndua\ntiga\n\n\n  empat  ")
        assert output == "<p>satu</p><p>dua<br>tiga</p><p>empat</p>"

    @pytest.mark.parametrize(
        "text",
        [
            "javascript:alert(1)",
            '<a href="javascript:alert(1)">klik</a>',
            "<img src=x onerror=alert(1)>",
            "data:text/html;base64,PHNjcmlwdD4=",
        ],
    )
    def test_hostile_text_never_becomes_markup(self, text):
        output = plain_text_to_html(text)
        assert [tag for tag, _ in parse_tags(output)] == ["p"]

    def test_empty_text_gives_empty_html(self):
        assert plain_text_to_html("") == ""
        assert plain_text_to_html("  \n\n ") == ""
