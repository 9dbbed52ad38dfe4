"""Fixtures for the security tests: the people of the authorisation matrix, a small
image for covers, and a Chromium for the browser check (marked ``e2e``)."""

import io
import os
import shutil

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from tests.e2e.builders import CHROMIUM_ARGS
from tests.factories import make_topic, make_user
from tests.moderation.builders import make_moderator

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def topic(db):
    return make_topic("kebijakan-publik", name="Kebijakan Publik")


def small_jpeg(name="sampul.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (48, 32), (30, 120, 200)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def signed_in(person, **kwargs) -> Client:
    """A browser of its own, signed in as ``person`` (anonymous for None)."""
    client = Client(**kwargs)
    if person is not None:
        client.force_login(person)
    return client


@pytest.fixture
def people(db):
    """The roles of the authorisation matrix, each a distinct account."""
    return {
        "anonymous": None,
        "reader": make_user(username="pembaca", display_name="Pembaca"),
        "another author": make_user(username="penulislain", display_name="Penulis Lain"),
        "the author": make_user(username="penulis", display_name="Penulis"),
        "moderator": make_moderator(username="moderator", display_name="Moderator"),
        "superuser": make_user(
            username="admin", display_name="Admin", is_staff=True, is_superuser=True
        ),
    }


# --- The browser ------------------------------------------------------------------


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium driven by Playwright; the test is skipped without it."""
    if not os.path.exists(CHROMIUM) or shutil.which(CHROMIUM) is None:
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread; the tests touch
    # the ORM from the same thread.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous
