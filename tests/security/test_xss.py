"""Hostile markup typed into every user-text field, stored through the site's own forms
and rendered on every page where it appears, the admin included: nothing on those
pages may run script (tests/security/html_audit.py says what that means).

The browser check (test_xss_browser.py) loads the same kind of pages in Chromium.
"""

from dataclasses import dataclass, field

import django.test.client
import pytest
from django.contrib.admin import helpers
from django.test import Client
from django.urls import reverse
from taggit.models import Tag

from accounts.models import User
from articles.models import Article
from comments.models import Comment
from moderation.models import Case, ModerationAction, Reason, Report
from tests.factories import BROWSER, make_article, make_user
from tests.moderation.builders import let_the_reply_wait_pass, make_moderator

from .conftest import signed_in, small_jpeg
from .html_audit import page_problems, script_problems
from .xss_corpus import XSS_VECTORS

pytestmark = pytest.mark.django_db

PROFILE_URL = reverse("accounts:edit_profile")
WRITE_URL = reverse("articles:write")


@dataclass
class Stored:
    """Everything one vector was typed into, and who typed it."""

    vector: str
    author: User
    commenter: User
    reporter: User
    moderator: User
    superuser: User
    article: Article = None
    comment: Comment = None
    reply: Comment = None
    tag: Tag = None
    reports: list = field(default_factory=list)

    def case_of(self, target_type: str) -> Case:
        return Case.objects.get(target_type=target_type, owner=self.author)


def _expect_redirect(response, what: str) -> None:
    assert response.status_code == 302, (what, response.status_code, response.content[:500])


def store_in_article_and_profile(vector: str, topic) -> Stored:
    """Type the vector into every field the article page shows, through the site's
    own forms: the author's profile, the article (title, excerpt, body, cover
    caption and credit, tags), a comment and a reply."""
    stored = Stored(
        vector=vector,
        author=make_user(username="penulis"),
        commenter=make_user(username="komentator"),
        reporter=make_user(username="pelapor"),
        moderator=make_moderator(username="moderator"),
        superuser=make_user(username="admin", is_staff=True, is_superuser=True),
    )
    author = signed_in(stored.author)
    _expect_redirect(
        author.post(
            PROFILE_URL,
            {
                # The form's own length limits: 80 and 140 characters.
                "display_name": vector[:80],
                "occupation": User.Occupation.OTHER,
                "tagline": vector[:140],
                "bio": f"biografi {vector}",
            },
        ),
        "profile",
    )
    _expect_redirect(
        author.post(
            WRITE_URL,
            {
                "title": vector,
                "topic": str(topic.pk),
                "excerpt": f"ringkasan {vector}",
                # Text first, so the article has something to publish even when
                # the vector leaves nothing.
                "body": f"<p>isi artikel</p>{vector}",
                "cover_upload": small_jpeg(),
                "cover_caption": f"keterangan {vector}",
                "cover_credit": vector,
                "tags": f"penanda, {vector}",
                "action": "publish",
            },
        ),
        "article",
    )
    stored.article = Article.objects.get(author=stored.author)
    assert stored.article.status == Article.Status.PUBLISHED
    assert stored.article.cover
    stored.tag = Tag.objects.get(name="penanda")

    post_url = reverse("comments:post", args=[stored.article.pk])
    _expect_redirect(signed_in(stored.commenter).post(post_url, {"body": vector}), "comment")
    stored.comment = Comment.objects.get(author=stored.commenter)
    _expect_redirect(
        author.post(post_url, {"body": f"balasan {vector}", "reply_to": stored.comment.pk}),
        "reply",
    )
    stored.reply = Comment.objects.get(author=stored.author)
    return stored


def store_everywhere(vector: str, topic) -> Stored:
    """Type the vector into every user-text field through the site's own forms: those
    of ``store_in_article_and_profile`` and the details of three reports (the
    moderator's reasons come with ``hide_article_as_moderator``)."""
    stored = store_in_article_and_profile(vector, topic)
    reporter = signed_in(stored.reporter)
    _expect_redirect(reporter.post(reverse("accounts:follow", args=["penulis"])), "follow")
    for url in (
        reverse("moderation:report_article", args=[stored.article.pk]),
        reverse("moderation:report_comment", args=[stored.reply.pk]),
        reverse("moderation:report_account", args=["penulis"]),
    ):
        _expect_redirect(reporter.post(url, {"reason": Reason.OTHER, "details": vector}), url)
    stored.reports = list(Report.objects.order_by("pk"))
    assert len(stored.reports) == 3
    return stored


