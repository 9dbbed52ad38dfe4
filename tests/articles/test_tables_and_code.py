"""Tables and code blocks from the editor keep their structure through the one
sanitiser; their hostile attributes do not."""

import pytest

from articles.forms import EDITOR_EXTENSIONS
from articles.sanitizer import sanitize_html


def test_the_editor_offers_tables_and_code_blocks():
    for extension in ("Table", "TableRow", "TableHeader", "TableCell", "CodeBlock"):
        assert EDITOR_EXTENSIONS[extension] is True


def test_a_table_as_the_editor_writes_it_keeps_its_cells():
    # What the editor's table extension emits (its colgroup and sizes dropped).
    html = (
        '<table style="min-width: 50px"><colgroup><col style="min-width: 25px"></colgroup>'
        '<tbody><tr><th colspan="2" rowspan="1"><p>Kecamatan</p></th></tr>'
        '<tr><td colspan="1" rowspan="2"><p>Cilandak</p></td><td><p>12</p></td></tr>'
        "</tbody></table>"
    )

    cleaned = sanitize_html(html)

    assert cleaned == (
        '<table><tbody><tr><th colspan="2" rowspan="1"><p>Kecamatan</p></th></tr>'
        '<tr><td colspan="1" rowspan="2"><p>Cilandak</p></td><td><p>12</p></td></tr>'
        "</tbody></table>"
    )


@pytest.mark.parametrize(
    "hostile",
    [
        '<table onmouseover="alert(1)"><tr><td>x</td></tr></table>',
        '<table><tr><td style="background:url(javascript:alert(1))">x</td></tr></table>',
        '<table><tr><td colspan="2 onclick=alert(1)">x</td></tr></table>',
        '<table><tr><td background="javascript:alert(1)">x</td></tr></table>',
        "<table><tr><td><script>alert(1)</script>x</td></tr></table>",
    ],
)
def test_hostile_table_attributes_are_dropped(hostile):
    cleaned = sanitize_html(hostile)

    assert "alert" not in cleaned
    assert "<td" in cleaned


def test_a_code_block_keeps_its_text_as_text():
    html = "<pre><code>if (a &lt; b) { document.write('&lt;script&gt;') }</code></pre>"

    cleaned = sanitize_html(html)

    assert cleaned == html
    assert "<script>" not in cleaned


def test_urls_in_code_are_not_made_links():
    cleaned = sanitize_html("<pre><code>curl https://contoh.id/api</code></pre>")

    assert "<a" not in cleaned
