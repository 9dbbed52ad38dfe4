"""The XSS corpus in a real browser: Chromium loads the pages that show it and the test
fails if any of it runs.

Every vector calls ``__xss.push(n)`` (recorded by a hook installed before any
page script) or opens a dialog (recorded too), so anything that runs is caught,
whatever the parser made of the markup. Each page is loaded twice: as served,
under the Content-Security-Policy, and with the policy bypassed, which proves
the markup is harmless by itself and the policy is a second wall, not the
only one. On top of that the live DOM is searched for what could run later (an
event handler, a ``javascript:`` link, a frame) and for every script that is
not ours.
"""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.services import update_profile
from articles.models import Article
from articles.sanitizer import sanitize_html
from articles.services import publish_article, save_article
from comments.services import post_comment
from moderation import services as moderation
from moderation.models import Case, Reason
from tests.factories import make_topic, make_user
from tests.moderation.builders import let_the_reply_wait_pass

from .xss_corpus import XSS_VECTORS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

HOOK = """
window.__xss = [];
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.effectiveDirective} ${event.blockedURI} ${event.sample}`);
});
"""

# What the live DOM may not hold, whatever the server sent: found by the real parser.
DOM_AUDIT = """
() => {
  const problems = [];
  const own = (url) => url.startsWith(location.origin + "/static/")
    || /^\\/(en\\/)?admin\\/jsi18n\\/$/.test(new URL(url).pathname)
    || /^\\/(en\\/)?tulis\\/bahasa-editor\\.js$/.test(new URL(url).pathname);
  const adminIcon = (element) => element.closest(
    "svg.base-svgs, svg.theme-icon-when-auto, svg.theme-icon-when-dark, svg.theme-icon-when-light");
  for (const element of document.querySelectorAll("*")) {
    const tag = element.localName;
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      if (name.startsWith("on")) problems.push(`handler ${name} on <${tag}>`);
      if (["srcdoc", "formaction", "http-equiv"].includes(name)) {
        problems.push(`${name} on <${tag}>`);
      }
    }
    for (const name of ["href", "src", "action", "formaction", "data", "poster", "xlink:href"]) {
      const value = element.getAttribute(name);
      if (value === null) continue;
      // The editor shows an author's raw markup as images that never run (an
      // image never executes its URL); the sanitiser drops such a source on save.
      if (tag === "img" && element.closest(".ProseMirror")) continue;
      let protocol = "";
      try { protocol = new URL(value, document.baseURI).protocol; } catch (error) { continue; }
      if (["javascript:", "data:", "vbscript:"].includes(protocol)) {
        problems.push(`${protocol} URL in ${name} of <${tag}>`);
      }
    }
    if (["iframe", "frame", "object", "embed", "base", "template", "noscript", "math",
         "portal", "fencedframe"].includes(tag)) {
      problems.push(`<${tag}> in the page`);
    }
    // The editor draws its table buttons' icons as SVG from its own constants.
    const editorIcon = element.closest(".prose-menubar") !== null;
    if (tag === "svg" && !adminIcon(element) && !editorIcon) problems.push("<svg> in the page");
    if (tag === "style" && !element.closest("head")) problems.push("<style> in the body");
    if (tag === "script") {
      const type = (element.type || "").toLowerCase();
      const data = ["application/ld+json", "importmap"].includes(type) && !element.src;
      if (!data && !(element.src && own(element.src) && element.nonce)) {
        problems.push(`script not ours: ${element.outerHTML.slice(0, 200)}`);
      }
    }
  }
  return problems;
}
"""


GROUP = 15  # vectors per anthology article


def _article(author, topic, *, publish=True, **fields):
    data = {"title": "", "topic": topic, "excerpt": "", "body": "", "cover_caption": ""}
    article = save_article(
        Article(), author=author, data={"cover_credit": "", **data, **fields}, tags=["penanda"]
    )
    if publish:
        publish_article(article, by=author)
    return article


