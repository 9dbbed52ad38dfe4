"""Photos and videos in the body, as an author and a reader meet them: upload
into the editor (button, drop) with a required description, the same without
JavaScript, and a video that loads nothing from YouTube until played. In
Indonesian and English, at desktop and phone widths, with axe on every page."""

import re

import pytest
from playwright.sync_api import expect

from articles.models import Article, BodyImage
from tests.e2e.builders import (
    DESKTOP,
    PHONE,
    axe_violations,
    describe_violations,
    jpeg_bytes,
    make_author,
    politik_and_kebijakan,
    signed_in_page,
)
from tests.e2e.journeys import ends_with
from tests.factories import make_article

pytestmark = pytest.mark.e2e

TEXT = {
    "id": {
        "prefix": "",
        "open": "Unggah foto",
        "alt": "Teks alternatif",
        "caption": "Keterangan",
        "insert": "Unggah dan sisipkan",
        "alt_missing": "Jelaskan isi foto",
        "saved": re.compile(r"^Tersimpan \d\d:\d\d$"),
        "added": "Foto ditambahkan di akhir artikel Anda.",
        "play": "Putar video",
        "watch": "Tonton di YouTube",
        "upload_page": "Unggah foto ini",
    },
    "en": {
        "prefix": "/en",
        "open": "Upload a photo",
        "alt": "Alternative text",
        "caption": "Caption",
        "insert": "Upload and insert",
        "alt_missing": "Describe the photo",
        "saved": re.compile(r"^Saved \d\d:\d\d$"),
        "added": "The photo is added at the end of your article.",
        "play": "Play video",
        "watch": "Watch on YouTube",
        "upload_page": "Upload the photo",
    },
}
CASES = [
    pytest.param("id", DESKTOP, id="id-desktop"),
    pytest.param("en", PHONE, id="en-phone"),
]
VIDEO_ID = "dQw4w9WgXcQ"


def no_violations(page, axe_source, label):
    violations = axe_violations(page, axe_source)
    assert not violations, describe_violations(label, violations)


