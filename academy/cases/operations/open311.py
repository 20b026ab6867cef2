"""What Open311 adds to the case module's operations: a category's extra fields (asked of civic
apps as GeoReport attributes) and the attributes and media a request brings with it."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from academy import audit
from academy.cases import photos
from academy.cases.models import Case, CaseMedia, CasePhoto, Category, CategoryField, MediaState
from academy.cases.operations.core import CaseError
from academy.extensions import db
from academy.jobs import enqueue_job

FIELD_COLUMNS = ["code", "description", "datatype", "required", "position", "choices"]
MEDIA_JOB = "cases.fetch_media"


def add_category_field(category: Category, by, **values) -> CategoryField:
    """Give a category another extra field; its code is unique in the category, retired ones included."""
    clash = db.session.scalar(sa.select(CategoryField.id).where(CategoryField.category_id == category.id,
                                                                CategoryField.code == values["code"]))
    if clash is not None:
        raise CaseError(_("This category already has a field with this code."))
    field = CategoryField(category_id=category.id, **values)
    db.session.add(field)
    db.session.flush()
    audit.record(by, "case_category_field.create", field, summary=f"{category.code}: {field.code}",
                 after={key: values[key] for key in FIELD_COLUMNS if key in values})
    return field


def retire_category_field(field: CategoryField, by) -> None:
    """Stop asking a field; the answers cases already hold stay with them."""
    if not field.active:
        raise CaseError(_("This field is already retired."))
    audit.apply_changes(by, "case_category_field.retire", field, ["active"], {"active": False}, summary=field.code)


def keep_extras(case: Case, attributes: dict, media_urls: list[str], by) -> None:
    """Keep a request's attributes on the case and queue its media for fetching (after the commit)."""
    if attributes:
        case.attributes = dict(attributes)
    for url in media_urls:
        db.session.add(CaseMedia(case_id=case.id, url=url))
    db.session.flush()
    if media_urls:
        enqueue_job(MEDIA_JOB, {"case_id": case.id}, by=by)


def attach_fetched_media(media: CaseMedia, data: bytes | None, kind: str, problem: str) -> bool:
    """Keep what fetching one media link of a request gave: its image as a photo of the case (within
    the case's limit), or why it was refused. By the system (the fetch job); audited. True when kept."""
    if data is not None and len(media.case.photos) >= photos.MAX_PHOTOS:
        data, problem = None, _("The case already has %(n)d photos.", n=photos.MAX_PHOTOS)
    if data is None:
        media.state, media.problem = MediaState.REFUSED, problem[:200]
        audit.record(None, "case_media.refuse", media.case, summary=media.url[:200], after={"reason": media.problem})
        return False
    photo = CasePhoto(case_id=media.case_id, stored_name=photos.store(data, kind), content_type=kind, size=len(data))
    db.session.add(photo)
    db.session.flush()
    media.state, media.photo_id = MediaState.FETCHED, photo.id
    audit.record(None, "case_media.fetch", media.case, summary=media.url[:200], after={"size": len(data)})
    return True
