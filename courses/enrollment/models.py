"""Courses, enrollments and their workflow, mandatory training, classroom sessions and attendance.

Credited hours live on the enrollment (online hours from lessons, classroom hours from
attendance), so that exams, certificates and statistics read one figure without importing lessons.
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
from academy.extensions import db
from academy.registry.models import Worker
from academy.workflow import TransitionLog
from courses.syllabus.models import Branch, SyllabusUnit, SyllabusVersion


class CourseKind(enum.StrEnum):
    PRE_SERVICE = "pre_service"
    IN_SERVICE = "in_service"
    REFRESHER = "refresher"
    SPECIALIST = "specialist"


class Delivery(enum.StrEnum):
    ONLINE = "online"
    CLASSROOM = "classroom"
    BLENDED = "blended"


class CourseStatus(enum.StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"
    ARCHIVED = "archived"


class EnrollmentState(enum.StrEnum):
    REQUESTED = "requested"
    WAITLISTED = "waitlisted"
    ENROLLED = "enrolled"
    COMPLETED = "completed"
    FAILED = "failed"
    WITHDRAWN = "withdrawn"


ACTIVE_STATES = (EnrollmentState.REQUESTED, EnrollmentState.WAITLISTED, EnrollmentState.ENROLLED)


class LessonsRequired(enum.StrEnum):
    """Which lessons a course's completion rule asks for."""

    NONE = "none"
    ALL = "all"
    LISTED = "listed"


class CompletedBy(enum.StrEnum):
    """How an enrollment was completed or failed: by its course's rule, or by an instructor's result."""

    NONE = ""
    RULE = "rule"
    MANUAL = "manual"

course_units = sa.Table(
    "course_units", db.metadata,
    sa.Column("course_id", sa.ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("unit_id", sa.ForeignKey("syllabus_units.id"), primary_key=True),
)
course_instructors = sa.Table(
    "course_instructors", db.metadata,
    sa.Column("course_id", sa.ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("user_id", sa.ForeignKey("users.id"), primary_key=True),
)
course_prerequisites = sa.Table(
    "course_prerequisites", db.metadata,
    sa.Column("course_id", sa.ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True),
    sa.Column("required_id", sa.ForeignKey("courses.id"), primary_key=True),
)


class Course(db.Model):
    __tablename__ = "courses"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(30), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    kind: Mapped[CourseKind] = mapped_column(_enum(CourseKind))
    delivery: Mapped[Delivery] = mapped_column(_enum(Delivery))
    status: Mapped[CourseStatus] = mapped_column(_enum(CourseStatus), default=CourseStatus.DRAFT, index=True)
    branch_id: Mapped[int] = mapped_column(sa.ForeignKey("branches.id"), index=True)
    syllabus_version_id: Mapped[int] = mapped_column(sa.ForeignKey("syllabus_versions.id"), index=True)
    capacity: Mapped[int] = mapped_column(default=30)
    self_enrol: Mapped[bool] = mapped_column(default=True)
    approval_required: Mapped[bool] = mapped_column(default=False)  # self-enrolments wait as "requested"
    enrol_opens_on: Mapped[date] = mapped_column(sa.Date)
    enrol_closes_on: Mapped[date] = mapped_column(sa.Date)
    starts_on: Mapped[date] = mapped_column(sa.Date)
    ends_on: Mapped[date] = mapped_column(sa.Date)
    # A certificate type code (certificates issue): checked through the "certificate_held" slot.
    prerequisite_certificate: Mapped[str] = mapped_column(sa.String(40), default="")
    # The completion rule (``enrollment.completion``): every condition set must be met; none set means
    # only an instructor's result completes the course.
    completion_lessons: Mapped[LessonsRequired] = mapped_column(
        _enum(LessonsRequired), default=LessonsRequired.NONE, server_default=LessonsRequired.NONE.value)
    completion_lesson_ids: Mapped[list] = mapped_column(sa.JSON, default=list, server_default="[]")  # the listed lessons
    completion_hours: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 1))
    completion_final: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    completion_final_min: Mapped[Decimal | None] = mapped_column(sa.Numeric(5, 2))  # else the exam's pass mark
    completion_attendance: Mapped[int | None] = mapped_column()  # percent of the course's sessions
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Blueprints (``courses.masters``): a master course is offered by branches through copies; a copy
    # keeps its master's title, description, units and lessons (the synced parts) and refuses changes to them.
    is_master: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    master_id: Mapped[int | None] = mapped_column(sa.ForeignKey("courses.id"), index=True)
    synced_at: Mapped[datetime | None] = mapped_column(UTCDateTime)  # the last push from the master

    branch: Mapped[Branch] = relationship()
    master: Mapped[Course | None] = relationship(remote_side=[id], foreign_keys=[master_id])
    syllabus_version: Mapped[SyllabusVersion] = relationship()
    units: Mapped[list[SyllabusUnit]] = relationship(secondary=course_units, order_by="SyllabusUnit.code")
    instructors: Mapped[list[User]] = relationship(secondary=course_instructors, order_by="User.username")
    prerequisites: Mapped[list[Course]] = relationship(
        secondary=course_prerequisites, primaryjoin=lambda: Course.id == course_prerequisites.c.course_id,
        secondaryjoin=lambda: Course.id == course_prerequisites.c.required_id, order_by="Course.code",
    )

    @property
    def hours(self) -> Decimal:
        """Hours add up from the syllabus units the course covers (a module counts its own hours only)."""
        return sum((unit.own_hours for unit in self.units), Decimal("0"))

    @property
    def has_completion_rule(self) -> bool:
        return bool(self.completion_lessons != LessonsRequired.NONE or self.completion_hours or self.completion_final
                    or self.completion_attendance)

    def window_open(self, day: date) -> bool:
        return self.enrol_opens_on <= day <= self.enrol_closes_on

    def __repr__(self) -> str:
        return f"<Course {self.code}>"


