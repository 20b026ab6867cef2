"""The worker's photo on his record: checked as every uploaded photo is (``academy.images``: type
by content, size limit), then re-encoded as a JPEG of at most ``MAX_SIDE`` pixels without its
metadata, stored under a generated name in FILES_DIR/workers (never under static/) and served only
through a checked view. The certificate PDF prints it.
"""
from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _

from academy.files import write_file
from academy.images import JPEG, PNG, WEBP, NotAnImage, TooManyPixels, UnacceptableImage, check_photo, reencoded_jpeg
from academy.registry.operations.areas import RegistryError

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
KINDS = (JPEG, PNG, WEBP)
MAX_SIDE = 600  # pixels on the longer side: sharp at 35 x 45 mm on a certificate, small on a phone
MAX_PIXELS = 40_000_000  # a phone camera's photo, with room; more is refused before decoding


def max_bytes() -> int:
    return int(current_app.config.get("REGISTRY_PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES))


def prepared(data: bytes) -> bytes:
    """The JPEG to keep for an uploaded photo, or ``RegistryError`` saying why it is refused."""
    try:
        kind = check_photo(data, max_bytes(), KINDS)
        return reencoded_jpeg(data, kind, max_side=MAX_SIDE, max_pixels=MAX_PIXELS)
    except UnacceptableImage as error:
        raise RegistryError(str(error)) from error
    except TooManyPixels as error:
        raise RegistryError(_("The photo has too many pixels; send a smaller one.")) from error
    except NotAnImage as error:
        raise RegistryError(_("The file is damaged or not the image it claims to be.")) from error


def photo_dir() -> Path:
    path = Path(current_app.config["FILES_DIR"]) / "workers"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(jpeg: bytes) -> str:
    """Write the photo under a new random name and return that name."""
    name = f"{secrets.token_hex(16)}.jpg"
    write_file(photo_dir() / name, jpeg)
    return name


def path_of(stored_name: str) -> Path:
    return photo_dir() / Path(stored_name).name


def photo_bytes(stored_name: str | None) -> bytes | None:
    """The stored photo's bytes, or None when there is none (or its file is gone)."""
    if not stored_name:
        return None
    path = path_of(stored_name)
    return path.read_bytes() if path.is_file() else None
