"""The writing journeys of test_writers_tools.py under /en/: restore a revision,
publish a correction, schedule a draft and autosave a new one, each at one width
(the Indonesian ones run at both), with axe on the pages they reach."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import expect

from articles.models import WIB, Article
from tests.e2e.builders import (
    DESKTOP,
    PHONE,
    axe_violations,
    describe_violations,
    make_author,
    politik_and_kebijakan,
    signed_in_page,
)
from tests.e2e.journeys import ends_with
from tests.e2e.test_writers_tools import edit
from tests.factories import make_article

pytestmark = pytest.mark.e2e


def no_violations(page, axe_source, label):
    violations = axe_violations(page, axe_source)
    assert not violations, describe_violations(label, violations)


def test_an_author_restores_an_earlier_revision_in_english(live_server, new_context, axe_source):
    _, topic = politik_and_kebijakan()
    author = make_author()
    article = make_article(
        author=author, topic=topic, title="Village Budget",
        body="<p>The budget rose to Rp 2 billion.</p><p>Residents are invited to watch.</p>",
    )  # fmt: skip
    edit(
        article,
        body="<p>The budget rose to Rp 20 billion.</p><p>Residents are invited to watch.</p>",
    )
    page = signed_in_page(new_context, author, live_server.url, viewport=PHONE)

    page.goto("/en" + article.get_absolute_url())
    page.get_by_role("link", name="Edit this article").click()
    expect(page).to_have_url(ends_with(f"/en/tulis/{article.pk}/"))
    page.get_by_role("link", name="Revisions").click()
    rows = page.locator("table.revision-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Saved")
    expect(rows.nth(1)).to_contain_text("Published")
    no_violations(page, axe_source, "revisions (en)")

    rows.nth(0).get_by_role("link", name="See changes").click()
    diff = page.locator(".revision-diff")
    expect(diff.locator("ins")).to_have_text("20")
    expect(diff).to_contain_text("1 paragraph unchanged")
    page.get_by_role("link", name="All revisions").click()
    rows.nth(1).get_by_role("link", name="See changes").click()
    page.get_by_role("button", name="Restore this revision").click()
    expect(page.locator(".messages")).to_contain_text("The revision is restored")
    expect(rows.nth(0)).to_contain_text("Restored")
    article.refresh_from_db()
    assert "Rp 2 billion" in article.body


def test_an_author_publishes_a_correction_in_english(live_server, new_context, axe_source):
    _, topic = politik_and_kebijakan()
    author = make_author()
    article = make_article(
        author=author, topic=topic, title="Clinic Hours", body="<p>The clinic opens Monday.</p>"
    )
    page = signed_in_page(new_context, author, live_server.url, viewport=DESKTOP)

    page.goto(f"/en/tulis/{article.pk}/")
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.press("Control+A")
    page.keyboard.type("The clinic opens Tuesday.")
    page.get_by_label("Correction note").fill("It said Monday; it is Tuesday.")
    page.get_by_role("button", name="Publish as a correction").click()

    expect(page.locator(".messages")).to_contain_text("Your correction is published.")
    expect(page.locator(".correction-notice")).to_contain_text("it is Tuesday")
    expect(page.locator(".article-body")).to_contain_text("Tuesday")
    no_violations(page, axe_source, "corrected article (en)")


def test_an_author_schedules_a_draft_in_english(live_server, new_context, axe_source):
    _, topic = politik_and_kebijakan()
    author = make_author()
    draft = make_article(
        author=author, topic=topic, status=Article.Status.DRAFT, title="Saturday Clean-up",
        body="<p>Everyone in RT 05 is invited.</p>",
    )  # fmt: skip
    today = datetime.now(WIB).date()
    saturday = today + timedelta(days=(5 - today.weekday()) % 7 + 7)
    page = signed_in_page(new_context, author, live_server.url, viewport=PHONE)

    page.goto(f"/en/tulis/{draft.pk}/")
    page.get_by_label("Publication date").fill(saturday.isoformat())
    page.get_by_label("Time (WIB)").fill("23:30")
    page.get_by_role("button", name="Schedule", exact=True).click()

    expect(page).to_have_url(ends_with("/en/tulisan-saya/"))
    expect(page.locator(".messages")).to_contain_text("23:30 WIB")
    expect(page.locator(".status-scheduled")).to_contain_text(re.compile(r"Scheduled: .*23:30 WIB"))
    no_violations(page, axe_source, "dashboard with a scheduled article (en)")
    draft.refresh_from_db()
    # 23:30 WIB is 16:30 UTC the same day.
    assert draft.scheduled_at == datetime(
        saturday.year, saturday.month, saturday.day, 16, 30, tzinfo=UTC
    )
    page.goto(f"/en/tulis/{draft.pk}/")
    page.get_by_role("button", name="Cancel the schedule").click()
    expect(page.locator(".messages")).to_contain_text("The schedule is cancelled")


def test_a_new_draft_is_autosaved_in_english(live_server, new_context, axe_source):
    politik_and_kebijakan()
    author = make_author()
    page = signed_in_page(new_context, author, live_server.url, viewport=DESKTOP)

    page.goto("/en/tulis/")
    form = page.locator("form.write-form")
    form.get_by_label("Title").fill("Neighbourhood Meeting Notes")
    form.get_by_label("Topic").select_option(label="Politik / Kebijakan")
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.type("The meeting set the night watch rota.")

    expect(page.locator("[data-autosave-state]")).to_have_text(
        re.compile(r"^Saved \d\d:\d\d$"), timeout=20_000
    )
    article = Article.objects.get(author=author)
    expect(page).to_have_url(ends_with(f"/en/tulis/{article.pk}/"))
    no_violations(page, axe_source, "write page, saved (en)")
    page.reload()
    expect(page.locator(".ProseMirror[contenteditable=true]")).to_contain_text("night watch rota")
