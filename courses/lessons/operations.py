"""Lesson operations: write lessons, attach checked files, and measure each trainee's progress.

Time in a lesson is measured by the server: the page sends a heartbeat every 30 s while it is
visible, and each heartbeat credits the time since the previous one, at most ``HEARTBEAT_CAP``
seconds, so a tab left open overnight or a forged request cannot credit more than was spent.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from academy import audit
from academy.database import utcnow
from academy.errors import DomainError
from academy.extensions import db
from academy.files import display_name, remove_after_commit, write_file
from academy.signals import send
from courses.enrollment.models import Enrollment, EnrollmentState
from courses.enrollment.operations import kept_by_master, review_completion
from courses.enrollment.signals import training_recorded
from courses.lessons import queries
from courses.lessons.content import sniff
from courses.lessons.models import Completion, Lesson, LessonFile, LessonProgress

HEARTBEAT_CAP = timedelta(seconds=75)
LESSON_FIELDS = ["title", "body_markdown", "video_url", "hours", "completion", "min_seconds", "position", "published"]


class LessonError(DomainError):
    """A lesson rule refused the change; the message is for the user."""


def max_file_bytes() -> int:
    return int(current_app.config.get("LESSON_MAX_FILE_MB", 15)) * 1024 * 1024


def files_dir() -> Path:
    path = Path(current_app.config["FILES_DIR"]) / "lessons"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _check(values: dict) -> None:
    url = values.get("video_url") or ""
    if url and not url.startswith(("https://", "http://")):
        raise LessonError(_("A video address must start with http:// or https://."))
    if not Decimal("0") <= values["hours"] <= Decimal("40"):
        raise LessonError(_("A lesson credits between 0 and 40 hours."))
    if not 0 <= values["min_seconds"] <= 4 * 3600:
        raise LessonError(_("The minimum time must be between 0 and 4 hours."))


def save_lesson(lesson: Lesson | None, course, by, **values) -> Lesson:
    """Create or change a lesson of ``course``; a branch's copy of a master course refuses. Flushes."""
    if course.master_id is not None:
        raise LessonError(kept_by_master(course))
    _check(values)
    creating = lesson is None
    before = None if creating else {name: getattr(lesson, name) for name in LESSON_FIELDS}
    if creating:
        lesson = Lesson(course=course)
        db.session.add(lesson)
    for name, value in values.items():
        setattr(lesson, name, value)
    db.session.flush()
    audit.record(by, "lesson.create" if creating else "lesson.update", lesson, summary=f"{course.code} {lesson.title}"[:500],
                 before=before, after={name: getattr(lesson, name) for name in LESSON_FIELDS if name != "body_markdown"})
    for enrollment in db.session.scalars(sa.select(Enrollment).where(  # a new or hidden lesson moves everyone's progress
            Enrollment.course_id == course.id, Enrollment.state == EnrollmentState.ENROLLED)):
        recompute(enrollment)
    return lesson


