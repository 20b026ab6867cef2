"""Lessons of a course, their files (attachments and uploaded video), and each trainee's progress."""
from __future__ import annotations

import enum
from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from academy.database import UTCDateTime, utcnow, value_enum
from academy.extensions import db
from courses.enrollment.models import Course, Enrollment


class Completion(enum.StrEnum):
    TIME = "time"  # complete after the lesson was open for ``min_seconds``
    MARK = "mark"  # complete when the trainee marks it done


class Lesson(db.Model):
    __tablename__ = "lessons"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(sa.ForeignKey("courses.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(sa.String(200))
    body_markdown: Mapped[str] = mapped_column(sa.Text, default="")
    video_url: Mapped[str] = mapped_column(sa.String(500), default="")
    hours: Mapped[Decimal] = mapped_column(sa.Numeric(4, 1), default=Decimal("0.5"))  # credited when complete
    completion: Mapped[Completion] = mapped_column(value_enum(Completion), default=Completion.TIME)
    min_seconds: Mapped[int] = mapped_column(default=300)
    published: Mapped[bool] = mapped_column(default=True)
    # In a branch's copy of a master course: the master's lesson this one follows (``courses.masters``).
    master_lesson_id: Mapped[int | None] = mapped_column(sa.ForeignKey("lessons.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    course: Mapped[Course] = relationship()
    files: Mapped[list[LessonFile]] = relationship(back_populates="lesson", order_by="LessonFile.id")


class LessonFile(db.Model):
    """An attachment (PDF, image, office file) or an uploaded video, checked and size-limited."""

    __tablename__ = "lesson_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lessons.id"), index=True)
    original_name: Mapped[str] = mapped_column(sa.String(200))
    stored_name: Mapped[str] = mapped_column(sa.String(80), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(100))
    size: Mapped[int] = mapped_column()
    is_video: Mapped[bool] = mapped_column(default=False)
    uploaded_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    lesson: Mapped[Lesson] = relationship(back_populates="files")

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class LessonProgress(db.Model):
    """A trainee's time in a lesson (server-measured between heartbeats) and its completion."""

    __tablename__ = "lesson_progress"
    __table_args__ = (sa.UniqueConstraint("lesson_id", "enrollment_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(sa.ForeignKey("lessons.id"), index=True)
    enrollment_id: Mapped[int] = mapped_column(sa.ForeignKey("enrollments.id"), index=True)
    first_opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    seconds: Mapped[int] = mapped_column(default=0)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    lesson: Mapped[Lesson] = relationship()
    enrollment: Mapped[Enrollment] = relationship()
