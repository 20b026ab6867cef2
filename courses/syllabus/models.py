"""The unified syllabus: versions and their unit tree, committee review, branches, trainer pool.

One city-wide syllabus has numbered versions (draft -> under review -> published -> retired).
Exactly one version is current: ``SyllabusVersion.current`` is True on it and NULL on every other,
and a unique constraint on that column lets the database itself refuse a second current version.
"""
from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.accounts.models import User
from academy.database import UTCDateTime, utcnow, value_enum
from academy.extensions import db
from academy.registry.models import Area
from academy.workflow import TransitionLog


class VersionStatus(enum.StrEnum):
    DRAFT = "draft"
    UNDER_REVIEW = "under_review"
    PUBLISHED = "published"
    RETIRED = "retired"


class ReviewDecision(enum.StrEnum):
    APPROVE = "approve"
    SEND_BACK = "send_back"


class SyllabusVersion(db.Model):
    __tablename__ = "syllabus_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[int] = mapped_column(unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    notes: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[VersionStatus] = mapped_column(value_enum(VersionStatus), default=VersionStatus.DRAFT, index=True)
    current: Mapped[bool | None] = mapped_column(unique=True)  # True on the one current version, else NULL
    review_round: Mapped[int] = mapped_column(default=1)  # a send-back starts a new round of approvals
    based_on_id: Mapped[int | None] = mapped_column(sa.ForeignKey("syllabus_versions.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    units: Mapped[list[SyllabusUnit]] = relationship(
        back_populates="version", order_by="(SyllabusUnit.position, SyllabusUnit.code)", cascade="all, delete-orphan"
    )
    reviews: Mapped[list[VersionReview]] = relationship(back_populates="version", order_by="VersionReview.at")
    transitions: Mapped[list[VersionTransition]] = relationship(order_by="VersionTransition.at")
    based_on: Mapped[SyllabusVersion | None] = relationship(remote_side=[id])

    @property
    def modules(self) -> list[SyllabusUnit]:
        return [unit for unit in self.units if unit.parent_id is None]

    @property
    def total_hours(self) -> Decimal:
        return sum((unit.own_hours for unit in self.units), Decimal("0"))

    def approvals(self) -> list[VersionReview]:
        """Approvals of the current review round, one per reviewer."""
        seen, result = set(), []
        for review in self.reviews:
            if review.round == self.review_round and review.decision == ReviewDecision.APPROVE and review.reviewer_id not in seen:
                seen.add(review.reviewer_id)
                result.append(review)
        return result

    def __repr__(self) -> str:
        return f"<SyllabusVersion {self.number} {self.status}>"


class SyllabusUnit(db.Model):
    """A module (no parent) or a unit inside a module, with its hours and assessment standard."""

    __tablename__ = "syllabus_units"
    __table_args__ = (sa.UniqueConstraint("version_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("syllabus_versions.id"), index=True)
    parent_id: Mapped[int | None] = mapped_column(sa.ForeignKey("syllabus_units.id"), index=True)
    code: Mapped[str] = mapped_column(sa.String(20))
    title: Mapped[str] = mapped_column(sa.String(200))
    objectives: Mapped[str] = mapped_column(sa.Text, default="")
    theory_hours: Mapped[Decimal] = mapped_column(sa.Numeric(6, 1), default=Decimal("0"))
    practice_hours: Mapped[Decimal] = mapped_column(sa.Numeric(6, 1), default=Decimal("0"))
    assessment_standard: Mapped[str] = mapped_column(sa.Text, default="")
    # Case categories this unit trains for: the training-needs link to performance indicators.
    case_categories: Mapped[list] = mapped_column(sa.JSON, default=list)
    position: Mapped[int] = mapped_column(default=0)

    version: Mapped[SyllabusVersion] = relationship(back_populates="units")
    parent: Mapped[SyllabusUnit | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[SyllabusUnit]] = relationship(
        back_populates="parent", order_by="(SyllabusUnit.position, SyllabusUnit.code)"
    )

    @property
    def own_hours(self) -> Decimal:
        return (self.theory_hours or Decimal("0")) + (self.practice_hours or Decimal("0"))

    @property
    def total_hours(self) -> Decimal:
        return self.own_hours + sum((child.total_hours for child in self.children), Decimal("0"))

    def comparable(self) -> dict:
        """The fields a version diff compares."""
        return {
            "title": self.title, "objectives": self.objectives, "theory_hours": f"{Decimal(self.theory_hours or 0):.1f}",
            "practice_hours": f"{Decimal(self.practice_hours or 0):.1f}", "assessment_standard": self.assessment_standard,
            "parent": self.parent.code if self.parent else "", "case_categories": sorted(self.case_categories or []),
        }


class VersionReview(db.Model):
    """An expert committee member's approval or send-back, with comments."""

    __tablename__ = "syllabus_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(sa.ForeignKey("syllabus_versions.id"), index=True)
    reviewer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    round: Mapped[int] = mapped_column(default=1)
    decision: Mapped[ReviewDecision] = mapped_column(value_enum(ReviewDecision))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    version: Mapped[SyllabusVersion] = relationship(back_populates="reviews")
    reviewer: Mapped[User] = relationship()


class VersionTransition(TransitionLog, db.Model):
    """One step of a version's workflow: actor, from, to, reason, time."""

    __tablename__ = "syllabus_version_transitions"
    workflow_columns = ("version_id", "from_status", "to_status")

    version_id: Mapped[int] = mapped_column(sa.ForeignKey("syllabus_versions.id"), index=True)
    from_status: Mapped[VersionStatus | None] = mapped_column(value_enum(VersionStatus))
    to_status: Mapped[VersionStatus] = mapped_column(value_enum(VersionStatus))

    by: Mapped[User | None] = relationship()


class CommitteeMember(db.Model):
    """A member of the expert committee (专家委员会), who reviews syllabus versions."""

    __tablename__ = "committee_members"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200), default="")
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    user: Mapped[User] = relationship()


class Branch(db.Model):
    """A branch academy (分院), linked to the district it serves."""

    __tablename__ = "branches"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(20), unique=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    area_id: Mapped[int] = mapped_column(sa.ForeignKey("areas.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)

    area: Mapped[Area] = relationship()


class Trainer(db.Model):
    """An instructor in the trainer pool (师资库): branch, qualifications, units he may teach."""

    __tablename__ = "trainers"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), unique=True)
    branch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("branches.id"), index=True)
    qualifications: Mapped[str] = mapped_column(sa.String(500), default="")
    specialties: Mapped[list] = mapped_column(sa.JSON, default=list)  # unit codes, stable across versions
    active: Mapped[bool] = mapped_column(default=True)

    user: Mapped[User] = relationship()
    branch: Mapped[Branch | None] = relationship()
