"""Builders for the authoring tests: images made in memory, form data, and a small HTML reader.

Users, topics and articles come from tests/factories.py.
"""

import io
import os
import struct
import zlib
from html.parser import HTMLParser

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from articles.models import Article

GPS_INFO = 0x8825
MAKE = 0x010F
ORIENTATION = 0x0112
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}

# Files that are not images, each under a name a browser might send.
NOT_IMAGES = {
    "text named .jpg": ("foto-liburan.jpg", b"just some text, not a photo\n", "image/jpeg"),
    "HTML behind a GIF header": (
        "kucing.gif",
        b"GIF89a<html><script>alert(1)</script></html>",
        "image/gif",
    ),
    "SVG": (
        "logo.svg",
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(1)</script></svg>",
        "image/svg+xml",
    ),
    "PDF": (
        "surat.pdf",
        b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n",
        "application/pdf",
    ),
}


# --- Images ----------------------------------------------------------------------


def image_bytes(image: Image.Image, image_format: str, **params) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=image_format, **params)
    return buffer.getvalue()


def camera_exif() -> Image.Exif:
    """What a phone writes into a photo: the camera make and where it was taken."""
    exif = Image.Exif()
    exif[MAKE] = "KameraWarga"
    exif[GPS_INFO] = {1: "S", 2: (6.0, 10.0, 30.0), 3: "E", 4: (106.0, 49.0, 0.0)}
    return exif


def jpeg_with_gps(size=(1600, 1200), *, color=(200, 40, 40), orientation=None) -> bytes:
    exif = camera_exif()
    if orientation is not None:
        exif[ORIENTATION] = orientation
    return image_bytes(Image.new("RGB", size, color), "JPEG", exif=exif, quality=90)


def transparent_png(size=(400, 300)) -> bytes:
    image = Image.new("RGBA", size, (0, 128, 0, 0))
    image.paste((0, 128, 0, 255), (0, 0, size[0] // 2, size[1]))
    return image_bytes(image, "PNG")


def noise_png(size=(800, 800)) -> bytes:
    """A PNG that does not compress: random pixels, about 3 bytes per pixel on disk."""
    return image_bytes(Image.frombytes("RGB", size, os.urandom(size[0] * size[1] * 3)), "PNG")


def bilevel_png(size) -> bytes:
    """A real, decodable PNG with many pixels and few bytes: one bit per pixel, all white."""
    return image_bytes(Image.new("1", size, 1), "PNG")


def png_header_claiming(width: int, height: int) -> bytes:
    """A PNG whose header claims this size over a few bytes of data: a decompression bomb."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB
    data = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")
    )


def upload(data: bytes, name="foto-liburan-keluarga.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def stored_image(field_file) -> Image.Image:
    """The stored file, opened fresh from disk."""
    with field_file.storage.open(field_file.name, "rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        image.load()
    return image


# --- Form data -------------------------------------------------------------------


def article_data(for_topic, /, **overrides) -> dict:
    """What the write form posts for a complete article in this topic."""
    data = {
        "title": "Sekolah Gratis untuk Semua",
        "topic": str(for_topic.pk),
        "excerpt": "",
        "body": "<p>Pendidikan adalah hak setiap warga.</p>",
        "cover_caption": "",
        "cover_credit": "",
        "tags": "pendidikan",
        "action": "draft",
    }
    data.update(overrides)
    return data


def edit_data(article: Article, **overrides) -> dict:
    """The edit form posted back unchanged, with these changes."""
    data = {
        "title": article.title,
        "topic": str(article.topic_id),
        "excerpt": article.excerpt,
        "body": article.body,
        "cover_caption": article.cover_caption,
        "cover_credit": article.cover_credit,
        "tags": ", ".join(tag.name for tag in article.tags.all()),
        "action": "save" if article.status == Article.Status.PUBLISHED else "draft",
    }
    data.update(overrides)
    return data


# --- Reading the HTML ------------------------------------------------------------


class Element:
    def __init__(self, tag, attrs):
        self.tag = tag
        self.attrs = dict(attrs)
        self.text = ""
        self.parents: list[Element] = []

    @property
    def classes(self):
        return (self.attrs.get("class") or "").split()

    def __repr__(self):
        return f"<{self.tag} {self.attrs} {self.text.strip()[:40]!r}>"


class _Document(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []

    def handle_starttag(self, tag, attrs):
        element = Element(tag, attrs)
        element.parents = list(self._open)
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index].tag == tag:
                del self._open[index:]
                return

    def handle_data(self, data):
        for element in self._open:
            element.text += data


def find(response, tag, *, class_=None, **attrs) -> list[Element]:
    """The elements of a page with this tag, class and attribute values (id_ for id).

    A response is parsed once, so elements from two calls can be compared
    (``outer in inner.parents``).
    """
    document = getattr(response, "_parsed_document", None)
    if document is None:
        document = _Document()
        document.feed(response.content.decode())
        document.close()
        response._parsed_document = document
    wanted = {name.rstrip("_").replace("_", "-"): value for name, value in attrs.items()}
    return [
        element
        for element in document.elements
        if element.tag == tag
        and (class_ is None or class_ in element.classes)
        and all(element.attrs.get(name) == value for name, value in wanted.items())
    ]


def inside(response, outer: Element, tag: str, **attrs) -> list[Element]:
    """The elements with this tag found inside ``outer`` (from the same response)."""
    return [element for element in find(response, tag, **attrs) if outer in element.parents]


def text_of(element: Element) -> str:
    return " ".join(element.text.split())


def field_error(response, name: str) -> str:
    """The error shown next to a form field (includes/field.html), or '' when none."""
    errors = find(response, "span", class_="errorlist", id_=f"id_{name}_errors")
    return text_of(errors[0]) if errors else ""
