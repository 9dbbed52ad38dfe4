"""Rows, sessions and checks for the browser tests.

Users, topics and articles come from tests/factories.py; what only the browser
tests need is here: a four-page article with a cover, a signed-in browser,
the Moderator group after a flush, axe-core and the Nu HTML checker, and the
watcher that fails a test on script errors and failed requests.
"""

import io
import itertools
import json
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image, ImageDraw

from accounts.models import Follow
from articles.services import rate_article, set_cover
from comments.services import delete_comment, like_comment, post_comment
from federation.models import Reaction, RemoteActor
from moderation import services as moderation
from moderation.access import MODERATOR_GROUP
from moderation.models import Reason
from readinglist import services as bookmarks
from tests.factories import make_article, make_topic, make_user
from tests.moderation.builders import let_the_reply_wait_pass

# How every browser test starts Debian's Chromium: headless, and quiet on this
# machine's closed network (no background requests to Google's hosts).
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}

# WCAG 2.2 A and AA, and the 2.0 and 2.1 rules they build on.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

_sequence = itertools.count(1)


# --- Rows --------------------------------------------------------------------


def politik_and_kebijakan():
    """The topics migration 0002 seeds. A transactional test flushes them
    afterwards, so they are made again when missing."""
    politik = make_topic("politik", name="Politik")
    kebijakan = make_topic("kebijakan", name="Kebijakan", parent=politik)
    return politik, kebijakan


def jpeg_bytes(size=(1600, 900), color=(30, 90, 160)) -> bytes:
    """A small real photo-like JPEG: a coloured field with a lighter band."""
    image = Image.new("RGB", size, color)
    ImageDraw.Draw(image).rectangle((0, size[1] // 3, size[0], size[1] // 2), fill=(240, 200, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=80)
    return buffer.getvalue()


def write_jpeg(folder: Path, name="sampul-kebijakan.jpg") -> Path:
    path = folder / name
    path.write_bytes(jpeg_bytes())
    return path


PARAGRAPH = (
    "Kebijakan publik yang baik lahir dari data yang jujur dan percakapan warga yang "
    "terbuka. Tulisan ini membahas bagaimana pemerintah daerah menimbang masukan warga, "
    "anggaran yang terbatas, dan kebutuhan yang terus berubah dari tahun ke tahun."
)


def four_page_body() -> str:
    """An article body in four pages: every <hr> starts a new page."""
    pages = [
        f"<h2>Bagian {number}</h2><p>Halaman {number}: {PARAGRAPH}</p><p>{PARAGRAPH}</p>"
        for number in range(1, 5)
    ]
    return "<hr>".join(pages)


def make_author(**kwargs):
    """An author with the profile the article page shows: tagline and a long bio."""
    number = next(_sequence)
    kwargs.setdefault("username", f"penulis{number}")
    kwargs.setdefault("display_name", f"Penulis Kolom {number}")
    kwargs.setdefault("tagline", "Menulis tentang kebijakan publik dan kota.")
    kwargs.setdefault(
        "bio",
        "Peneliti kebijakan publik di Jakarta. Menulis tentang anggaran daerah, "
        "transportasi, dan partisipasi warga sejak 2015. Percaya bahwa kota yang baik "
        "dibangun bersama warganya, bukan hanya untuk mereka.",
    )
    return make_user(**kwargs)


def make_reference_article(*, author=None, topic=None, **kwargs):
    """The product's reference page: a four-page Kebijakan essay with a cover,
    its caption and its credit, and two tags."""
    if topic is None:
        _, topic = politik_and_kebijakan()
    kwargs.setdefault("title", "Menimbang Ulang Kebijakan Keamanan Data Warga")
    kwargs.setdefault("body", four_page_body())
    kwargs.setdefault("cover_caption", "Keamanan.")
    kwargs.setdefault("cover_credit", "PIXABAY/TheDigitalWay")
    kwargs.setdefault("tags", ["keamanan data", "kebijakan publik"])
    article = make_article(author=author or make_author(), topic=topic, **kwargs)
    set_cover(article, SimpleUploadedFile("keamanan.jpg", jpeg_bytes(), "image/jpeg"))
    article.save(update_fields=["cover", "cover_page", "cover_card"])
    return article


def fill_topic(topic, count, **kwargs):
    """Enough published articles in a topic for more than one list page."""
    author = kwargs.pop("author", None) or make_author()
    return [
        make_article(author=author, topic=topic, title=f"Catatan kebijakan nomor {i + 1}")
        for i in range(count)
    ]


def reference_article_on_second_topic_page():
    """The reference article, older than a full page (12) of Politik articles."""
    politik, kebijakan = politik_and_kebijakan()
    article = make_reference_article(topic=kebijakan)
    fill_topic(politik, 12)
    return article


def make_comment(article, *, author, body, reply_to=None):
    return post_comment(article, author=author, body=body, reply_to=reply_to, enforce_limits=False)


# The Moderator group as moderation/migrations/0002_moderator_group.py makes it;
# a transactional test flushes it, and its permissions come back after the flush.
MODERATOR_PERMISSIONS = [
    ("moderation", "view_case"),
    ("moderation", "change_case"),
    ("moderation", "view_report"),
    ("moderation", "view_moderationaction"),
    ("accounts", "view_user"),
    ("articles", "view_article"),
    ("comments", "view_comment"),
    ("trust", "view_helditem"),
    ("trust", "change_helditem"),
    ("trust", "view_trustchange"),
    ("trust", "view_signupaddress"),
    ("trust", "change_signupaddress"),
]


def make_moderator(**kwargs):
    group, _ = Group.objects.get_or_create(name=MODERATOR_GROUP)
    group.permissions.set(
        [
            Permission.objects.get(content_type__app_label=app, codename=codename)
            for app, codename in MODERATOR_PERMISSIONS
        ]
    )
    kwargs.setdefault("username", f"moderator{next(_sequence)}")
    kwargs.setdefault("display_name", "Moderator Kolom")
    kwargs.setdefault("is_staff", True)
    user = make_user(**kwargs)
    user.groups.add(group)
    return user


# --- A signed-in browser --------------------------------------------------------


def sign_in(context, user, base_url: str) -> None:
    """Give the browser context a session for this user, as signing in would.

    Faster than the sign-in form, which the author and moderator journeys use.
    """
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}]
    )


