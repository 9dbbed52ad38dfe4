"""The reading and commenting journeys with JavaScript switched off: every action
is a link or a form, so everything still works."""

import pytest

from tests.e2e.builders import reference_article_on_second_topic_page, sign_in
from tests.e2e.journeys import READER_LABELS, discuss, read_reference_article
from tests.factories import make_user

pytestmark = pytest.mark.e2e


def test_reader_reads_an_article_page_by_page_without_javascript(live_server, new_context):
    article = reference_article_on_second_topic_page()
    page = new_context(java_script_enabled=False).new_page()

    read_reference_article(page, article, READER_LABELS["id"], javascript=False)


def test_readers_discuss_through_the_reply_pages_without_javascript(live_server, new_context):
    article = reference_article_on_second_topic_page()
    readers = [
        make_user(username=name.lower(), display_name=name)
        for name in ("Ani", "Budi", "Citra", "Dedi")
    ]
    pages = {}
    for reader in readers:
        context = new_context(java_script_enabled=False)
        sign_in(context, reader, live_server.url)
        pages[reader] = context.new_page()

    discuss(pages, article, javascript=False)