def hide_article_as_moderator(stored: Stored) -> None:
    """A moderator hides the article, giving the vector as the reasons."""
    case = let_the_reply_wait_pass(stored.case_of("article"))
    response = signed_in(stored.moderator).post(
        reverse("admin:moderation_case_act", args=[case.pk, ModerationAction.Kind.HIDE]),
        {"rule": Reason.SPAM, "public_reason": stored.vector, "internal_reason": stored.vector},
    )
    _expect_redirect(response, "hide")
    stored.article.refresh_from_db()
    assert stored.article.status == Article.Status.HIDDEN


def public_pages(stored: Stored) -> dict[str, tuple[Client, str]]:
    """Where readers see what was stored: (who looks, URL) by page name."""
    article, comment, reply = stored.article, stored.comment, stored.reply
    anonymous = Client(HTTP_USER_AGENT=BROWSER)
    reporter = signed_in(stored.reporter)
    commenter = signed_in(stored.commenter)
    author = signed_in(stored.author)
    return {
        "article page 1": (anonymous, article.get_absolute_url()),
        "article, show all": (anonymous, article.get_all_pages_url()),
        "article page 1 signed in": (reporter, article.get_absolute_url()),
        "article page 1 for its author": (author, article.get_absolute_url()),
        "home (cards)": (anonymous, reverse("articles:home")),
        "topic page": (anonymous, article.topic.get_absolute_url()),
        "tag page": (anonymous, reverse("articles:tag", args=[stored.tag.slug])),
        "search results": (anonymous, reverse("search:search") + "?q=ringkasan"),
        "author page": (anonymous, stored.author.get_absolute_url()),
        "author page signed in": (reporter, stored.author.get_absolute_url()),
        "following": (reporter, reverse("articles:following")),
        "dashboard": (author, reverse("articles:dashboard")),
        "edit article form": (author, reverse("articles:edit", args=[article.pk])),
        "delete article page": (author, reverse("articles:delete", args=[article.pk])),
        "profile form": (author, PROFILE_URL),
        "reply form": (commenter, reverse("comments:reply", args=[reply.pk])),
        "comment edit form": (commenter, reverse("comments:edit", args=[comment.pk])),
        "comment delete page": (commenter, reverse("comments:delete", args=[comment.pk])),
        "report article form": (commenter, reverse("moderation:report_article", args=[article.pk])),
        "report comment form": (commenter, reverse("moderation:report_comment", args=[reply.pk])),
        "report account form": (commenter, reverse("moderation:report_account", args=["penulis"])),
        "report form, already reported": (
            reporter,
            reverse("moderation:report_comment", args=[reply.pk]),
        ),
        "my reports": (reporter, reverse("moderation:my_reports")),
        "tag suggestions (JSON)": (author, reverse("articles:tag_suggestions") + "?q=pe"),
        "article page, English": (anonymous, "/en" + article.get_absolute_url()),
    }


def admin_pages(stored: Stored) -> dict[str, tuple[Client, str]]:
    superuser = signed_in(stored.superuser)
    moderator = signed_in(stored.moderator)
    pages = {
        "admin articles": (superuser, reverse("admin:articles_article_changelist")),
        "admin article": (
            superuser,
            reverse("admin:articles_article_change", args=[stored.article.pk]),
        ),
        "admin comments": (superuser, reverse("admin:comments_comment_changelist")),
        "admin comment": (
            superuser,
            reverse("admin:comments_comment_change", args=[stored.comment.pk]),
        ),
        "admin reply": (
            moderator,
            reverse("admin:comments_comment_change", args=[stored.reply.pk]),
        ),
        "admin users": (superuser, reverse("admin:accounts_user_changelist")),
        "admin user": (superuser, reverse("admin:accounts_user_change", args=[stored.author.pk])),
        "moderation queue": (moderator, reverse("admin:moderation_case_changelist")),
        "moderation queue, all": (
            moderator,
            reverse("admin:moderation_case_changelist") + "?status=all",
        ),
        "reports": (moderator, reverse("admin:moderation_report_changelist")),
        "bulk hide asks for the reason": (moderator, None),
    }
    for case in Case.objects.filter(owner=stored.author):
        pages[f"case page ({case.target_type})"] = (
            moderator,
            reverse("admin:moderation_case_change", args=[case.pk]),
        )
    for report in stored.reports:
        pages[f"report {report.pk}"] = (
            moderator,
            reverse("admin:moderation_report_change", args=[report.pk]),
        )
    return pages


