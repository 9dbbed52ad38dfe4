"""Sanitising is idempotent, through the edit form: saving an article again without
changing it leaves its stored HTML byte-identical, whether the browser sends back the
text the form showed or the sanitised HTML itself (what an editor re-serialises)."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from articles.models import Article
from articles.sanitizer import sanitize_html
from tests.factories import make_user

from .conftest import signed_in
from .xss_corpus import XSS_VECTORS

pytestmark = pytest.mark.django_db


class _FormValues(HTMLParser):
    """What a browser would submit from the write form, untouched."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.values: dict[str, str] = {}
        self._in_form = False
        self._textarea: str | None = None
        self._select: str | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "form" and "write-form" in (attributes.get("class") or ""):
            self._in_form = True
        if not self._in_form:
            return
        name = attributes.get("name")
        if tag == "input" and name and attributes.get("type") not in {"file", "submit"}:
            if attributes.get("type") != "checkbox" or "checked" in attributes:
                self.values[name] = attributes.get("value") or ""
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in attributes:
            self.values[self._select] = attributes.get("value") or ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_form = False
        elif tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data


def submitted_values(response) -> dict[str, str]:
    parser = _FormValues()
    parser.feed(response.content.decode())
    values = parser.values
    # A browser drops the one newline right after <textarea>, as the HTML spec says.
    for name in ("body", "excerpt"):
        values[name] = values[name].removeprefix("\n")
    return values


@pytest.fixture
def author(db):
    return signed_in(make_user(username="penulis"))


@pytest.mark.parametrize("vector", XSS_VECTORS, ids=range(1, len(XSS_VECTORS) + 1))
def test_sanitising_the_sanitised_html_changes_nothing(vector):
    once = sanitize_html(f"<p>isi</p>{vector}")

    assert sanitize_html(once) == once


# Through the form, five vectors to an article: one after the other they also
# meet each other's leftovers, which must settle just the same.
GROUPS = [XSS_VECTORS[start : start + 5] for start in range(0, len(XSS_VECTORS), 5)]


@pytest.mark.parametrize(
    "group", GROUPS, ids=[f"{1 + 5 * n}-{5 + 5 * n}" for n in range(len(GROUPS))]
)
def test_saving_unchanged_content_again_leaves_the_stored_html_byte_identical(author, topic, group):
    author.post(
        reverse("articles:write"),
        {
            "title": "Uji Ulang",
            "topic": str(topic.pk),
            "excerpt": " ".join(group)[:400],
            "body": "".join(f"<p>isi {number}</p>{vector}" for number, vector in enumerate(group)),
            "tags": "uji",
            "action": "draft",
        },
    )
    article = Article.objects.get()
    stored = (article.body, article.body_html, article.teaser)
    edit_url = reverse("articles:edit", args=[article.pk])

    form = submitted_values(author.get(edit_url))
    assert form["body"] == article.body  # the form shows what was typed, not markup
    assert author.post(edit_url, {**form, "action": "draft"}).status_code == 302
    article.refresh_from_db()
    assert (article.body, article.body_html, article.teaser) == stored

    # The editor sends back HTML: the stored, sanitised HTML comes out unchanged.
    response = author.post(edit_url, {**form, "body": stored[1], "action": "draft"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.body_html == stored[1]