class Enrollment(db.Model):
    __tablename__ = "enrollments"
    __table_args__ = (sa.UniqueConstraint("course_id", "worker_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id"), index=True)
    worker_id: Mapped[int] = mapped_column(sa.ForeignKey("workers.id"), index=True)
    state: Mapped[EnrollmentState] = mapped_column(_enum(EnrollmentState), index=True)
    source: Mapped[str] = mapped_column(sa.String(20), default="self")  # self, hr, mandatory
    requested_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    waitlisted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    enrolled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    online_hours: Mapped[Decimal] = mapped_column(sa.Numeric(6, 1), default=Decimal("0"))
    classroom_hours: Mapped[Decimal] = mapped_column(sa.Numeric(6, 1), default=Decimal("0"))
    progress_percent: Mapped[int] = mapped_column(default=0)
    result_note: Mapped[str] = mapped_column(sa.String(500), default="")
    completed_by: Mapped[CompletedBy] = mapped_column(_enum(CompletedBy), default=CompletedBy.NONE,
                                                      server_default="")
    completion_evidence: Mapped[dict | None] = mapped_column(sa.JSON(none_as_null=True))
    # A completion the rule took back (a regrade, a withdrawn attendance): on HR's list until completed again.
    taken_back_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    taken_back_reason: Mapped[str] = mapped_column(sa.String(500), default="", server_default="")

    course: Mapped[Course] = relationship()
    worker: Mapped[Worker] = relationship()
    transitions: Mapped[list[EnrollmentTransition]] = relationship(order_by="EnrollmentTransition.id")

    @property
    def hours_credited(self) -> Decimal:
        return (self.online_hours or Decimal("0")) + (self.classroom_hours or Decimal("0"))


class EnrollmentTransition(TransitionLog, db.Model):
    """One step of an enrollment: actor, from, to, reason, time."""

    __tablename__ = "enrollment_transitions"
    workflow_columns = ("enrollment_id", "from_state", "to_state")

    enrollment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrollments.id"), index=True)
    from_state: Mapped[EnrollmentState | None] = mapped_column(_enum(EnrollmentState))
    to_state: Mapped[EnrollmentState] = mapped_column(_enum(EnrollmentState))

    by: Mapped[User | None] = relationship()


