"""Case photos: JPEG, PNG or WebP recognised by their content, size-limited, stored under
generated names in FILES_DIR/cases (never under static/), served only through a checked view.
"""
from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app

from academy.cases.errors import CaseError
from academy.files import write_file
from academy.images import GIF, UnacceptableImage, image_type
from academy.images import check_photo as check_image

MAX_PHOTOS = 5
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
KINDS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}


class PhotoError(CaseError):
    """The file is not an acceptable photo; the message is for the user."""


def sniff(data: bytes) -> str | None:
    """The image type told by the file's first bytes, whatever its name says (the signatures are
    shared with lessons and exams in ``academy.images``); a GIF is no photo of a case."""
    kind = image_type(data)
    return None if kind == GIF else kind


def max_bytes() -> int:
    return int(current_app.config.get("CASES_PHOTO_MAX_BYTES", DEFAULT_MAX_BYTES))


def check_photo(data: bytes) -> str:
    """Return the photo's content type, or raise PhotoError with a message for the user."""
    try:
        return check_image(data, max_bytes(), KINDS)
    except UnacceptableImage as error:
        raise PhotoError(str(error)) from error


def photo_dir() -> Path:
    path = Path(current_app.config["FILES_DIR"]) / "cases"
    path.mkdir(parents=True, exist_ok=True)
    return path


def store(data: bytes, kind: str) -> str:
    """Write the photo under a new random name and return that name."""
    name = f"{secrets.token_hex(16)}.{KINDS[kind]}"
    write_file(photo_dir() / name, data)
    return name


def path_of(stored_name: str) -> Path:
    return photo_dir() / Path(stored_name).name
