"""A programme (培训项目): an ordered set of courses with a goal, and each worker's place in it.

The place is the position of the programme's course the worker is on now; his enrolment in that
course (``enrollment.models.Enrollment``) says how far he is in it.
"""
from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.database import UTCDateTime, utcnow
from academy.database import value_enum as _enum
from academy.extensions import db
from academy.registry.models import Worker
from courses.enrollment.models import Course


class ProgrammeGoal(enum.StrEnum):
    """What the programme leads to."""

    PRE_SERVICE = "pre_service"  # the on-duty qualification
    IN_SERVICE = "in_service"  # renewal of the qualification
    SPECIALIST = "specialist"  # a specialist track (mediation, safety inspection)


class PlaceState(enum.StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"


class Programme(db.Model):
    __tablename__ = "programmes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(sa.String(30), unique=True)
    title: Mapped[str] = mapped_column(sa.String(200))
    goal: Mapped[ProgrammeGoal] = mapped_column(_enum(ProgrammeGoal))
    description: Mapped[str] = mapped_column(sa.Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    steps: Mapped[list[ProgrammeCourse]] = relationship(order_by="ProgrammeCourse.position",
                                                        cascade="all, delete-orphan")

    @property
    def courses(self) -> list[Course]:
        return [step.course for step in self.steps]


class ProgrammeCourse(db.Model):
    """One course of a programme, at its position (0 first)."""

    __tablename__ = "programme_courses"
    __table_args__ = (sa.UniqueConstraint("programme_id", "position"), sa.UniqueConstraint("programme_id", "course_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column()
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id"), index=True)

    course: Mapped[Course] = relationship()


class ProgrammePlace(db.Model):
    """A worker in a programme: the course he is on (its position), or the programme completed."""

    __tablename__ = "programme_places"
    __table_args__ = (sa.UniqueConstraint("programme_id", "worker_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(sa.ForeignKey("programmes.id"), index=True)
    worker_id: Mapped[int] = mapped_column(sa.ForeignKey("workers.id"), index=True)
    state: Mapped[PlaceState] = mapped_column(_enum(PlaceState), default=PlaceState.ACTIVE, index=True)
    position: Mapped[int] = mapped_column(default=0)
    # Why the course at ``position`` could not be enrolled (closed, a prerequisite): HR reads it.
    note: Mapped[str] = mapped_column(sa.String(500), default="")
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    programme: Mapped[Programme] = relationship()
    worker: Mapped[Worker] = relationship()
