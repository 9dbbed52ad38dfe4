"""Photos in an article's body and videos from YouTube and Vimeo: how they are
named, encoded and recognised (README, "Writing", "Images and videos in the body").

Nothing here touches the database: the sanitiser (articles.sanitizer) uses the
names to tell the site's own photos from anything else, and the article page's
``embeds`` filter uses the video ids.
"""

import io
import re
import uuid
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.core.files.storage import default_storage
from django.utils.timezone import now
from PIL import Image

from accounts.images import encode

# The widths a photo is stored at (never wider than the upload), the largest
# being the one the body names; the browser picks from them through srcset.
RENDITION_WIDTHS = (480, 960, 1600)
LARGEST_SIDE = RENDITION_WIDTHS[-1]
# How wide the article body is shown: the browser's guide for srcset.
SIZES = "(min-width: 46rem) 44rem, 100vw"

# The only image names the sanitiser lets through: those this module makes.
_NAME = re.compile(
    r"(?:^|/)(?P<name>body/\d{4}/\d{2}/(?P<key>[0-9a-f]{32})-(?P<width>\d{1,4})x(?P<height>\d{1,4})"
    r"\.(?P<ext>jpg|png))$"
)


@dataclass(frozen=True)
class Encoded:
    """A photo's renditions as bytes, named, and its largest size."""

    files: dict[str, bytes]  # storage name -> bytes; the first is the largest
    width: int
    height: int

    @property
    def name(self) -> str:
        return next(iter(self.files))


def encode_renditions(image: Image.Image) -> Encoded:
    """Re-encode an opened upload (accounts.images.open_image) at each rendition
    width: pixels only, so no EXIF, GPS or other metadata survives."""
    largest = encode(image, max_side=LARGEST_SIDE)
    width, height = Image.open(io.BytesIO(largest)).size
    ext = "png" if largest.startswith(b"\x89PNG") else "jpg"
    stem = f"body/{now():%Y/%m}/{uuid.uuid4().hex}-{width}x{height}"
    files = {f"{stem}.{ext}": largest}
    for target in RENDITION_WIDTHS[:-1]:
        if target < width:
            # Scaled by its longer side so that the width comes out at ``target``.
            side = max(1, round(target * max(width, height) / width))
            files[f"{stem}-w{target}.{ext}"] = encode(image, max_side=side)
    return Encoded(files=files, width=width, height=height)


def own_image_name(src: str) -> str | None:
    """The storage name of one of the site's body photos that ``src`` points to
    (whatever host or media prefix it was written with), or None."""
    match = _NAME.search(urlsplit(src).path if "://" in src else src.split("?")[0])
    return match["name"] if match else None


def image_attributes(name: str) -> dict[str, str]:
    """The <img> attributes for a stored body photo: its own URL, its size, and
    the smaller renditions as srcset (their names follow from the largest's)."""
    match = _NAME.search(name)
    width, height, ext = int(match["width"]), int(match["height"]), match["ext"]
    stem = name[: -len(ext) - 1]
    candidates = [
        f"{default_storage.url(f'{stem}-w{target}.{ext}')} {target}w"
        for target in RENDITION_WIDTHS[:-1]
        if target < width
    ]
    attributes = {
        "src": default_storage.url(name),
        "width": str(width),
        "height": str(height),
        "loading": "lazy",
        "decoding": "async",
    }
    if candidates:
        attributes["srcset"] = ", ".join([*candidates, f"{attributes['src']} {width}w"])
        attributes["sizes"] = SIZES
    return attributes


# Videos ----------------------------------------------------------------------

_YOUTUBE_ID = re.compile(r"[A-Za-z0-9_-]{11}")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "www.youtube-nocookie.com"}


@dataclass(frozen=True)
class Video:
    provider: str  # "youtube" or "vimeo"
    id: str

    @property
    def marker(self) -> str:
        return f"{self.provider}:{self.id}"

    @property
    def watch_url(self) -> str:
        if self.provider == "youtube":
            return f"https://www.youtube.com/watch?v={self.id}"
        return f"https://vimeo.com/{self.id}"

    @property
    def player_url(self) -> str:
        """The player the page's script loads on a click: YouTube's privacy-enhanced
        host, Vimeo with do-not-track."""
        if self.provider == "youtube":
            return f"https://www.youtube-nocookie.com/embed/{self.id}?autoplay=1"
        return f"https://player.vimeo.com/video/{self.id}?dnt=1&autoplay=1"

    @classmethod
    def from_marker(cls, marker: str) -> "Video | None":
        provider, _, id = marker.partition(":")
        if provider == "youtube" and _YOUTUBE_ID.fullmatch(id):
            return cls(provider, id)
        if provider == "vimeo" and id.isascii() and id.isdigit() and len(id) <= 12:
            return cls(provider, id)
        return None


# The origins the Content-Security-Policy lets the players' frames come from.
PLAYER_ORIGINS = ("https://www.youtube-nocookie.com", "https://player.vimeo.com")


def video_from_url(url: str) -> Video | None:
    """The YouTube or Vimeo video a pasted address points to, or None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https"):
        return None
    host = (parts.hostname or "").lower()
    path = parts.path.rstrip("/")
    if host in _YOUTUBE_HOSTS:
        if path == "/watch":
            candidate = parse_qs(parts.query).get("v", [""])[0]
        else:
            prefix, _, candidate = path.rpartition("/")
            if prefix not in ("/shorts", "/embed", "/live"):
                return None
        return Video("youtube", candidate) if _YOUTUBE_ID.fullmatch(candidate) else None
    if host == "youtu.be":
        candidate = path.lstrip("/")
        return Video("youtube", candidate) if _YOUTUBE_ID.fullmatch(candidate) else None
    if host in ("vimeo.com", "www.vimeo.com", "player.vimeo.com"):
        candidate = path.rpartition("/")[2]
        return Video.from_marker(f"vimeo:{candidate}")
    return None
