"""Validating and re-encoding uploaded images (avatars here, article covers in articles).

Every upload is decoded by Pillow from an explicit list of formats, refused
above a byte and a pixel limit (a decompression bomb is refused before it is
decoded), and re-encoded from its pixels, so no EXIF, GPS or other metadata,
and nothing that is not an image, survives. Stored names are generated.
"""

import io
import logging
import uuid
import warnings

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

ALLOWED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
MAX_UPLOAD_BYTES = 8 * 1024 * 1024
# Pillow only warns below ~179 megapixels; our own limit is far lower.
MAX_PIXELS = 40_000_000


def open_image(upload) -> Image.Image:
    """Decode an upload as an image of an allowed format, or raise a ValidationError."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The image is too large: at most %(limit)s MB.")
            % {"limit": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="too_large",
        )
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(upload, formats=ALLOWED_FORMATS)
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise ValidationError(
                    _("The image has too many pixels: at most %(limit)s megapixels.")
                    % {"limit": MAX_PIXELS // 1_000_000},
                    code="too_many_pixels",
                )
            image.load()
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            _("The image has too many pixels: at most %(limit)s megapixels.")
            % {"limit": MAX_PIXELS // 1_000_000},
            code="too_many_pixels",
        ) from None
    except Exception:  # Pillow raises many kinds for broken or foreign files.
        raise ValidationError(
            _("This file is not an image we accept. Use JPEG, PNG, WebP or GIF."),
            code="not_an_image",
        ) from None
    return image


def encode(image: Image.Image, *, max_side: int, crop: tuple[int, int] | None = None) -> bytes:
    """Re-encode to JPEG (or PNG when transparent), scaled down, from pixels only."""
    image = ImageOps.exif_transpose(image)  # keep the orientation the camera meant
    if getattr(image, "is_animated", False):
        image.seek(0)
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    # Pixels only: Pillow writes some metadata it read back out (a JPEG comment,
    # which may hold a whole HTML page; a PNG's ICC profile) unless it is dropped.
    image.info = {}
    if crop:
        image = ImageOps.fit(image, crop, method=Image.Resampling.LANCZOS)
    else:
        image.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    if has_alpha:
        image.save(buffer, format="PNG", optimize=True)
    else:
        image.save(buffer, format="JPEG", quality=85, optimize=True, progressive=True)
    return buffer.getvalue()


def extension_of(data: bytes) -> str:
    return "png" if data.startswith(b"\x89PNG") else "jpg"


def as_file(data: bytes, *, suffix: str = "") -> ContentFile:
    """A ContentFile under a generated name: the uploader's file name is never used."""
    return ContentFile(data, name=f"{uuid.uuid4().hex}{suffix}.{extension_of(data)}")


def delete_after_commit(storage, names) -> None:
    """Delete these stored files once the current transaction commits.

    A removed or replaced image would otherwise stay public at its old URL.
    Never before the commit: a rollback leaves the row pointing at them. A file
    that cannot be deleted is logged and left; the write it follows stands.
    """
    names = sorted({name for name in names if name})
    if not names:
        return

    def delete():
        for name in names:
            try:
                storage.delete(name)
            except Exception:  # any storage backend's error: the commit stands
                logger.warning("Could not delete the replaced file %s", name, exc_info=True)

    transaction.on_commit(delete)
