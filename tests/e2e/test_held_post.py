"""A new writer signs up and publishes: the article waits for review, seen only by
them, until a moderator releases it from the held queue (README, "Trust and spam")."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article
from tests.e2e.builders import make_moderator, politik_and_kebijakan
from tests.e2e.journeys import ends_with
from tests.e2e.test_authoring import sign_up_and_confirm
from tests.e2e.test_moderation import act_on_case, admin_sign_in
from trust.models import HeldItem

pytestmark = pytest.mark.e2e

TITLE = "Salam kenal dari Magelang"


@pytest.fixture
def screening_on(settings):
    settings.TRUST_SCREENING = True  # off for the rest of the suite (settings_test.py)
    # The journey types faster than the write form's too-fast rule allows a person.
    settings.TRUST_MIN_FORM_SECONDS = {}


def test_a_new_writers_first_article_is_held_then_released(live_server, new_context, screening_on):
    politik_and_kebijakan()
    writer_page = new_context().new_page()
    sign_up_and_confirm(writer_page, email="sari@example.com", username="sariwarga")

    writer_page.get_by_role("link", name="Tulis", exact=True).click()
    form = writer_page.locator("form.write-form")
    form.get_by_label("Judul").fill(TITLE)
    form.get_by_label("Topik").select_option(label="Politik / Kebijakan")
    writer_page.locator(".ProseMirror[contenteditable=true]").click()
    writer_page.keyboard.type("Saya guru PAUD dan ingin menulis tentang permainan tradisional.")
    writer_page.get_by_role("button", name="Simpan Draf").click()
    expect(writer_page.locator(".messages")).to_contain_text("Draf tersimpan.")
    writer_page.get_by_role("button", name="Terbitkan").click()
    expect(writer_page.locator(".messages")).to_contain_text("menunggu tinjauan")
    article = Article.objects.get(title=TITLE)
    assert article.status == Article.Status.HELD
    expect(writer_page.locator(".notice-held")).to_contain_text("Menunggu tinjauan")

    # Nobody else can see it, not on the home page and not at its address.
    reader_page = new_context().new_page()
    response = reader_page.goto(article.get_absolute_url())
    assert response.status == 404
    reader_page.goto("/")
    expect(reader_page.get_by_role("link", name=TITLE)).to_have_count(0)

    moderator = make_moderator(username="moderator")
    moderator_page = new_context().new_page()
    admin_sign_in(moderator_page, moderator)
    # The held post is a row of the moderation queue, with why it was held.
    moderator_page.goto("/admin/moderation/case/")
    row = moderator_page.get_by_role("row").filter(has_text=TITLE)
    expect(row).to_contain_text("probation")
    expect(row).to_contain_text("Baru")
    row.get_by_role("link", name=re.compile(TITLE)).click()
    expect(moderator_page.locator("#case-held")).to_contain_text("probation")
    act_on_case(
        moderator_page,
        "release",
        button="Loloskan (terbitkan)",
        done="Diloloskan setelah ditinjau",
        reason="",
    )
    assert HeldItem.objects.get(article=article).decided_by == moderator

    response = reader_page.goto(article.get_absolute_url())
    assert response.status == 200
    expect(reader_page.get_by_role("heading", level=1)).to_have_text(TITLE)
    writer_page.goto("/notifikasi/")
    expect(writer_page.locator("main")).to_contain_text(re.compile("lolos tinjauan"))
    expect(writer_page).to_have_url(ends_with("/notifikasi/"))
