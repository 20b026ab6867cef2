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