def audit_pages(stored: Stored) -> dict[str, tuple[Client, str]]:
    """The moderators' record of what they did (after the article was hidden)."""
    moderator = signed_in(stored.moderator)
    pages = {
        "audit records": (moderator, reverse("admin:moderation_moderationaction_changelist")),
        "case page (article), with its history": (
            moderator,
            reverse("admin:moderation_case_change", args=[stored.case_of("article").pk]),
        ),
    }
    for action in ModerationAction.objects.all():
        pages[f"audit record {action.kind}"] = (
            moderator,
            reverse("admin:moderation_moderationaction_change", args=[action.pk]),
        )
    return pages


def after_hiding_pages(stored: Stored) -> dict[str, tuple[Client, str]]:
    anonymous = Client(HTTP_USER_AGENT=BROWSER)
    return {
        "hidden article notice": (anonymous, stored.article.get_absolute_url()),
        "hidden article for its author": (
            signed_in(stored.author),
            stored.article.get_absolute_url(),
        ),
        "dashboard with the moderators' notice": (
            signed_in(stored.author),
            reverse("articles:dashboard"),
        ),
        "my reports with the outcome": (
            signed_in(stored.reporter),
            reverse("moderation:my_reports"),
        ),
    }


def render(pages: dict[str, tuple[Client, str]], stored: Stored):
    """Each page as its visitor gets it: (name, response)."""
    for name, (client, url) in pages.items():
        if url is None:  # the bulk action's intermediate page is a POST
            case = stored.case_of("article")
            response = client.post(
                reverse("admin:moderation_case_changelist"),
                {"action": "hide_selected", helpers.ACTION_CHECKBOX_NAME: [case.pk]},
            )
        else:
            response = client.get(url)
        yield name, response


def assert_no_script_runs(name: str, response, vector: str) -> None:
    assert response.status_code in (200, 410), (name, response.status_code)
    content_type = response["Content-Type"]
    if content_type.startswith("application/json"):
        return  # JSON: never rendered as a page (nosniff is asserted in test_headers)
    assert content_type.startswith("text/html"), (name, content_type)
    problems = page_problems(response)
    assert not problems, f"{name} with {vector!r}:\n" + "\n".join(problems)


@pytest.fixture(autouse=True)
def _lighter_test_client(monkeypatch):
    """The test client copies every template context of every response for
    ``response.context``; these tests never read it, and render thousands of pages."""
    monkeypatch.setattr(django.test.client, "store_rendered_templates", lambda *a, **k: None)


def article_pages(stored: Stored) -> dict[str, tuple[Client, str]]:
    """The article page shows every field ``store_in_article_and_profile`` fills: the
    title (also in the head's meta tags and JSON-LD), excerpt, sanitised body,
    cover caption and credit, tags, the author block and the comment thread."""
    article = stored.article
    pages = {"article page 1": (signed_in(stored.reporter), article.get_absolute_url())}
    page_count = len(article.pages())
    for number in range(2, page_count + 1):
        pages[f"article page {number}"] = (Client(), article.get_page_url(number))
    if page_count > 1:
        pages["article, show all"] = (Client(), article.get_all_pages_url())
    return pages


@pytest.mark.parametrize("vector", XSS_VECTORS, ids=range(1, len(XSS_VECTORS) + 1))
def test_no_vector_runs_on_the_article_page(vector, topic, media):
    """The whole corpus through every field the article page shows. The sanitised
    body is the only stored HTML a page marks safe, so this is where each vector
    has to be tried; the other fields are escaped by the templates, which the
    test below checks on every page for a sample of the corpus."""
    stored = store_in_article_and_profile(vector, topic)

    for name, response in render(article_pages(stored), stored):
        assert_no_script_runs(name, response, vector)


# Every page where a stored field appears, for a sample spread over the corpus's
# groups (script, handlers, URLs, SVG, MathML, mutation, embedding, forms,
# page-level, broken attributes, unicode, style, escaped text).
FULL_SURFACE_SAMPLE = XSS_VECTORS[::15]


@pytest.mark.parametrize("vector", FULL_SURFACE_SAMPLE)
def test_no_hostile_markup_runs_on_any_page(vector, topic, media):
    stored = store_everywhere(vector, topic)

    for name, response in render(public_pages(stored) | admin_pages(stored), stored):
        assert_no_script_runs(name, response, vector)

    hide_article_as_moderator(stored)
    for name, response in render(after_hiding_pages(stored) | audit_pages(stored), stored):
        assert_no_script_runs(name, response, vector)


