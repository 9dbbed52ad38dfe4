"""Uploads an attacker would try that tests/articles/test_images.py does not: files that
are an image and something else at once, formats re-encoded through the real form,
how stored files are served, and the Pillow pin.

(test_images.py covers the format list, byte and pixel limits, decompression
bombs, EXIF and GPS stripping, generated names, and files that are no image.)
"""

import io
import re
import tomllib
from pathlib import Path

import PIL
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image, PngImagePlugin

from articles.models import Article
from tests.factories import make_user

from .conftest import signed_in

pytestmark = pytest.mark.django_db

PAYLOAD = b"<html><body><script>alert(document.domain)</script></body></html>"
GENERATED = re.compile(r"covers/\d{4}/\d{2}/[0-9a-f]{32}(-page|-card)?\.(jpg|png)")


def encoded(image: Image.Image, image_format: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **params)
    return buffer.getvalue()


def gif_with_html_comment() -> bytes:
    """A valid GIF whose comment extension is an HTML page: a GIF/HTML polyglot."""
    return encoded(Image.new("P", (40, 30), 3), "GIF", comment=PAYLOAD)


def png_with_html_text() -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", PAYLOAD.decode())
    return encoded(Image.new("RGB", (40, 30), (10, 20, 30)), "PNG", pnginfo=info)


def jpeg_with_html_comment() -> bytes:
    return encoded(Image.new("RGB", (40, 30), (200, 10, 10)), "JPEG", comment=PAYLOAD)


def jpeg_then_html() -> bytes:
    """A real JPEG with an HTML page appended after its end marker."""
    return encoded(Image.new("RGB", (40, 30), (200, 10, 10)), "JPEG") + PAYLOAD


def webp() -> bytes:
    return encoded(Image.new("RGB", (60, 40), (0, 150, 0)), "WEBP")


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (60, 40), color) for color in ("red", "blue", "green")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=80, loop=0)
    return buffer.getvalue()


POLYGLOTS = {
    "GIF with an HTML comment": ("halaman.gif", gif_with_html_comment(), "image/gif"),
    "PNG with an HTML text chunk": ("halaman.png", png_with_html_text(), "image/png"),
    "JPEG with an HTML comment": ("halaman.jpg", jpeg_with_html_comment(), "image/jpeg"),
    "JPEG followed by HTML": ("halaman.jpg", jpeg_then_html(), "image/jpeg"),
}


@pytest.fixture
def author(db):
    return signed_in(make_user(username="penulis"))


def write_with_cover(client, topic, name, data, content_type, **extra):
    return client.post(
        reverse("articles:write"),
        {
            "title": "Sampul Uji",
            "topic": str(topic.pk),
            "body": "<p>Isi.</p>",
            "tags": "",
            "action": "draft",
            "cover_upload": SimpleUploadedFile(name, data, content_type=content_type),
            **extra,
        },
    )


def stored_files(media: Path) -> list[Path]:
    return sorted(path for path in media.rglob("*") if path.is_file())


@pytest.mark.parametrize("kind", POLYGLOTS)
def test_an_image_that_is_also_html_is_stored_as_pixels_only(author, topic, media, kind):
    name, data, content_type = POLYGLOTS[kind]
    assert Image.open(io.BytesIO(data)).size == (40, 30)  # a real image, as uploaded
    assert PAYLOAD in data

    response = write_with_cover(author, topic, name, data, content_type)

    assert response.status_code == 302
    files = stored_files(media)
    assert len(files) == 3  # the cover and its two renditions
    for path in files:
        content = path.read_bytes()
        assert b"<script" not in content.lower() and b"<html" not in content.lower()
        assert GENERATED.fullmatch(path.relative_to(media).as_posix())
        assert Image.open(path).format in {"JPEG", "PNG"}


def test_a_webp_cover_is_re_encoded(author, topic, media):
    response = write_with_cover(author, topic, "foto.webp", webp(), "image/webp")

    assert response.status_code == 302
    cover = Article.objects.get().cover
    assert cover.name.endswith(".jpg")
    assert Image.open(cover.path).format == "JPEG"


def test_an_animated_gif_cover_becomes_a_still_image(author, topic, media):
    response = write_with_cover(author, topic, "gerak.gif", animated_gif(), "image/gif")

    assert response.status_code == 302
    for path in stored_files(media):
        image = Image.open(path)
        assert image.format == "JPEG"
        assert not getattr(image, "is_animated", False)
        assert getattr(image, "n_frames", 1) == 1


@pytest.mark.parametrize(
    "name",
    ["../../../etc/cron.d/kw.html", "x.html", "foto.jpg.php", "..\\..\\web.config", "a\x00.svg"],
)
def test_the_uploaders_file_name_never_reaches_the_disk(author, topic, media, name):
    data = encoded(Image.new("RGB", (40, 30)), "JPEG")

    response = write_with_cover(author, topic, name, data, "text/html")

    assert response.status_code == 302
    for path in stored_files(media):
        assert GENERATED.fullmatch(path.relative_to(media).as_posix())


@pytest.mark.urls("tests.security.urls")
def test_stored_images_are_served_as_images_never_sniffed(author, topic, media):
    name, data, content_type = POLYGLOTS["GIF with an HTML comment"]
    write_with_cover(author, topic, name, data, content_type)
    cover = Article.objects.get().cover

    response = Client().get(settings.MEDIA_URL + cover.name)

    assert response.status_code == 200
    assert response["Content-Type"] in {"image/jpeg", "image/png"}
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("kucing.gif", b"GIF89a" + PAYLOAD, "image/gif"),
        ("foto.png", b"\x89PNG\r\n\x1a\n" + PAYLOAD, "image/png"),
        ("foto.jpg", b"\xff\xd8\xff\xe0" + PAYLOAD, "image/jpeg"),
        ("foto.webp", b"RIFF\x00\x00\x00\x00WEBPVP8 " + PAYLOAD, "image/webp"),
    ],
    ids=["GIF", "PNG", "JPEG", "WebP"],
)
def test_html_behind_an_image_header_is_refused_and_nothing_is_stored(
    author, topic, media, name, data, content_type
):
    response = write_with_cover(author, topic, name, data, content_type)

    assert response.status_code == 400
    assert not Article.objects.exists()
    assert stored_files(media) == []


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in re.findall(r"\d+", text)[:3])


def test_pillow_is_above_its_last_security_fix():
    """Pillow 12.2.0 fixed a security issue: the installed and the pinned versions
    are both newer, and the pin is exact so an update is a reviewed change."""
    floor = (12, 2, 0)
    root = Path(settings.BASE_DIR)
    groups = tomllib.loads((root / "pyproject.toml").read_text())["dependency-groups"]
    (pinned,) = [item for item in groups["run"] if item.lower().startswith("pillow")]
    (constrained,) = re.findall(
        r"^pillow==(\S+)$", (root / "constraints.txt").read_text(), re.MULTILINE | re.IGNORECASE
    )

    assert _version(PIL.__version__) > floor
    assert pinned.lower().startswith("pillow==") and _version(pinned) > floor
    assert _version(constrained) > floor
    assert _version(PIL.__version__) == _version(constrained)
