"""Reading time for the trust levels: a signed-in reader's article page sends the
seconds it was in view when it is left (README, "Trust and spam")."""

import pytest
from playwright.sync_api import expect

from tests.e2e.builders import PHONE, make_reference_article, signed_in_page
from tests.factories import make_user
from trust.models import ReadingTime

pytestmark = pytest.mark.e2e


def recorded_seconds(page, reader, *, more_than: int) -> int:
    """The reader's seconds on record, once the beacon has been received."""
    for _ in range(50):
        seconds = sum(ReadingTime.objects.filter(user=reader).values_list("seconds", flat=True))
        if seconds > more_than:
            return seconds
        page.wait_for_timeout(200)
    return more_than


def test_leaving_an_article_page_records_the_seconds_read(live_server, new_context):
    article = make_reference_article()
    reader = make_user(username="budi", display_name="Budi Santoso")
    page = signed_in_page(new_context, reader, live_server.url)

    page.goto(article.get_absolute_url())
    expect(page.locator("article[data-reading-url]")).to_have_count(1)
    page.wait_for_timeout(2500)  # reading
    page.goto("/")  # leaving sends the beacon (pagehide)

    indonesian = recorded_seconds(page, reader, more_than=0)
    assert indonesian >= 2
    (row,) = ReadingTime.objects.filter(user=reader)
    assert row.article_id == article.pk

    # The English page, on a phone, adds to the same day's row.
    phone = signed_in_page(
        new_context, reader, live_server.url, viewport=PHONE, is_mobile=True, has_touch=True
    )
    phone.goto(f"/en{article.get_absolute_url()}")
    phone.wait_for_timeout(1500)
    phone.goto("/en/")
    assert recorded_seconds(phone, reader, more_than=indonesian) >= indonesian + 1


def test_a_signed_out_reader_sends_nothing(live_server, page):
    article = make_reference_article()
    page.goto(article.get_absolute_url())
    page.wait_for_timeout(1500)
    responses = []
    page.on("request", lambda request: responses.append(request.url))
    page.goto("/")
    assert not [url for url in responses if "/baca/" in url]
    assert not ReadingTime.objects.exists()