def test_the_stored_text_reaches_every_page_it_is_tested_on(topic, media):
    """The pages above really show the fields: a plain marker typed in place of a
    vector appears on each of them."""
    marker = "Penanda Unik Tujuh"
    stored = store_everywhere(marker, topic)

    shown = public_pages(stored) | admin_pages(stored) | article_pages(stored)
    for name, response in render(shown, stored):
        assert marker.lower() in response.content.decode().lower(), name
    hide_article_as_moderator(stored)
    for name, response in render(after_hiding_pages(stored) | audit_pages(stored), stored):
        assert marker in response.content.decode(), name


@pytest.mark.parametrize(
    "markup",
    [
        "<script>alert(1)</script>",
        '<script src="/static/js/site.js"></script>',
        "<img src=x onerror=alert(1)>",
        '<a href=" jav&#x09;ascript:alert(1)">x</a>',
        '<iframe srcdoc="x"></iframe>',
        '<form action="https://evil.example/"></form>',
        '<meta http-equiv="refresh" content="0;url=/">',
        '<base href="/">',
        "<svg><use href=#x></use></svg>",
        '<p style="background:url(javascript:alert(1))">x</p>',
        '<link rel="import" href="/x">',
        '<button formaction="/x">x</button>',
        "<body><style>p{}</style></body>",
        '<script type="application/ld+json">{"a": alert(1)}</script>',
    ],
)
def test_the_page_checker_catches_what_it_looks_for(markup):
    """The checker itself: each of these is reported, so a clean page means something."""
    assert script_problems(f"<html><head></head><body>{markup}</body></html>", nonce="abc")


def test_the_page_checker_accepts_our_own_scripts():
    page = (
        '<html><head><script type="application/ld+json">{"a": "\\u003C"}</script></head><body>'
        '<script src="/static/js/site.js" nonce="abc" defer></script></body></html>'
    )
    assert script_problems(page, nonce="abc") == []
    assert script_problems(page, nonce="other")


# --- Reflected input: what a link can put into a page -------------------------------

REFLECTED = '"><script>alert(1)</script><img src=x onerror=alert(1)>'


@pytest.fixture
def published(db, topic):
    return make_article(author=make_user(username="penulis"), topic=topic)


@pytest.mark.parametrize(
    "path",
    [
        "/?halaman=" + REFLECTED,
        "/?q=" + REFLECTED,
        "/akun/login/?next=" + REFLECTED,
        "/akun/login/?next=javascript:alert(1)",
        "/akun/signup/?next=" + REFLECTED,
        "/tag/saran/?q=" + REFLECTED,
        "/cari/?q=" + REFLECTED,
        "/cari/?q=isi&topik=" + REFLECTED + "&dari=" + REFLECTED,
        "/tidak-ada/" + REFLECTED,
        "/en/tidak-ada/" + REFLECTED,
        "/tag/" + REFLECTED + "/",
        "/penulis/" + REFLECTED + "/",
    ],
)
def test_query_strings_and_paths_are_never_reflected_as_markup(client, published, path):
    response = client.get(path)

    assert response.status_code in (200, 404), response.status_code
    if response["Content-Type"].startswith("text/html"):
        assert page_problems(response) == []


def test_the_article_page_with_a_hostile_query_string_runs_nothing(client, published):
    response = client.get(
        published.get_absolute_url(), {"komentar": REFLECTED, "urutan": REFLECTED}
    )

    assert response.status_code in (200, 404)
    assert page_problems(response) == []


def test_admin_search_is_not_reflected_as_markup(published):
    superuser = make_user(username="admin", is_staff=True, is_superuser=True)
    response = signed_in(superuser).get(
        reverse("admin:articles_article_changelist"), {"q": REFLECTED}
    )

    assert response.status_code == 200
    assert page_problems(response) == []


@pytest.mark.parametrize(
    "query", ["script", "<script>", "alert(1)", "lt", "amp", "&lt;", "onerror", '"><b>', "mark"]
)
def test_search_highlighting_never_turns_stored_text_into_markup(client, topic, query):
    make_article(
        author=make_user(username="penulis"),
        topic=topic,
        title="Judul <script>alert(1)</script> & <b>tebal</b>",
        excerpt='Ringkasan <script>alert(1)</script> "><img src=x onerror=alert(1)> &lt; mark',
    )

    response = client.get(reverse("search:search"), {"q": query})

    assert response.status_code == 200
    assert page_problems(response) == []
    html = response.content.decode()
    assert "<script>alert" not in html
    if query == "alert(1)":  # found and highlighted, so the highlighter really ran
        assert "<mark>" in html
