"""Saving for later and liking comments in a real browser, with the caches on as in
production (cards and threads are shared by every reader): with JavaScript the links
show the reader's own state and post in place; without it they lead to a confirmation.
In both languages, at phone width."""

import pytest
from playwright.sync_api import expect

from comments.services import like_comment
from notifications.models import Notification
from readinglist.models import Bookmark
from tests.e2e.builders import PHONE, signed_in_page
from tests.e2e.journeys import url_in
from tests.factories import make_article, make_topic, make_user

from .builders import make_comment

pytestmark = pytest.mark.e2e

LABELS = {
    "id": {"save": "Simpan", "saved": "Disimpan", "like": "Suka", "liked": "Disukai",
           "list": "Bacaan Saya", "confirm_save": "Simpan ke Bacaan Saya?"},
    "en": {"save": "Save", "saved": "Saved", "like": "Like", "liked": "Liked",
           "list": "My reading list", "confirm_save": "Save to My reading list?"},
}  # fmt: skip


@pytest.fixture(autouse=True)
def caches_on(settings):
    settings.PAGE_CACHE = True
    settings.FRAGMENT_CACHE = True


@pytest.fixture
def article():
    writer = make_user(username="penulissungai", display_name="Penulis Sungai")
    return make_article(author=writer, topic=make_topic("lingkungan"), title="Sungai Ciliwung")


@pytest.mark.parametrize("language", ["id", "en"])
def test_saving_from_a_card_in_place_and_reading_the_list(
    live_server, new_context, article, language
):
    labels = LABELS[language]
    ani = make_user(username="ani", display_name="Ani Wijaya")
    budi = make_user(username="budi", display_name="Budi Santoso")
    home = live_server.url + url_in(language, "articles:home")
    ani_page = signed_in_page(new_context, ani, live_server.url, viewport=PHONE)
    budi_page = signed_in_page(new_context, budi, live_server.url, viewport=PHONE)

    ani_page.goto(home)
    save = ani_page.locator(f'a.card-save[data-toggle="{article.pk}"]')
    expect(save).to_have_attribute("aria-pressed", "false")
    save.click()
    expect(save).to_have_attribute("aria-pressed", "true")
    expect(save).to_contain_text(labels["saved"])
    assert Bookmark.objects.filter(reader=ani, article=article).exists()

    budi_page.goto(home)  # the same shared list, Budi's own state
    expect(budi_page.locator(f'a.card-save[data-toggle="{article.pk}"]')).to_have_attribute(
        "aria-pressed", "false"
    )
    ani_page.reload()
    expect(save).to_have_attribute("aria-pressed", "true")

    ani_page.get_by_role("link", name=labels["list"], exact=True).click()
    expect(ani_page.locator("h1")).to_have_text(labels["list"])
    expect(ani_page.locator(".card-title")).to_have_text(article.title)
    ani_page.locator("form.card-save button").click()
    expect(ani_page.locator(".card-title")).to_have_count(0)
    assert not Bookmark.objects.filter(reader=ani).exists()


def test_saving_without_javascript_asks_first(live_server, new_context, article):
    ani = make_user(username="ani")
    page = signed_in_page(new_context, ani, live_server.url, java_script_enabled=False)
    page.goto(live_server.url + "/")
    page.locator(f'a.card-save[data-toggle="{article.pk}"]').click()
    expect(page.locator("h1")).to_have_text("Simpan ke Bacaan Saya?")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(live_server.url + "/")
    expect(page.locator(".messages")).to_contain_text("Disimpan ke Bacaan Saya.")
    # On the article page the button is the reader's own, pressed.
    page.goto(live_server.url + article.get_absolute_url())
    expect(page.locator("button.bookmark-button")).to_have_attribute("aria-pressed", "true")


@pytest.mark.parametrize("language", ["id", "en"])
def test_liking_a_comment_in_place_tells_its_writer_once(
    live_server, new_context, article, language
):
    labels = LABELS[language]
    sari = make_user(username="sari", display_name="Sari Wulandari")
    comment = make_comment(article, author=sari, body="Airnya kini lebih jernih.")
    like_comment(comment, reader=make_user())  # someone liked it before
    ani = make_user(username="ani", display_name="Ani Wijaya")
    page = signed_in_page(new_context, ani, live_server.url, viewport=PHONE)
    page.goto(live_server.url + url_in(language, "articles:detail", article.pk, article.slug))

    like = page.locator(f"#komentar-{comment.pk} a.like-link")
    expect(like).to_have_attribute("aria-pressed", "false")
    expect(like).to_have_text(f"{labels['like']} 1")
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like).to_have_text(f"{labels['liked']} 2")
    page.reload()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like).to_have_text(f"{labels['liked']} 2")

    notice = Notification.objects.get(comment=comment, kind=Notification.Kind.COMMENT_LIKE)
    assert notice.actor == ani and notice.is_unread

    like.click()  # and back
    expect(like).to_have_text(f"{labels['like']} 1")


def test_a_signed_out_reader_is_asked_to_sign_in_first(live_server, page, article):
    comment = make_comment(article, author=make_user(), body="Setuju.")
    page.goto(live_server.url + article.get_absolute_url())
    page.locator(f"#komentar-{comment.pk} a.like-link").click()
    expect(page).to_have_url(f"{live_server.url}/akun/login/?next=/komentar/{comment.pk}/suka/")
