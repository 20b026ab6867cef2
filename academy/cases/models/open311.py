"""What Open311 adds to a case: a category's extra fields (GeoReport "attributes", asked of civic
apps), and the media a civic app links to a request, fetched by a background job."""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.cases.models.case import Case, CasePhoto
from academy.cases.models.category import Category
from academy.database import UTCDateTime, utcnow, value_enum
from academy.extensions import db


class FieldType(enum.StrEnum):
    """GeoReport's datatypes of an attribute."""

    STRING = "string"
    NUMBER = "number"
    DATETIME = "datetime"
    TEXT = "text"
    SINGLE = "singlevaluelist"
    MULTI = "multivaluelist"


class CategoryField(db.Model):
    """An extra question a category asks of a report ("which lamp post number?")."""

    __tablename__ = "case_category_fields"

    id: Mapped[int] = mapped_column(primary_key=True)
    category_id: Mapped[int] = mapped_column(sa.ForeignKey("case_categories.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(40))
    description: Mapped[str] = mapped_column(sa.String(200))  # the question, as the resident reads it
    datatype: Mapped[FieldType] = mapped_column(value_enum(FieldType))
    required: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=1)
    choices: Mapped[list | None] = mapped_column(sa.JSON(none_as_null=True))  # [[key, name], ...] of a list type
    active: Mapped[bool] = mapped_column(default=True)

    category: Mapped[Category] = relationship()

    __table_args__ = (sa.UniqueConstraint("category_id", "code"),)


class MediaState(enum.StrEnum):
    PENDING = "pending"
    FETCHED = "fetched"
    REFUSED = "refused"


class CaseMedia(db.Model):
    """A media_url a civic app sent with a request; the job fetches it into the case's photos."""

    __tablename__ = "case_media"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(sa.ForeignKey("cases.id"), index=True)
    url: Mapped[str] = mapped_column(sa.String(500))
    state: Mapped[MediaState] = mapped_column(value_enum(MediaState), default=MediaState.PENDING)
    problem: Mapped[str] = mapped_column(sa.String(200), default="")  # why it was refused, in words
    photo_id: Mapped[int | None] = mapped_column(sa.ForeignKey("case_photos.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    case: Mapped[Case] = relationship()
    photo: Mapped[CasePhoto | None] = relationship()
