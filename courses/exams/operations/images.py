"""Images in question stems: uploaded, checked by their bytes, stored under random names, shown
only to those who may see a question that uses them.

An upload is PNG, JPEG, GIF or WebP by its first bytes (``academy.images``), parses as that
type, stays under a size limit (``EXAMS_IMAGE_MAX_BYTES``, 2 MB) and a pixel limit read from
the header before any decoding (``EXAMS_IMAGE_MAX_PIXELS``, 25 million: a small file may claim
100000 x 100000 pixels and bring down the phone that shows it). It is written through
``academy.files.write_file`` (gone again if the transaction rolls back) and recorded as a
``StemImage``. A stem refers to it as ``/exams/images/<key>``; each question version records
the images its stem shows (``QuestionImage``), so an old version keeps its images for the
attempts that showed it, and a stem may only name images this site has.
"""
from __future__ import annotations

import re
import secrets
import unicodedata
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from academy import audit
from academy.database import utcnow
from academy.errors import DomainError
from academy.extensions import db
from academy.files import display_name, remove_after_commit, write_file
from academy.images import EXTENSIONS, NotAnImage, TooManyPixels, image_size, image_type
from courses.exams.models import Question, QuestionImage, StemImage
from courses.exams.queries import IMAGE_KEY

DEFAULT_MAX_BYTES = 2 * 1024 * 1024
DEFAULT_MAX_PIXELS = 25_000_000
MAX_NAME = 200
URL_PREFIX = "/exams/images/"
# Whatever follows the prefix up to the end of the Markdown link or HTML attribute: a key this
# site issued is 32 hex digits; anything else is a reference to an image the site does not have.
REFERENCE = re.compile(re.escape(URL_PREFIX) + r"""([^\s()\[\]"'<>]*)""")
_ALT_UNSAFE = re.compile(r"[\[\]()\\<>\x00-\x1f\x7f]")


class ImageError(DomainError):
    """The upload is not an acceptable stem image; the message is for the user."""


def max_bytes() -> int:
    return int(current_app.config.get("EXAMS_IMAGE_MAX_BYTES", DEFAULT_MAX_BYTES))


def max_pixels() -> int:
    return int(current_app.config.get("EXAMS_IMAGE_MAX_PIXELS", DEFAULT_MAX_PIXELS))


def image_dir() -> Path:
    path = Path(current_app.config["FILES_DIR"]) / "exam-images"
    path.mkdir(parents=True, exist_ok=True)
    return path


def path_of(image: StemImage) -> Path:
    return image_dir() / Path(image.stored_name).name


def url_of(image: StemImage) -> str:
    return URL_PREFIX + image.key


def markdown_of(image: StemImage, alt: str = "") -> str:
    """The snippet that shows the image in a stem; the alt text cannot break out of the brackets."""
    text = _ALT_UNSAFE.sub("", alt or "").strip() or Path(image.original_name).stem
    return f"![{_ALT_UNSAFE.sub('', text)[:MAX_NAME]}]({url_of(image)})"


def _check_name(filename: str) -> str:
    """The name as people will see it; one that names folders, hides characters or runs on is refused:
    no browser sends such a name for a file the user picked."""
    name = unicodedata.normalize("NFKC", filename or "").strip()
    if not name or len(name) > MAX_NAME or display_name(name, limit=MAX_NAME) != name:
        raise ImageError(_("The file name is not acceptable (it names folders, holds control or reserved "
                           "characters, starts with a dot or is longer than %(n)d characters). Rename the file "
                           "and upload it again.", n=MAX_NAME))
    return name


def check_image(data: bytes, filename: str) -> tuple[str, str, int, int]:
    """(display name, content type, width, height) of an acceptable image, else ImageError."""
    name = _check_name(filename)
    if not data:
        raise ImageError(_("The image is empty."))
    if len(data) > max_bytes():
        raise ImageError(_("An image may be at most %(mb)s MB.", mb=f"{max_bytes() / (1024 * 1024):g}"))
    kind = image_type(data[:16])
    if kind is None:
        raise ImageError(_("Only PNG, JPEG, GIF or WebP images are accepted, and the file must really be one "
                           "(SVG is refused: it can carry scripts)."))
    try:
        width, height = image_size(data, kind, max_pixels())
    except TooManyPixels:
        raise ImageError(_("The image has too many pixels: at most %(n)s million (for example 5000 x 5000). "
                           "Make it smaller and upload it again.", n=f"{max_pixels() / 1_000_000:g}")) from None
    except NotAnImage:
        raise ImageError(_("The file starts like an image but is not a readable image.")) from None
    return name, kind, width, height


def upload_image(by, *, filename: str, data: bytes) -> StemImage:
    """Check and store an uploaded stem image under a new random name. Flushes; logged."""
    name, kind, width, height = check_image(data, filename)
    stored = f"{secrets.token_hex(16)}.{EXTENSIONS[kind]}"
    write_file(image_dir() / stored, data)
    image = StemImage(key=secrets.token_hex(16), stored_name=stored, content_type=kind, size=len(data), width=width,
                      height=height, original_name=name, created_by_id=getattr(by, "id", None))
    db.session.add(image)
    db.session.flush()
    audit.record(by, "question.image_upload", image, summary=name[:100],
                 after={"size": len(data), "width": width, "height": height})
    return image


def referenced(text: str) -> list[str]:
    """Every image reference in a stem, as written after ``/exams/images/`` (in order, once each)."""
    return list(dict.fromkeys(REFERENCE.findall(text or "")))


def missing_references(text: str) -> list[str]:
    """The references in ``text`` to images this site does not have (an import from another site)."""
    wanted = referenced(text)
    keys = [k for k in wanted if IMAGE_KEY.fullmatch(k)]
    known = set(db.session.scalars(sa.select(StemImage.key).where(StemImage.key.in_(keys)))) if keys else set()
    return [URL_PREFIX + k for k in wanted if k not in known]


def record_references(question: Question) -> None:
    """Write which images this version's stem shows (replacing what a draft recorded before). Flushes."""
    keys = [k for k in referenced(question.stem) if IMAGE_KEY.fullmatch(k)]
    ids = set(db.session.scalars(sa.select(StemImage.id).where(StemImage.key.in_(keys)))) if keys else set()
    db.session.execute(sa.delete(QuestionImage).where(QuestionImage.question_id == question.id))
    db.session.add_all(QuestionImage(question_id=question.id, image_id=image_id) for image_id in sorted(ids))
    db.session.flush()


def purge_unused(by, *, older_than: timedelta, now: datetime | None = None, dry_run: bool = False) -> list[StemImage]:
    """Delete the images no question version shows that were uploaded more than ``older_than`` ago:
    uploads for a question never saved, or taken out of a draft before it was saved again. An image
    any version shows stays (an old version keeps its images); a recent one may still be waiting
    for its question to be saved. The files go once the deletion commits. Returns the images."""
    now = now or utcnow()
    shown = sa.select(QuestionImage.image_id)
    unused = db.session.scalars(sa.select(StemImage).where(StemImage.created_at < now - older_than,
                                                           StemImage.id.not_in(shown))
                                .order_by(StemImage.id)).all()
    if dry_run or not unused:
        return unused
    for image in unused:
        remove_after_commit(path_of(image))
    db.session.execute(sa.delete(StemImage).where(StemImage.id.in_([image.id for image in unused])))
    audit.record(by, "question.image_purge", None, summary=f"{len(unused)} unused images",
                 after={"keys": [image.key for image in unused][:200], "bytes": sum(image.size for image in unused)})
    return unused


