"""A reader's journey through topics and a four-page article."""

import pytest

from tests.e2e.builders import PHONE, reference_article_on_second_topic_page
from tests.e2e.journeys import READER_LABELS, read_reference_article

pytestmark = pytest.mark.e2e


def test_reader_reads_an_article_page_by_page_in_indonesian(live_server, page):
    article = reference_article_on_second_topic_page()

    read_reference_article(page, article, READER_LABELS["id"])


def test_reader_reads_an_article_in_english_on_a_phone(live_server, new_context):
    article = reference_article_on_second_topic_page()
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()

    read_reference_article(page, article, READER_LABELS["en"])