@pytest.fixture
def hostile_site(transactional_db, settings, tmp_path):
    """The corpus stored through the services the forms call, laid out so that a few
    dozen pages show all of it.

    Each vector is the display name, tagline and bio of an author, the title and
    excerpt of their article, a reader's report about it, and a comment. Groups
    of fifteen vectors make an anthology article: its body is every vector of the
    group as the sanitiser stored it (one after the other, so the browser parses
    each exactly as the vector's own article page would show it), its comments
    are the group's vectors, and its other fields hold vectors of the group. A
    moderator hides every tenth article with the vector as the reasons.
    """
    settings.MEDIA_ROOT = tmp_path
    # The live server speaks plain HTTP: let the browser keep its session cookie.
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False
    topic = make_topic("kebijakan-publik", name="Kebijakan Publik")
    reader = make_user(username="pembaca")
    moderator = make_user(username="admin", is_staff=True, is_superuser=True)
    hidden = []
    for number, vector in enumerate(XSS_VECTORS, start=1):
        author = make_user(username=f"penulis{number}")
        update_profile(
            author,
            data={
                "display_name": vector[:80],
                "occupation": "other",
                "tagline": vector[:140],
                "bio": vector,
            },
        )
        article = _article(author, topic, title=vector, excerpt=vector, body="<p>isi</p>")
        moderation.report_article(
            article, reporter=reader, reason=Reason.OTHER, details=vector, enforce_limits=False
        )
        if number % 10 == 0:
            let_the_reply_wait_pass(Case.objects.get(article=article))
            moderation.hide_target(
                Case.objects.get(article=article),
                moderator=moderator,
                rule=Reason.SPAM,
                public_reason=vector,
                internal_reason=vector,
            )
            hidden.append(article)
    anthologies, drafts = [], []
    for start in range(0, len(XSS_VECTORS), GROUP):
        group = XSS_VECTORS[start : start + GROUP]
        author = make_user(username=f"antologi{start}")
        update_profile(
            author,
            data={
                "display_name": group[0][:80],
                "occupation": "other",
                "tagline": group[1 % len(group)][:140],
                "bio": "\n\n".join(group)[:2000],
            },
        )
        article = _article(
            author,
            topic,
            title=group[-1],
            excerpt=" ".join(group)[:400],
            cover_caption=group[len(group) // 2][:300],
            cover_credit=group[-2 % len(group)][:200],
            body="".join(
                f"<p>vektor {start + offset + 1}</p>{sanitize_html(vector)}"
                for offset, vector in enumerate(group)
            ),
        )
        for vector in group:
            # Each vector's sanitised form is on the page exactly as alone.
            assert sanitize_html(vector) in article.body_html
            post_comment(article, author=reader, body=vector, enforce_limits=False)
        anthologies.append(article)
        # The raw group as an author would submit it, for the editor: the write
        # form loads the stored text (not the sanitised HTML) into the editor.
        # A draft: a group of images from other sites alone leaves nothing to publish.
        drafts.append(
            _article(author, topic, publish=False, title="Draf mentah", body="".join(group))
        )
    return {
        "anthologies": anthologies,
        "drafts": drafts,
        "hidden": hidden,
        "reader": reader,
        "moderator": moderator,
    }


def session_cookie(live_server, person) -> dict:
    client = Client()
    client.force_login(person)
    return {
        "name": "sessionid",
        "value": client.cookies["sessionid"].value,
        "url": live_server.url,
    }


def visit_all(chromium, live_server, paths, *, person=None, bypass_csp=False) -> list[str]:
    """Load each path; what ran, what the policy blocked and what the DOM holds."""
    context = chromium.new_context(bypass_csp=bypass_csp)
    if person is not None:
        context.add_cookies([session_cookie(live_server, person)])
    # Nothing leaves the live server: other hosts (an article's https images) fail,
    # which fires any onerror handler that survived.
    context.route(
        "**/*",
        lambda route: (
            route.continue_() if route.request.url.startswith(live_server.url) else route.abort()
        ),
    )
    context.add_init_script(HOOK)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    found = []
    try:
        for path in paths:
            response = page.goto(live_server.url + path, wait_until="load")
            assert response is not None and response.status in (200, 410), (path, response)
            # Let what fires after load (autofocus, toggle, animations) fire.
            page.evaluate(
                "() => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 30)))"
            )
            ran = page.evaluate("window.__xss")
            violations = [
                violation
                for violation in page.evaluate("window.__violations")
                if not violation.startswith(("img-src", "style-src"))
            ]
            problems = page.evaluate(DOM_AUDIT)
            for kind, items in (
                ("ran", ran),
                ("dialog", dialogs),
                ("blocked by the policy", violations),
                ("in the DOM", problems),
            ):
                found += [f"{path} {kind}: {item}" for item in items]
            dialogs.clear()
    finally:
        context.close()
    return found


def reading_paths(site) -> list[str]:
    """Every anthology in full (all its reading pages and its comments), lists of cards,
    and the notices that replace hidden articles."""
    return [
        "/",
        "/?halaman=2",
        "/en/",
        "/topik/kebijakan-publik/",
        *(article.get_all_pages_url() for article in site["anthologies"]),
        *(article.author.get_absolute_url() for article in site["anthologies"][:3]),
        *(article.get_absolute_url() for article in site["hidden"][:4]),
    ]


def admin_paths(site) -> list[str]:
    """The admin's lists hold every vector (100 rows a page, 50 in the queue); a sample
    of case pages shows the evidence, the details and the profile of the author."""
    lists = [
        ("admin:articles_article_changelist", 2),
        ("admin:accounts_user_changelist", 2),
        ("admin:comments_comment_changelist", 2),
        ("admin:moderation_report_changelist", 2),
        ("admin:moderation_case_changelist", 4),
        ("admin:moderation_moderationaction_changelist", 1),
    ]
    paths = [
        f"{reverse(name)}?status=all&p={page}" if "case" in name else f"{reverse(name)}?p={page}"
        for name, pages in lists
        for page in range(1, pages + 1)
    ]
    cases = list(Case.objects.order_by("pk"))
    paths += [reverse("admin:moderation_case_change", args=[case.pk]) for case in cases[::16]]
    return paths


def test_no_vector_runs_anywhere_in_the_browser(chromium, live_server, hostile_site):
    """One scene (it takes a while to build), four visits: readers', a signed-in
    reader's, the admin's with the policy bypassed, and a sample as served, under
    the Content-Security-Policy, where nothing may even be blocked."""
    moderator, reader = hostile_site["moderator"], hostile_site["reader"]
    anthology = hostile_site["anthologies"][0]
    signed_in_paths = [
        reverse("moderation:my_reports"),
        reverse("moderation:my_reports") + "?halaman=5",
        anthology.get_all_pages_url(),
    ]
    found = {
        "reading": visit_all(chromium, live_server, reading_paths(hostile_site), bypass_csp=True),
        "signed in": visit_all(
            chromium, live_server, signed_in_paths, person=reader, bypass_csp=True
        ),
        "admin": visit_all(
            chromium, live_server, admin_paths(hostile_site), person=moderator, bypass_csp=True
        ),
        # Staff may edit any article: the editor parses the raw text inertly.
        "editor": visit_all(
            chromium,
            live_server,
            [reverse("articles:edit", args=[draft.pk]) for draft in hostile_site["drafts"]],
            person=moderator,
            bypass_csp=True,
        ),
        "reading under the policy": visit_all(
            chromium, live_server, [*reading_paths(hostile_site)[:4], anthology.get_all_pages_url()]
        ),
        "admin under the policy": visit_all(
            chromium, live_server, admin_paths(hostile_site)[-3:], person=moderator
        ),
    }

    assert found == {name: [] for name in found}


def test_the_hook_catches_a_script_that_runs(chromium, live_server, transactional_db, settings):
    """The check itself: an article body stored without the sanitiser (a raw UPDATE)
    is caught running, blocked by the policy, and found in the DOM."""
    settings.SESSION_COOKIE_SECURE = False
    author = make_user(username="penulis")
    article = save_article(
        Article(),
        author=author,
        data={
            "title": "Uji",
            "topic": make_topic("uji"),
            "excerpt": "",
            "body": "<p>isi</p>",
            "cover_caption": "",
            "cover_credit": "",
        },
        tags=[],
    )
    publish_article(article, by=author)
    Article.objects.filter(pk=article.pk).update(
        body_html='<p>isi</p><img src="x" onerror="__xss.push(1)"><script>alert(2)</script>'
    )
    path = article.get_absolute_url()

    under_policy = visit_all(chromium, live_server, [path])
    bypassed = visit_all(chromium, live_server, [path], bypass_csp=True)

    assert any("blocked by the policy: script-src" in item for item in under_policy)
    assert any("in the DOM: handler onerror" in item for item in under_policy)
    assert not any(" ran: " in item for item in under_policy)
    assert f"{path} ran: 1" in bypassed
    assert f"{path} dialog: 2" in bypassed
