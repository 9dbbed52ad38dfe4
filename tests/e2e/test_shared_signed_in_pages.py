"""Two signed-in readers in real browsers, with the caches on as in production: one
copy of the article page serves both (caching.readers), each sees their own name,
bell, follow button and rating, and a rating shows at once, with and without JavaScript."""

import pytest
from playwright.sync_api import expect

from accounts.services import follow_author
from caching import memory
from tests.e2e.builders import PHONE, signed_in_page
from tests.factories import make_article, make_topic, make_user

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def caches_on(settings):
    settings.PAGE_CACHE = True
    settings.FRAGMENT_CACHE = True


@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no javascript"])
def test_two_readers_share_one_page_and_each_sees_their_own(live_server, new_context, javascript):
    writer = make_user(username="penulistaman", display_name="Penulis Taman")
    article = make_article(author=writer, topic=make_topic("kota"), title="Taman kota baru")
    ani = make_user(username="ani", display_name="Ani Wijaya")
    budi = make_user(username="budi", display_name="Budi Santoso")
    follow_author(ani, author=writer)
    follow_author(budi, author=ani)  # Ani has one unread notice
    url = live_server.url + article.get_absolute_url()
    pages = {
        person: signed_in_page(
            new_context, person, live_server.url, java_script_enabled=javascript, viewport=PHONE
        )
        for person in (ani, budi)
    }

    for page in pages.values():
        page.goto(url)
    assert len(memory.reader_pages) == 1  # one copy served both

    ani_page, budi_page = pages[ani], pages[budi]
    expect(ani_page.locator(".account-nav")).to_contain_text("Ani Wijaya")
    expect(ani_page.locator(".account-nav")).not_to_contain_text("Budi Santoso")
    expect(budi_page.locator(".account-nav")).to_contain_text("Budi Santoso")
    expect(ani_page.locator(".bell-count")).to_have_text("1")
    expect(budi_page.locator(".bell-count")).to_have_count(0)
    expect(ani_page.locator(".follow-button.is-following")).to_have_count(1)
    expect(budi_page.locator(".follow-button.is-following")).to_have_count(0)

    budi_page.get_by_role("button", name="Bermanfaat").click()
    budi_page.goto(url)
    expect(budi_page.get_by_role("button", name="Bermanfaat")).to_have_attribute(
        "aria-pressed", "true"
    )
    ani_page.goto(url)
    expect(ani_page.get_by_role("button", name="Bermanfaat")).to_have_attribute(
        "aria-pressed", "false"
    )