def signed_in_page(new_context, user, base_url: str, **context_args):
    context = new_context(**context_args)
    sign_in(context, user, base_url)
    return context.new_page()


# --- What the browser saw -------------------------------------------------------


class BrowserProblems:
    """Collects what must never happen on a page: an uncaught script error, a
    script or style refused by the Content Security Policy, a same-origin
    request that failed, and a server error.

    Navigations that answer 4xx (a 404 page, the 410 of a hidden article) are
    pages in their own right and not counted; a subresource that answers
    4xx (an image, a stylesheet, a fetch) is a broken page.
    """

    def __init__(self, origin: str):
        self.origin = origin
        self.problems: list[str] = []

    def watch(self, context) -> None:
        context.on("weberror", self._on_error)
        context.on("requestfailed", self._on_request_failed)
        context.on("response", self._on_response)
        context.on("console", self._on_console)

    def _same_origin(self, url: str) -> bool:
        parts = urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}" == self.origin

    def _on_error(self, web_error) -> None:
        where = web_error.page.url if web_error.page else "a page"
        self.problems.append(f"uncaught JavaScript error on {where}: {web_error.error}")

    def _on_request_failed(self, request) -> None:
        if not self._same_origin(request.url):
            return
        failure = request.failure or "failed"
        # A request the browser cancelled because the page navigated away is
        # not the site's failure.
        if failure == "net::ERR_ABORTED" and not request.is_navigation_request():
            return
        self.problems.append(f"request failed: {request.method} {request.url} ({failure})")

    def _on_response(self, response) -> None:
        if not self._same_origin(response.url) or response.status < 400:
            return
        request = response.request
        if request.is_navigation_request() and response.status < 500:
            return
        kind = "page" if request.is_navigation_request() else request.resource_type
        self.problems.append(f"{kind} answered {response.status}: {request.method} {response.url}")

    def _on_console(self, message) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.problems.append(f"blocked by the CSP on {message.page.url}: {message.text}")

    def assert_none(self) -> None:
        if self.problems:
            raise AssertionError(
                "The browser saw problems:\n" + "\n".join(f"  - {p}" for p in self.problems)
            )


# --- Accessibility and valid HTML ------------------------------------------------