class MandatoryRule(db.Model):
    """HR assigns a course to a population with a due date (fixed, or days after hire).

    A standing audience (``enrollment.standing``): it reaches everyone who matches now and whoever comes
    to match later (a new hire, a transfer, a status change, a certificate gained or lost) until ended."""

    __tablename__ = "mandatory_rules"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id"), index=True)
    area_code: Mapped[str] = mapped_column(sa.String(15))
    employment: Mapped[str] = mapped_column(sa.String(20), default="")
    worker_status: Mapped[str] = mapped_column(sa.String(20), default="")
    due_on: Mapped[date | None] = mapped_column(sa.Date)
    due_days_after_hire: Mapped[int | None] = mapped_column()
    hired_within_days: Mapped[int | None] = mapped_column()  # hired no more than this many days ago
    holds_certificate: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")  # a type code
    lacks_certificate: Mapped[str] = mapped_column(sa.String(40), default="", server_default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship()


class HoursRequirement(db.Model):
    """Annual in-service hours asked of every worker of an area (the most specific area wins)."""

    __tablename__ = "hours_requirements"

    id: Mapped[int] = mapped_column(primary_key=True)
    area_code: Mapped[str] = mapped_column(sa.String(15), unique=True)
    hours: Mapped[Decimal] = mapped_column(sa.Numeric(5, 1))
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ExtensionStatus(enum.StrEnum):
    NONE = "none"
    REQUESTED = "requested"
    GRANTED = "granted"
    REFUSED = "refused"


class TrainingAssignment(db.Model):
    """One worker's mandatory course with its due date; overdue while not completed after it."""

    __tablename__ = "training_assignments"
    __table_args__ = (sa.UniqueConstraint("worker_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    worker_id: Mapped[int] = mapped_column(sa.ForeignKey("workers.id"), index=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id"), index=True)
    rule_id: Mapped[int | None] = mapped_column(sa.ForeignKey("mandatory_rules.id"))
    reason: Mapped[str] = mapped_column(sa.String(500), default="")  # e.g. the figures of a training need
    due_on: Mapped[date] = mapped_column(sa.Date, index=True)
    extended_to: Mapped[date | None] = mapped_column(sa.Date)
    extension_status: Mapped[ExtensionStatus] = mapped_column(_enum(ExtensionStatus), default=ExtensionStatus.NONE)
    extension_requested_to: Mapped[date | None] = mapped_column(sa.Date)
    extension_reason: Mapped[str] = mapped_column(sa.String(500), default="")
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    worker: Mapped[Worker] = relationship()
    course: Mapped[Course] = relationship()

    @property
    def effective_due(self) -> date:
        return self.extended_to or self.due_on

    def overdue_on(self, day: date) -> bool:
        return self.completed_at is None and self.effective_due < day


class ClassSession(db.Model):
    """A classroom session of a course; attendance credits its hours."""

    __tablename__ = "class_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    hours: Mapped[Decimal] = mapped_column(sa.Numeric(4, 1))
    place: Mapped[str] = mapped_column(sa.String(200), default="")
    topic: Mapped[str] = mapped_column(sa.String(200), default="")
    attendance_taken_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    course: Mapped[Course] = relationship()
    attendances: Mapped[list[Attendance]] = relationship(back_populates="session")


class Attendance(db.Model):
    __tablename__ = "attendances"
    __table_args__ = (sa.UniqueConstraint("session_id", "enrollment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(sa.ForeignKey("class_sessions.id"), index=True)
    enrollment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrollments.id"), index=True)
    present: Mapped[bool] = mapped_column(default=False)

    session: Mapped[ClassSession] = relationship(back_populates="attendances")
    enrollment: Mapped[Enrollment] = relationship()


class EffectCounts:
    """The training effect's counts for one cohort in one window, in one district (``effect.refresh``,
    nightly): the completers (``cohort`` "trained") or the district's other workers in the same months
    ("others"), in the months before or after completion (``window``). Counts, never rates: the page
    divides them and applies the minimum sample."""

    id: Mapped[int] = mapped_column(primary_key=True)
    district: Mapped[str] = mapped_column(sa.String(15), index=True)
    cohort: Mapped[str] = mapped_column(sa.String(10))  # trained, others
    window: Mapped[str] = mapped_column(sa.String(10))  # before, after
    workers: Mapped[int] = mapped_column(default=0)
    due_to_close: Mapped[int] = mapped_column(default=0)
    closed_on_time: Mapped[int] = mapped_column(default=0)
    rework: Mapped[int] = mapped_column(default=0)
    return_visits: Mapped[int] = mapped_column(default=0)
    satisfied: Mapped[int] = mapped_column(default=0)
    basic: Mapped[int] = mapped_column(default=0)
    red_cards: Mapped[int] = mapped_column(default=0)
    months: Mapped[int] = mapped_column(default=3)
    refreshed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TrainingEffect(EffectCounts, db.Model):
    """One course's effect counts: its completers in the course's case categories."""

    __tablename__ = "training_effects"
    __table_args__ = (sa.UniqueConstraint("course_id", "district", "cohort", "window"),)

    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id", ondelete="CASCADE"), index=True)


class TrainerEffect(EffectCounts, db.Model):
    """One trainer's effect counts: each worker who completed one or more of his measured courses counted
    once, from the month of his first such completion, in the case categories of all those courses."""

    __tablename__ = "trainer_effects"
    __table_args__ = (sa.UniqueConstraint("user_id", "district", "cohort", "window"),)

    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
