"""Readers discuss an article in a thread, with the in-place forms JavaScript adds."""

import pytest

from tests.e2e.builders import make_reference_article, signed_in_page
from tests.e2e.journeys import discuss
from tests.factories import make_user

pytestmark = pytest.mark.e2e


def test_readers_reply_three_levels_deep_edit_and_delete(live_server, new_context):
    article = make_reference_article()
    readers = [
        make_user(username=name.lower(), display_name=name)
        for name in ("Ani", "Budi", "Citra", "Dedi")
    ]
    pages = {reader: signed_in_page(new_context, reader, live_server.url) for reader in readers}

    discuss(pages, article, javascript=True)