def axe_violations(page, axe_source: str) -> list[dict]:
    """Run axe-core on the page (WCAG 2.2 A and AA) and return its violations.

    The page's CSP allows scripts only with a nonce, so axe is evaluated
    through the DevTools protocol rather than added as a <script>.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(axe_source)
    return page.evaluate(
        """async (tags) => {
            const results = await axe.run(document, {
                runOnly: {type: "tag", values: tags},
                resultTypes: ["violations"],
            });
            return results.violations.map((v) => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                nodes: v.nodes.map((n) => ({
                    target: n.target.join(" "),
                    summary: n.failureSummary,
                })),
            }));
        }""",
        AXE_TAGS,
    )


BUTTON_CONTRAST_SCRIPT = (Path(__file__).parent / "button_contrast.js").read_text()


def button_contrast_failures(page, minimum: float = 4.5) -> list[str]:
    """Text inside every visible button (and link styled as one) against the
    button's own background, by WCAG's contrast formula: axe skips text whose
    background it cannot work out, and once passed the rating counts at 1.3:1."""
    return page.evaluate(BUTTON_CONTRAST_SCRIPT, minimum)


def describe_violations(label: str, violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{label}: {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {node['target']}  {summary}")
    return "\n".join(lines)


def vnu_errors(command: list[str], files: list[Path]) -> list[str]:
    """Check HTML files with the Nu HTML checker in one JVM; the errors, as
    'file:line: message' (warnings are allowed)."""
    result = subprocess.run(  # noqa: S603 -- our own command line, no shell
        [*command, "--format", "json", "--stdout", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    try:
        messages = json.loads(result.stdout)["messages"]
    except (json.JSONDecodeError, KeyError) as error:
        raise AssertionError(
            f"vnu gave no report (exit {result.returncode}):\n{result.stdout}\n{result.stderr}"
        ) from error
    errors = []
    for message in messages:
        if message.get("type") not in {"error", "non-document-error"}:
            continue
        name = Path(urlsplit(message.get("url", "")).path).name
        line = message.get("lastLine", "?")
        extract = " ".join(message.get("extract", "").split())
        errors.append(f"{name}:{line}: {message.get('message')}  [{extract}]")
    return errors


# --- A small site with one of everything ----------------------------------------


def add_fediverse_reactions(article, *, likes: int, boosts: int) -> None:
    """Likes and boosts from readers on another server, as if they had arrived."""
    from django.utils import timezone

    for number in range(max(likes, boosts)):
        actor, _ = RemoteActor.objects.get_or_create(
            uri=f"https://mastodon.example/users/pembaca{number}",
            defaults={
                "domain": "mastodon.example",
                "handle": f"@pembaca{number}@mastodon.example",
                "inbox": f"https://mastodon.example/users/pembaca{number}/inbox",
                "fetched_at": timezone.now(),
            },
        )
        kinds = [("like", number < likes), ("announce", number < boosts)]
        for kind, wanted in kinds:
            if wanted:
                Reaction.objects.create(
                    article=article, actor=actor, kind=kind, activity_uri=f"{actor.uri}#{kind}"
                )


class Site:
    """One of every page type's content, for the accessibility and HTML checks."""

    def __init__(self):
        self.politik, self.kebijakan = politik_and_kebijakan()
        self.writer = make_author(username="sari", display_name="Sari Wulandari")
        self.reader = make_user(username="budi", display_name="Budi Santoso")
        self.neighbour = make_user(username="citra", display_name="Citra Lestari")
        self.moderator = make_moderator(username="moderator")
        # Older than the list page, so the topic pages have two pages.
        self.article = make_reference_article(author=self.writer, topic=self.kebijakan)
        fill_topic(self.politik, 13, author=self.writer)
        self.article.is_pick = True
        self.article.save(update_fields=["is_pick"])
        self.hidden = make_article(
            author=self.writer, topic=self.kebijakan, title="Tulisan yang disembunyikan"
        )
        Follow.objects.create(follower=self.reader, author=self.writer)
        # The signed-in article shows the reader's own rating chosen.
        rate_article(self.article, user=self.reader, label="inspiratif")
        # Liked and boosted on the fediverse: the article page, dashboard and the
        # writer's fediverse page show the counts.
        add_fediverse_reactions(self.article, likes=3, boosts=1)

        # A thread four levels deep, with a deleted comment kept as a placeholder.
        top = make_comment(self.article, author=self.neighbour, body="Tulisan yang jernih.")
        reply = make_comment(
            self.article, author=self.reader, body="Setuju, datanya lengkap.", reply_to=top
        )
        deeper = make_comment(
            self.article, author=self.writer, body="Terima kasih sudah membaca.", reply_to=reply
        )
        self.comment = make_comment(
            self.article, author=self.neighbour, body="Ditunggu lanjutannya!", reply_to=deeper
        )
        delete_comment(top, by=self.neighbour)

        # The reader reported a comment (still open) and an article a moderator hid.
        self.comment_report = moderation.report_comment(
            self.comment, reporter=self.reader, reason=Reason.SPAM, enforce_limits=False
        )
        hidden_report = moderation.report_article(
            self.hidden, reporter=self.reader, reason=Reason.HOAX, enforce_limits=False
        )
        let_the_reply_wait_pass(hidden_report.case)
        moderation.hide_target(
            hidden_report.case,
            moderator=self.moderator,
            rule=Reason.HOAX,
            public_reason="Klaim dalam tulisan ini tidak didukung sumber yang dapat diperiksa.",
        )
        self.hidden.refresh_from_db()
        # The reader saved the article (Bacaan Saya) and likes a comment on it.
        bookmarks.save(self.reader, self.article)
        like_comment(self.comment, reader=self.reader)
