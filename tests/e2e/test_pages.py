"""Every page type: accessible (axe-core, WCAG 2.2 A and AA, in the light and the
dark colour scheme, with a contrast check of our own for text in buttons), valid
HTML (the Nu HTML checker), and photographed at desktop and phone widths for people
who want to look at the site without running it (artifacts/screenshots/)."""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from moderation.models import ModerationAction
from tests.e2e.builders import (
    DESKTOP,
    PHONE,
    Site,
    axe_violations,
    button_contrast_failures,
    describe_violations,
    sign_in,
    vnu_errors,
)

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class PageType:
    url: Callable[[Site], str]
    who: str | None = None  # the Site attribute of the signed-in user, or anonymous
    status: int = 200


PAGE_TYPES = {
    "home": PageType(lambda site: reverse("articles:home")),
    "home-english": PageType(lambda site: "/en/"),
    "topic": PageType(lambda site: reverse("articles:topic", args=[site.politik.slug])),
    "tag": PageType(lambda site: reverse("articles:tag", args=[site.article.tags.first().slug])),
    "author": PageType(lambda site: site.writer.get_absolute_url()),
    "article": PageType(lambda site: site.article.get_absolute_url()),
    "article-english": PageType(lambda site: "/en" + site.article.get_absolute_url()),
    "article-signed-in": PageType(lambda site: site.article.get_absolute_url(), who="reader"),
    "article-show-all": PageType(lambda site: site.article.get_all_pages_url()),
    "article-hidden": PageType(lambda site: site.hidden.get_absolute_url(), status=410),
    # Results with highlights, matching names above them, filters.
    "search": PageType(
        lambda site: reverse("search:search") + "?q=" + site.article.title.split()[0].lower()
    ),
    "not-found": PageType(lambda site: "/halaman-yang-tidak-ada/", status=404),
    "sign-in": PageType(lambda site: reverse("account_login")),
    "sign-up": PageType(lambda site: reverse("account_signup")),
    "write": PageType(lambda site: reverse("articles:write"), who="writer"),
    "edit": PageType(lambda site: reverse("articles:edit", args=[site.article.pk]), who="writer"),
    "dashboard": PageType(lambda site: reverse("articles:dashboard"), who="writer"),
    "following": PageType(lambda site: reverse("articles:following"), who="reader"),
    "reading-list": PageType(lambda site: reverse("readinglist:list"), who="reader"),
    "reading-list-confirm": PageType(
        lambda site: reverse("readinglist:toggle", args=[site.article.pk]), who="reader"
    ),
    "comment-like-confirm": PageType(
        lambda site: reverse("comments:like", args=[site.comment.pk]), who="reader"
    ),
    "profile-edit": PageType(lambda site: reverse("accounts:edit_profile"), who="reader"),
    "fediverse-settings": PageType(lambda site: reverse("federation_pages:choices"), who="writer"),
    "comment-reply": PageType(
        lambda site: reverse("comments:reply", args=[site.comment.pk]), who="writer"
    ),
    "report-form": PageType(
        lambda site: reverse("moderation:report_article", args=[site.article.pk]), who="reader"
    ),
    "my-reports": PageType(lambda site: reverse("moderation:my_reports"), who="reader"),
    "notifications": PageType(lambda site: reverse("notifications:list"), who="writer"),
    # People's rights (README "People's rights").
    "my-data": PageType(lambda site: reverse("rights:my_data"), who="writer"),
    "delete-account": PageType(lambda site: reverse("rights:delete_account"), who="reader"),
    "transparency": PageType(lambda site: reverse("rights:transparency")),
    "appeal": PageType(
        lambda site: reverse(
            "rights:appeal",
            args=[ModerationAction.objects.get(case__article=site.hidden, kind="hide").pk],
        ),
        who="writer",
    ),
    "api-docs": PageType(lambda site: reverse("api_docs")),
    "api-tokens": PageType(lambda site: reverse("api:tokens"), who="writer"),
    "notification-settings": PageType(
        lambda site: reverse("notifications:preferences"), who="writer"
    ),
    "admin-queue": PageType(
        lambda site: reverse("admin:moderation_case_changelist"), who="moderator"
    ),
    "admin-case": PageType(
        lambda site: reverse("admin:moderation_case_change", args=[site.comment_report.case_id]),
        who="moderator",
    ),
}


@pytest.mark.parametrize("name", PAGE_TYPES)
def test_page_type_has_no_accessibility_violations(
    name, live_server, new_context, axe_source, artifacts_dir
):
    site = Site()
    page_type = PAGE_TYPES[name]
    url = page_type.url(site)
    context = new_context()
    if page_type.who:
        sign_in(context, getattr(site, page_type.who), live_server.url)
    page = context.new_page()

    response = page.goto(url)

    assert response.status == page_type.status, f"{url} answered {response.status}"
    failures = []
    # The phone in the light scheme; the desktop in both (the dark one is set
    # by the system here, as a reader's phone or laptop would set it).
    views = (("phone", PHONE, "light"), ("desktop", DESKTOP, "light"), ("desktop", DESKTOP, "dark"))
    for width_name, viewport, scheme in views:
        page.set_viewport_size(viewport)
        page.emulate_media(color_scheme=scheme)
        suffix = "" if scheme == "light" else f"-{scheme}"
        page.screenshot(
            path=artifacts_dir / "screenshots" / f"{name}-{width_name}{suffix}.png",
            full_page=True,
            animations="disabled",
        )
        label = f"{name} {url} ({width_name}, {scheme})"
        violations = axe_violations(page, axe_source)
        if violations:
            failures.append(describe_violations(label, violations))
        failures.extend(
            f"{label}: button text {problem}" for problem in button_contrast_failures(page)
        )
    assert not failures, "Accessibility problems (WCAG 2.2 A/AA):\n" + "\n".join(failures)


def test_page_types_are_valid_html(live_server, new_context, vnu_command, artifacts_dir):
    """The HTML each page type sends, checked by the Nu HTML checker in one run."""
    site = Site()
    html_dir = artifacts_dir / "html"
    html_dir.mkdir(exist_ok=True)
    requests = {}  # one browser context (and session) per person
    files = []
    for name, page_type in PAGE_TYPES.items():
        if page_type.who not in requests:
            context = new_context()
            if page_type.who:
                sign_in(context, getattr(site, page_type.who), live_server.url)
            requests[page_type.who] = context.request
        url = page_type.url(site)
        response = requests[page_type.who].get(url)
        assert response.status == page_type.status, f"{url} answered {response.status}"
        path = html_dir / f"{name}.html"
        path.write_text(response.text())
        files.append(path)

    errors = vnu_errors(vnu_command, files)

    assert not errors, "The Nu HTML checker found errors (artifacts/html/):\n" + "\n".join(errors)