def photo_file():
    return {"name": "sawah.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes((2000, 1200))}


@pytest.mark.parametrize(("language", "viewport"), CASES)
def test_an_author_uploads_a_photo_into_the_text_and_readers_see_it(
    live_server, new_context, axe_source, language, viewport
):
    text = TEXT[language]
    _, topic = politik_and_kebijakan()
    author = make_author()
    draft = make_article(
        author=author, topic=topic, status=Article.Status.DRAFT, title="Panen di Subak",
        body="<p>Panen raya tahun ini.</p>",
    )  # fmt: skip
    page = signed_in_page(new_context, author, live_server.url, viewport=viewport)

    page.goto(f"{text['prefix']}/tulis/{draft.pk}/")
    page.locator(".ProseMirror[contenteditable=true]").click()
    page.keyboard.press("Control+End")
    page.get_by_role("button", name=text["open"], exact=True).click()
    dialog = page.locator("dialog.upload-dialog[open]")
    expect(dialog).to_be_visible()
    no_violations(page, axe_source, "upload dialog")
    dialog.locator("input[type=file]").set_input_files(photo_file())

    # The description is required: the dialog says so and nothing is stored.
    dialog.get_by_role("button", name=text["insert"]).click()
    expect(dialog.locator("[data-upload-error]")).to_contain_text(text["alt_missing"])
    assert BodyImage.objects.count() == 0

    dialog.get_by_label(text["alt"]).fill("Petani memanen padi di sawah berundak")
    dialog.get_by_label(text["caption"]).fill("Panen di Jatiluwih")
    dialog.get_by_role("button", name=text["insert"]).click()
    expect(dialog).to_have_count(0)
    editor = page.locator(".ProseMirror[contenteditable=true]")
    expect(editor.locator("figure img")).to_have_attribute(
        "alt", "Petani memanen padi di sawah berundak"
    )
    expect(editor.locator("figure figcaption")).to_have_text("Panen di Jatiluwih")
    # Autosave keeps it like any other text.
    expect(page.locator("[data-autosave-state]")).to_have_text(text["saved"], timeout=20_000)
    draft.refresh_from_db()
    image = BodyImage.objects.get()
    assert image.article == draft
    assert image.name in draft.body_html and "srcset=" in draft.body_html

    page.goto(f"{text['prefix']}{draft.get_absolute_url()}")
    shown = page.locator(".article-body figure img")
    expect(shown).to_have_attribute("srcset", re.compile(r"480w.*960w.*1600w"))
    expect(page.locator(".article-body figcaption")).to_have_text("Panen di Jatiluwih")
    assert shown.evaluate("img => img.complete && img.naturalWidth > 0")
    width = shown.evaluate("img => img.getBoundingClientRect().width")
    assert width <= viewport["width"]
    no_violations(page, axe_source, "article with a photo")


def test_a_photo_dropped_into_the_text_asks_for_its_description(
    live_server, new_context, axe_source
):
    _, topic = politik_and_kebijakan()
    author = make_author()
    draft = make_article(author=author, topic=topic, status=Article.Status.DRAFT, title="Jalan")
    page = signed_in_page(new_context, author, live_server.url)
    page.goto(f"/tulis/{draft.pk}/")
    editor = page.locator(".ProseMirror[contenteditable=true]")
    expect(editor).to_be_visible()

    editor.evaluate(
        """(area, bytes) => {
            const data = new DataTransfer();
            data.items.add(new File([new Uint8Array(bytes)], "jalan.jpg", {type: "image/jpeg"}));
            area.dispatchEvent(new DragEvent("drop", {dataTransfer: data, bubbles: true,
                                                      cancelable: true}));
        }""",
        list(jpeg_bytes((800, 600))),
    )

    dialog = page.locator("dialog.upload-dialog[open]")
    expect(dialog).to_be_visible()
    assert dialog.locator("input[type=file]").evaluate("input => input.files.length") == 1
    expect(dialog.get_by_label("Teks alternatif")).to_be_focused()
    dialog.get_by_label("Teks alternatif").fill("Jalan desa berlubang")
    dialog.get_by_role("button", name="Unggah dan sisipkan").click()
    expect(editor.locator("figure img")).to_have_attribute("alt", "Jalan desa berlubang")

    # The upload page of its own (what the write page links to without JavaScript).
    page.goto(f"/tulis/{draft.pk}/foto/")
    no_violations(page, axe_source, "upload page")


@pytest.mark.parametrize("language", ["id", "en"])
def test_without_javascript_a_photo_goes_at_the_end_of_the_article(
    live_server, new_context, language
):
    text = TEXT[language]
    _, topic = politik_and_kebijakan()
    author = make_author()
    draft = make_article(
        author=author, topic=topic, status=Article.Status.DRAFT, title="Tanpa Skrip",
        body="<p>Teks awal.</p>",
    )  # fmt: skip
    page = signed_in_page(new_context, author, live_server.url, java_script_enabled=False)

    page.goto(f"{text['prefix']}/tulis/{draft.pk}/")
    page.get_by_role("link", name=text["open"], exact=True).click()
    expect(page).to_have_url(ends_with(f"/tulis/{draft.pk}/foto/"))
    page.locator("input[type=file]").set_input_files(photo_file())
    page.get_by_label(text["alt"]).fill("Balai warga")
    page.get_by_role("button", name=text["upload_page"]).click()

    expect(page).to_have_url(ends_with(f"/tulis/{draft.pk}/"))
    expect(page.locator(".messages")).to_contain_text(text["added"])
    expect(page.locator(".body-image-list img")).to_have_attribute("alt", "Balai warga")
    draft.refresh_from_db()
    assert draft.body.startswith("<p>Teks awal.</p><figure><img ")


@pytest.mark.parametrize(("language", "viewport"), CASES)
def test_a_video_loads_nothing_from_youtube_until_the_reader_plays_it(
    live_server, new_context, axe_source, language, viewport
):
    text = TEXT[language]
    _, topic = politik_and_kebijakan()
    article = make_article(
        topic=topic,
        title="Tari Kecak",
        body=f'<p><a href="https://youtu.be/{VIDEO_ID}">Tari Kecak di Uluwatu</a></p>',
    )
    context = new_context(viewport=viewport)
    outside = []
    context.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if re.search(r"youtube|ytimg|vimeo|googlevideo", request.url)
            else None
        ),
    )
    # The player itself: a stand-in page, so the test needs no network.
    context.route(
        "https://www.youtube-nocookie.com/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<!doctype html><title>player</title>"
        ),
    )
    page = context.new_page()

    page.goto(f"{text['prefix']}{article.get_absolute_url()}")
    figure = page.locator(".article-body figure.video-embed")
    expect(figure.locator(".video-title")).to_have_text("Tari Kecak di Uluwatu")
    expect(figure.get_by_role("link", name=text["watch"])).to_have_attribute(
        "href", f"https://www.youtube.com/watch?v={VIDEO_ID}"
    )
    no_violations(page, axe_source, "article with a video")
    page.wait_for_load_state("networkidle")
    assert outside == []
    assert page.locator("iframe").count() == 0

    figure.get_by_role("button", name=text["play"]).click()

    player = figure.locator("iframe.video-player")
    expect(player).to_have_attribute(
        "src", f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}?autoplay=1"
    )
    expect(player).to_have_attribute("title", "Tari Kecak di Uluwatu")
    # The CSP let the frame load (a refusal would be reported by browser_problems).
    frame = player.element_handle().content_frame()
    frame.wait_for_load_state()
    assert frame.title() == "player"
    assert outside and all("youtube-nocookie.com" in url for url in outside)
    box = player.bounding_box()
    assert box["width"] <= viewport["width"] and box["height"] > 100


def test_without_javascript_a_video_is_a_link(live_server, new_context):
    _, topic = politik_and_kebijakan()
    article = make_article(topic=topic, body=f"<p>https://youtu.be/{VIDEO_ID}</p>")
    page = new_context(java_script_enabled=False).new_page()

    page.goto(article.get_absolute_url())

    figure = page.locator(".article-body figure.video-embed")
    expect(figure.get_by_role("button", name="Putar video")).to_be_hidden()
    expect(figure.get_by_role("link", name="Tonton di YouTube")).to_be_visible()
    expect(figure.locator(".video-title")).to_have_text("Video YouTube")
