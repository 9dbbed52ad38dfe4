"""A reader's journey through topics and a four-page article."""

import pytest
from playwright.sync_api import expect

from tests.e2e.builders import (
    PHONE,
    make_reference_article,
    reference_article_on_second_topic_page,
    signed_in_page,
)
from tests.e2e.journeys import READER_LABELS, read_reference_article
from tests.factories import make_user

pytestmark = pytest.mark.e2e


def test_reader_reads_an_article_page_by_page_in_indonesian(live_server, page):
    article = reference_article_on_second_topic_page()

    read_reference_article(page, article, READER_LABELS["id"])


def test_reader_reads_an_article_in_english_on_a_phone(live_server, new_context):
    article = reference_article_on_second_topic_page()
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()

    read_reference_article(page, article, READER_LABELS["en"])


def test_a_readers_own_rating_stands_out_from_the_others(live_server, new_context):
    article = make_reference_article()
    reader = make_user(username="budi", display_name="Budi Santoso")
    page = signed_in_page(new_context, reader, live_server.url)
    page.goto(article.get_absolute_url())

    page.get_by_role("button", name="Inspiratif").click()

    chosen = page.locator(".rating-button[aria-pressed=true]")
    expect(chosen).to_have_count(1)
    expect(chosen).to_contain_text("Inspiratif 1")
    others = page.locator(".rating-button[aria-pressed=false]")
    style = "b => [getComputedStyle(b).backgroundColor, getComputedStyle(b, '::before').content]"
    chosen_background, tick = chosen.evaluate(style)
    other_background, no_tick = others.first.evaluate(style)
    assert chosen_background != other_background
    assert tick == '"✓ "'  # shown without colour too
    assert no_tick == "none"
    withdraw = page.get_by_role("button", name="Tarik nilai saya")
    gap = withdraw.bounding_box()["x"] - (
        page.locator(".rating-button").last.bounding_box()["x"]
        + page.locator(".rating-button").last.bounding_box()["width"]
    )
    assert gap >= 8  # not jammed against the last button
