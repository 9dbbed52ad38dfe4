"""Likes and boosts from the fediverse as a reader and the writer see them: on the
article page in Indonesian and English, at phone and desktop widths, on the
writer's dashboard and on their fediverse page (README, "Federation")."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.e2e.builders import DESKTOP, PHONE, add_fediverse_reactions, make_author, signed_in_page
from tests.factories import make_article

pytestmark = pytest.mark.e2e


@pytest.fixture
def liked(db):
    writer = make_author(username="sari", display_name="Sari Wulandari")
    article = make_article(author=writer, title="Trotoar untuk semua")
    add_fediverse_reactions(article, likes=12, boosts=3)
    return writer, article


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
@pytest.mark.parametrize(
    ("prefix", "line"),
    [("", "12 suka · 3 boost di fediverse"), ("/en", "12 likes · 3 boosts on the fediverse")],
    ids=["id", "en"],
)
def test_a_reader_sees_the_likes_and_boosts_on_the_article(
    live_server, new_context, liked, viewport, prefix, line
):
    _, article = liked
    page = new_context(viewport=viewport).new_page()
    page.goto(prefix + article.get_absolute_url())
    reactions = page.locator(".article-meta .fediverse-reactions")
    expect(reactions).to_be_visible()
    expect(reactions).to_have_text(line)
    assert _fits(page)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_writer_sees_them_on_the_dashboard_and_fediverse_page(
    live_server, new_context, liked, viewport
):
    writer, _ = liked
    page = signed_in_page(new_context, writer, live_server.url, viewport=viewport)
    page.goto(reverse("articles:dashboard"))
    row = page.get_by_role("row").filter(has_text="Trotoar untuk semua")
    expect(row.get_by_role("cell", name="12 suka, 3 boost")).to_be_visible()
    page.goto(reverse("federation_pages:choices"))
    expect(
        page.get_by_text("Tulisan Anda mendapat 12 suka dan 3 boost di fediverse.")
    ).to_be_visible()
    row = page.get_by_role("row").filter(has_text="Trotoar untuk semua")
    expect(row.get_by_role("cell")).to_have_text(["Trotoar untuk semua", "12", "3"])
    page.goto("/en" + reverse("federation_pages:choices"))
    expect(page.get_by_role("heading", name="Likes and boosts")).to_be_visible()
    assert _fits(page)