def add_file(lesson: Lesson, by, *, filename: str, stream) -> LessonFile:
    """Store an uploaded file after checking its size, extension and first bytes. Flushes."""
    if lesson.course.master_id is not None:
        raise LessonError(kept_by_master(lesson.course))
    limit = max_file_bytes()
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise LessonError(_("The file is larger than %(n)d MB.", n=limit // (1024 * 1024)))
    if not data:
        raise LessonError(_("The file is empty."))
    kind = sniff(filename, data[:16])
    if kind is None:
        raise LessonError(_("Only PDF, images (PNG, JPEG, GIF, WebP), office files and MP4/WebM videos are accepted, "
                            "and the file must really be one."))
    content_type, is_video = kind
    extension = filename.rsplit(".", 1)[-1].lower()
    stored = f"{uuid.uuid4().hex}.{extension}"
    write_file(files_dir() / stored, data)
    record = LessonFile(lesson=lesson, original_name=display_name(filename), stored_name=stored, content_type=content_type,
                        size=len(data), is_video=is_video, uploaded_by_id=getattr(by, "id", None))
    db.session.add(record)
    db.session.flush()
    audit.record(by, "lesson.file_add", lesson, summary=record.original_name, after={"size": record.size})
    return record


def remove_file(record: LessonFile, by) -> None:
    """Take a file off its lesson; the stored file goes once the change commits. A branch's copy of a
    master course refuses (its files follow the master's). Flushes."""
    lesson = record.lesson
    if lesson.course.master_id is not None:
        raise LessonError(kept_by_master(lesson.course))
    audit.record(by, "lesson.file_remove", lesson, summary=record.original_name, before={"size": record.size}, after=None)
    drop_file(record)


def drop_file(record: LessonFile) -> None:
    """Delete the file's record now and its stored file after the commit (a rollback keeps both). Flushes."""
    remove_after_commit(files_dir() / record.stored_name)
    db.session.delete(record)
    db.session.flush()


def open_lesson(lesson: Lesson, enrollment: Enrollment, now: datetime | None = None) -> LessonProgress:
    """Start (or resume) a trainee's time in a lesson. Flushes."""
    now = now or utcnow()
    progress = queries.progress_of(lesson, enrollment)
    if progress is None:
        progress = LessonProgress(lesson=lesson, enrollment=enrollment, first_opened_at=now, last_seen_at=now)
        db.session.add(progress)
    progress.last_seen_at = now
    db.session.flush()
    return progress


def heartbeat(progress: LessonProgress, by, now: datetime | None = None) -> LessonProgress:
    """Credit the time since the last heartbeat (capped); complete a timed lesson at its minimum. Flushes."""
    now = now or utcnow()
    elapsed = now - progress.last_seen_at
    if timedelta(0) <= elapsed <= HEARTBEAT_CAP:
        # Whole seconds are credited; the fraction carries over to the next beat instead of being lost
        # at each one (beats a second apart would otherwise credit nothing).
        credited = int(elapsed.total_seconds())
        progress.last_seen_at += timedelta(seconds=credited)
    else:  # away longer than the cap, or a clock that went back: the cap at most, counted from now
        credited = int(min(max(elapsed, timedelta(0)), HEARTBEAT_CAP).total_seconds())
        progress.last_seen_at = now
    progress.seconds += credited
    lesson = progress.lesson
    if progress.completed_at is None and lesson.completion == Completion.TIME and progress.seconds >= lesson.min_seconds:
        _complete(progress, by, now)
    db.session.flush()
    return progress


def mark_done(progress: LessonProgress, by) -> None:
    """The trainee marks a lesson done (lessons completed by marking). Flushes."""
    if progress.lesson.completion != Completion.MARK:
        raise LessonError(_("This lesson completes by itself after %(n)d minutes of study.",
                            n=max(1, progress.lesson.min_seconds // 60)))
    if progress.completed_at is None:
        _complete(progress, by, utcnow())
    db.session.flush()


def _complete(progress: LessonProgress, by, now: datetime) -> None:
    progress.completed_at = now
    db.session.flush()
    audit.record(by, "lesson.complete", progress.lesson, summary=f"enrollment {progress.enrollment_id}")
    recompute(progress.enrollment)


def recompute(enrollment: Enrollment) -> None:
    """Course progress and online hours of an enrollment from its completed lessons. Flushes."""
    lessons = db.session.scalars(sa.select(Lesson).where(Lesson.course_id == enrollment.course_id,
                                                         Lesson.published.is_(True))).all()
    done = queries.done_lesson_ids(enrollment)
    finished = [lesson for lesson in lessons if lesson.id in done]
    enrollment.progress_percent = round(100 * len(finished) / len(lessons)) if lessons else 0
    hours = sum((lesson.hours for lesson in finished), Decimal("0"))
    changed = hours != (enrollment.online_hours or Decimal("0"))
    enrollment.online_hours = hours
    db.session.flush()
    if changed:
        send(training_recorded, worker=enrollment.worker, by=None)
    review_completion(enrollment, None)  # the last lesson may complete the course
