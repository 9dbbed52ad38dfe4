"""A writer makes a personal access token from their profile, publishes a draft
with it from a script, and revokes it, with JavaScript off: every step a form."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from articles.models import Article
from tests.e2e.builders import signed_in_page
from tests.factories import make_article, make_user

pytestmark = pytest.mark.e2e


def test_writer_makes_uses_and_revokes_a_token(live_server, new_context):
    writer = make_user(username="penulisapi", display_name="Penulis API")
    draft = make_article(author=writer, status=Article.Status.DRAFT, title="Draf dari skrip")
    page = signed_in_page(new_context, writer, live_server.url, java_script_enabled=False)

    page.goto(live_server.url + "/profil/ubah/")
    page.get_by_role("link", name="Token API").click()
    page.get_by_label("Nama").fill("Skrip terbit")
    page.get_by_label("Menerbitkan dan membatalkan terbitan").check()
    page.get_by_role("button", name="Buat token").click()

    expect(page.get_by_text("Salin sekarang")).to_be_visible()
    secret = page.locator("#new-token").inner_text()
    script = Client()  # the writer's script, outside the browser
    published = script.post(
        f"/api/v1/articles/{draft.pk}/publish",
        {},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {secret}",
    )
    assert published.status_code == 200

    page.goto(live_server.url + "/profil/token/")
    expect(page.locator("#new-token")).to_have_count(0)  # shown once only
    page.get_by_role("button", name="Cabut").click()
    expect(page.get_by_text("Token Skrip terbit tidak berlaku lagi.")).to_be_visible()
    refused = script.get("/api/v1/me", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert refused.status_code == 401
