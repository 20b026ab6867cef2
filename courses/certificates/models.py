"""Certificate types with their rules, the certificates issued, and their one transition table.

A type says what earns it (requirements: courses completed, final exams passed with a score; and
minimum hours and assessment score on the type itself), how long it is valid and what renews it.
A certificate records the evidence it was issued on and moves through ``CertificateStatus`` only
in ``lifecycle``/``issuing``, every step a ``CertificateTransition`` row and an audit entry.
"""
from __future__ import annotations

import enum
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.accounts.models import User
from academy.database import UTCDateTime, utcnow
from academy.database import value_enum as _enum
from academy.errors import DomainError
from academy.extensions import db
from academy.registry.models import Worker
from academy.workflow import TransitionLog
from courses.enrollment.models import Course
from courses.syllabus.models import Branch


class CertificateError(DomainError):
    """A certification rule refused the action; the message is for the user."""


class CertificateKind(enum.StrEnum):
    ON_DUTY = "on_duty"  # 上岗资格证: the one that lets a worker go on duty
    COMPLETION = "completion"  # a course completed
    SPECIALIST = "specialist"  # e.g. dispute mediator


class CertificateStatus(enum.StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    SUSPENDED = "suspended"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


class RequirementKind(enum.StrEnum):
    COURSE = "course"  # the course completed (enrollment completed)
    EXAM = "exam"  # the course's final exam passed, with at least a percentage if given


class CertificateType(db.Model):
    __tablename__ = "certificate_types"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(40), unique=True)  # read by course prerequisites
    prefix: Mapped[str] = mapped_column(sa.String(6))  # the number's first part, e.g. SG
    name: Mapped[str] = mapped_column(sa.String(100))  # Chinese
    name_en: Mapped[str] = mapped_column(sa.String(100), default="")
    kind: Mapped[CertificateKind] = mapped_column(_enum(CertificateKind))
    validity_months: Mapped[int | None] = mapped_column()  # None: never expires
    min_hours: Mapped[Decimal] = mapped_column(sa.Numeric(6, 1), default=Decimal("0"))
    min_score: Mapped[float | None] = mapped_column(sa.Float)  # assessment score from the indicators
    renewal_hours: Mapped[Decimal] = mapped_column(sa.Numeric(6, 1), default=Decimal("0"))  # in-service, in the period
    renewal_min_score: Mapped[float | None] = mapped_column(sa.Float)
    renewal_window_days: Mapped[int] = mapped_column(default=90)
    automatic: Mapped[bool] = mapped_column(default=True)  # issued as soon as the rule is met
    pdf_template: Mapped[str] = mapped_column(sa.String(40), default="default")
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    requirements: Mapped[list[Requirement]] = relationship(back_populates="type", cascade="all, delete-orphan",
                                                           order_by="Requirement.id")

    @property
    def gates_duty(self) -> bool:
        return self.kind == CertificateKind.ON_DUTY

    @property
    def renewable(self) -> bool:
        """A renewal rule exists: the type expires and asks for hours or a score to be renewed."""
        return bool(self.validity_months) and (bool(self.renewal_hours) or self.renewal_min_score is not None)

    def display_name(self, language: str) -> str:
        return self.name_en if language == "en" and self.name_en else self.name


class Requirement(db.Model):
    """One line of a type's earning rule about a course: completed, or its final exam passed."""

    __tablename__ = "certificate_requirements"
    __table_args__ = (sa.UniqueConstraint("type_id", "kind", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    type_id: Mapped[int] = mapped_column(sa.ForeignKey("certificate_types.id", ondelete="CASCADE"), index=True)
    kind: Mapped[RequirementKind] = mapped_column(_enum(RequirementKind))
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id"), index=True)
    min_percent: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))  # above the exam's own pass mark

    type: Mapped[CertificateType] = relationship(back_populates="requirements")
    course: Mapped[Course] = relationship()


class Certificate(db.Model):
    __tablename__ = "certificates"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(sa.String(40), unique=True)
    type_id: Mapped[int] = mapped_column(sa.ForeignKey("certificate_types.id"), index=True)
    worker_id: Mapped[int] = mapped_column(sa.ForeignKey("workers.id"), index=True)
    branch_id: Mapped[int | None] = mapped_column(sa.ForeignKey("branches.id"), index=True)
    status: Mapped[CertificateStatus] = mapped_column(_enum(CertificateStatus), index=True)
    issued_on: Mapped[date] = mapped_column(sa.Date, index=True)
    valid_until: Mapped[date | None] = mapped_column(sa.Date, index=True)
    status_since: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    manual: Mapped[bool] = mapped_column(default=False)  # issued by HR by hand
    reason: Mapped[str] = mapped_column(sa.String(500), default="")  # HR's reason when by hand
    # The evidence: the exam attempt and course it rests on, the hours and score, and all of it as text.
    attempt_id: Mapped[int | None] = mapped_column(sa.ForeignKey("attempts.id"), index=True)
    course_id: Mapped[int | None] = mapped_column(sa.ForeignKey("courses.id"), index=True)
    exam_id: Mapped[int | None] = mapped_column(sa.ForeignKey("exams.id"), index=True)
    hours: Mapped[Decimal | None] = mapped_column(sa.Numeric(6, 1))
    exam_percent: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))
    score: Mapped[float | None] = mapped_column(sa.Float)
    evidence: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    evidence_since: Mapped[datetime | None] = mapped_column(UTCDateTime)  # evidence counted from (None: ever)
    previous_id: Mapped[int | None] = mapped_column(sa.ForeignKey("certificates.id"))  # renewed from
    # The worker status change by which this certificate's end took the worker off duty.
    off_duty_change_id: Mapped[int | None] = mapped_column(sa.ForeignKey("worker_status_changes.id"))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    type: Mapped[CertificateType] = relationship()
    worker: Mapped[Worker] = relationship()
    branch: Mapped[Branch | None] = relationship()
    course: Mapped[Course | None] = relationship()
    previous: Mapped[Certificate | None] = relationship(remote_side=[id])
    transitions: Mapped[list[CertificateTransition]] = relationship(order_by="CertificateTransition.id",
                                                                    back_populates="certificate")

    def effective_status(self, today: date) -> CertificateStatus:
        """The status as of ``today``: a valid certificate past its date is expired even before the sweep."""
        if self.status == CertificateStatus.VALID and self.valid_until is not None and self.valid_until < today:
            return CertificateStatus.EXPIRED
        return self.status

    def is_valid_on(self, today: date) -> bool:
        return self.effective_status(today) == CertificateStatus.VALID


class CertificateTransition(TransitionLog, db.Model):
    """One step of a certificate: actor, from, to, reason, time."""

    __tablename__ = "certificate_transitions"
    workflow_columns = ("certificate_id", "from_status", "to_status")

    certificate_id: Mapped[int] = mapped_column(sa.ForeignKey("certificates.id"), index=True)
    from_status: Mapped[CertificateStatus | None] = mapped_column(_enum(CertificateStatus))
    to_status: Mapped[CertificateStatus] = mapped_column(_enum(CertificateStatus))

    certificate: Mapped[Certificate] = relationship(back_populates="transitions")
    by: Mapped[User | None] = relationship()


class VerificationKey(db.Model):
    """An integrator's key to the verification API: its own quota, kept apart from the public's.

    Only the key's hash is kept; the key is shown once, when an administrator issues it."""

    __tablename__ = "certificate_verification_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(100))
    key_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
