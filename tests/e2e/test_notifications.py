"""A writer hears about comments on their article through the bell, reads the
notifications and clears them, with JavaScript off: every action is a form."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.builders import make_comment, make_reference_article, signed_in_page
from tests.factories import make_user

pytestmark = pytest.mark.e2e


def test_writer_reads_and_clears_notifications_without_javascript(live_server, new_context):
    article = make_reference_article()
    make_comment(article, author=make_user(display_name="Ani"), body="Setuju sekali.")
    make_comment(article, author=make_user(display_name="Budi"), body="Saya kurang setuju.")
    page = signed_in_page(new_context, article.author, live_server.url, java_script_enabled=False)

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Notifikasi: 2 belum dibaca").click()

    expect(page.get_by_role("heading", name="Notifikasi", exact=True)).to_be_visible()
    expect(page.get_by_text(re.compile("Ani mengomentari artikel Anda"))).to_be_visible()
    page.get_by_role("button", name="Tandai sudah dibaca").first.click()
    expect(page.get_by_role("link", name="Notifikasi: 1 belum dibaca")).to_be_visible()

    page.get_by_role("button", name="Tandai semua sudah dibaca").click()
    expect(page.get_by_text("Semua notifikasi ditandai sudah dibaca.")).to_be_visible()
    expect(page.get_by_role("link", name="Notifikasi: 0 belum dibaca")).to_be_visible()

    page.get_by_role("link", name=re.compile("Budi mengomentari")).click()
    expect(page.get_by_text("Saya kurang setuju.")).to_be_visible()


def test_clicking_a_notification_leads_to_it_and_clears_it_from_the_bell(live_server, new_context):
    article = make_reference_article()
    make_comment(article, author=make_user(display_name="Citra"), body="Tulisan yang jernih.")
    make_comment(article, author=make_user(display_name="Dedi"), body="Saya ingin menambahkan.")
    page = signed_in_page(new_context, article.author, live_server.url)

    page.goto(live_server.url + "/notifikasi/")
    page.get_by_role("link", name=re.compile("Citra mengomentari")).click()

    expect(page.get_by_text("Tulisan yang jernih.")).to_be_visible()
    expect(page.get_by_role("link", name="Notifikasi: 1 belum dibaca")).to_be_visible()
