"""What kind of image a file is, told by its bytes, and how many pixels it claims.

One helper for every upload that takes images: case photos (``academy.cases.photos``), lesson
materials (``courses.lessons.content``) and question-stem images (``courses.exams.images``) used
to carry their own copies of the same signatures; they now all ask ``image_type``. The name a
browser sends is never trusted: a renamed zip, an SVG (which may carry script) or an HTML page
is not one of these signatures, whatever its extension says.
"""
from __future__ import annotations

import io
import warnings

from flask_babel import gettext as _

from academy.errors import DomainError

PNG = "image/png"
JPEG = "image/jpeg"
GIF = "image/gif"
WEBP = "image/webp"
EXTENSIONS = {PNG: "png", JPEG: "jpg", GIF: "gif", WEBP: "webp"}
# The format name Pillow gives each type: a file must parse as the type its first bytes claim.
PILLOW_FORMATS = {PNG: "PNG", JPEG: "JPEG", GIF: "GIF", WEBP: "WEBP"}


def image_type(head: bytes) -> str | None:
    """The raster image type told by a file's first bytes (PNG, JPEG, GIF, WebP), else None."""
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith((b"GIF87a", b"GIF89a")):
        return GIF
    if len(head) >= 12 and head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return WEBP
    return None


class NotAnImage(DomainError):
    """The bytes do not parse as the image their signature claims."""


class TooManyPixels(DomainError):
    """The image claims more pixels than allowed (a decompression bomb, or simply too large)."""


def image_size(data: bytes, kind: str, max_pixels: int) -> tuple[int, int]:
    """(width, height) read from the image's header only; nothing is decoded.

    A few hundred bytes can claim 100000 x 100000 pixels: decoding that (here, or in a trainee's
    phone browser) needs tens of gigabytes, so the size is checked before anything else happens.
    """
    from PIL import Image, UnidentifiedImageError  # Pillow is heavy: loaded only when an image is uploaded

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[kind]]) as image:
                width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise TooManyPixels(str(error)) from error
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as error:
        raise NotAnImage(str(error)) from error
    if width < 1 or height < 1:
        raise NotAnImage("empty image")
    if width * height > max_pixels:
        raise TooManyPixels(f"{width}x{height}")
    return width, height


class UnacceptableImage(DomainError):
    """An uploaded photo that is empty, too large or not of an accepted type; the message is for the user."""


def check_photo(data: bytes, max_bytes: int, kinds) -> str:
    """The photo's content type (one of ``kinds``), told by its content; else ``UnacceptableImage``.

    One check for every photo people upload: case photos (``academy.cases.photos``) and the
    worker's photo on his record (``academy.registry.photos``)."""
    if not data:
        raise UnacceptableImage(_("The photo is empty."))
    if len(data) > max_bytes:
        raise UnacceptableImage(_("A photo may be at most %(mb)d MB.", mb=max_bytes // (1024 * 1024)))
    kind = image_type(data)
    if kind not in kinds:
        raise UnacceptableImage(_("Only JPEG, PNG or WebP photos are accepted."))
    return kind


def reencoded_jpeg(data: bytes, kind: str, *, max_side: int, max_pixels: int, quality: int = 85) -> bytes:
    """The image as a new JPEG at most ``max_side`` pixels on its longer side, upright, without its
    metadata (a phone's photo carries the place it was taken): what is stored is what Pillow drew,
    never the bytes that came in. ``NotAnImage`` / ``TooManyPixels`` when it cannot be."""
    from PIL import Image, ImageOps  # Pillow is heavy: loaded only when an image is uploaded

    image_size(data, kind, max_pixels)  # the header's claim checked before anything is decoded
    try:
        with Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[kind]]) as image:
            image = ImageOps.exif_transpose(image)
            if image.mode in ("RGBA", "LA", "P"):
                image = image.convert("RGBA")
                flat = Image.new("RGB", image.size, "white")  # transparency becomes white, not black
                flat.paste(image, mask=image.getchannel("A"))
                image = flat
            image = image.convert("RGB")
            image.thumbnail((max_side, max_side), Image.LANCZOS)
            buffer = io.BytesIO()
            image.save(buffer, format="JPEG", quality=quality, optimize=True)
    except (OSError, SyntaxError, ValueError, EOFError) as error:
        raise NotAnImage(str(error)) from error
    return buffer.getvalue()
