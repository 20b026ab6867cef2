"""Operations on exams: settings, the blueprint (draw rules and fixed questions), publishing,
accommodations, releasing results. Taking and grading attempts is in ``operations.attempts``."""
from __future__ import annotations

from datetime import datetime
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from academy import audit
from academy.database import lock_for_update, utcnow
from academy.errors import DomainError
from academy.extensions import db
from courses.enrollment.models import Course
from courses.enrollment.operations import kept_by_master
from courses.exams import notices, queries
from courses.exams.grading import QuestionType
from courses.exams.models import (
    Accommodation,
    Attempt,
    AttemptItem,
    AttemptItemMark,
    AttemptState,
    Exam,
    ExamRule,
    ExamStatus,
)

BRANCH_SETTINGS = ("opens_at", "closes_at")  # what a branch's copy of a master's exam may still change
SETTINGS = ["title", "is_final", "opens_at", "closes_at", "time_limit_minutes", "attempts_allowed", "pass_mark",
            "grace_seconds", "start_window_minutes", "shuffle_questions", "shuffle_options", "show_score",
            "show_answers", "release", "double_marking", "double_marking_tolerance"]
MAX_QUESTIONS = 200


class ExamError(DomainError):
    """An exam action that breaks a rule; the message is translated."""


def _check_settings(values: dict) -> None:
    if values["closes_at"] <= values["opens_at"]:
        raise ExamError(_("The exam must close after it opens."))
    if not 1 <= values["time_limit_minutes"] <= 600:
        raise ExamError(_("The time limit must be 1 to 600 minutes."))
    if not 1 <= values["attempts_allowed"] <= 20:
        raise ExamError(_("Allow 1 to 20 attempts."))
    if not Decimal(0) <= Decimal(values["pass_mark"]) <= Decimal(100):
        raise ExamError(_("The pass mark is a percentage from 0 to 100."))
    if not 0 <= values["grace_seconds"] <= 600:
        raise ExamError(_("The grace period is 0 to 600 seconds."))
    if not Decimal(0) <= Decimal(values.get("double_marking_tolerance", 0)) <= Decimal(100):
        raise ExamError(_("The double marking tolerance is 0 to 100 points."))


def marking_begun(exam: Exam) -> bool:
    """Has anyone marked an answer of this exam by hand (a single mark or one of two)?"""
    by_hand = sa.select(AttemptItem.id).join(AttemptItem.attempt).where(
        Attempt.exam_id == exam.id, AttemptItem.graded_by_id.is_not(None))
    marked = sa.select(AttemptItemMark.id).join(AttemptItem, AttemptItemMark.item_id == AttemptItem.id).join(
        AttemptItem.attempt).where(Attempt.exam_id == exam.id)
    return db.session.scalar(sa.select(sa.or_(sa.exists(by_hand), sa.exists(marked))))


def _check_double_marking(exam: Exam, values: dict) -> None:
    """Double marking is switched on or off before marking begins, never half-way through: an
    answer must not end up with one of two marks, or two marks under a single-marking exam.
    The exam's row is locked first: a mark being taken meanwhile (``marking``) is waited for."""
    if "double_marking" not in values or values["double_marking"] == exam.double_marking:
        return
    db.session.execute(lock_for_update(sa.select(Exam.id).where(Exam.id == exam.id), db.session))
    if marking_begun(exam):
        raise ExamError(_("Double marking cannot be switched on or off once marking has begun."))


def save_exam(by, exam: Exam | None, course: Course, **values) -> Exam:
    """Create an exam of ``course`` or change its settings (the blueprint is edited apart). A branch's
    copy of a master course follows the master's exams: it keeps only each exam's window."""
    if course.master_id is not None and (exam is None or any(
            getattr(exam, name) != value for name, value in values.items() if name not in BRANCH_SETTINGS)):
        raise ExamError(kept_by_master(course))
    _check_settings(values)
    if exam is None:
        exam = Exam(course_id=course.id, created_by_id=getattr(by, "id", None), **values)
        db.session.add(exam)
        db.session.flush()
        audit.record(by, "exam.create", exam, summary=exam.title, after={k: values[k] for k in ("title", "is_final", "double_marking") if k in values})
        return exam
    _check_double_marking(exam, values)
    audit.apply_changes(by, "exam.update", exam, SETTINGS, values)
    return exam


def add_rule(exam: Exam, by, *, question_family_id: int | None = None, type: QuestionType | None = None,
             unit_id: int | None = None, difficulty: str | None = None, count: int = 1,
             points: Decimal = Decimal("1")) -> ExamRule:
    """Add a blueprint line; a draw rule needs enough active questions to fill it."""
    if exam.course.master_id is not None:
        raise ExamError(kept_by_master(exam.course))
    if exam.status is not ExamStatus.DRAFT:
        raise ExamError(_("The blueprint of a published exam cannot change."))
    if not Decimal("0.5") <= Decimal(points) <= Decimal(100):
        raise ExamError(_("Points per question must be 0.5 to 100."))
    if question_family_id:
        count, type = 1, None
    if not 1 <= count <= MAX_QUESTIONS or sum(r.count for r in exam.rules) + count > MAX_QUESTIONS:
        raise ExamError(_("An exam has at most %(n)d questions.", n=MAX_QUESTIONS))
    rule = ExamRule(position=len(exam.rules), question_family_id=question_family_id, type=type,
                    unit_id=unit_id or None, difficulty=difficulty or None, count=count, points=points)
    available = len(queries.rule_pool(rule))
    if available < count:
        raise ExamError(_("Only %(n)d active questions match this rule.", n=available))
    exam.rules.append(rule)
    db.session.flush()
    audit.record(by, "exam.rule_add", exam, after={"rule": rule.id, "count": count, "points": points})
    return rule


def remove_rule(rule: ExamRule, by) -> None:
    exam = rule.exam
    if exam.course.master_id is not None:
        raise ExamError(kept_by_master(exam.course))
    if exam.status is not ExamStatus.DRAFT:
        raise ExamError(_("The blueprint of a published exam cannot change."))
    audit.record(by, "exam.rule_remove", exam, before={"rule": rule.id})
    exam.rules.remove(rule)
    db.session.delete(rule)
    db.session.flush()


def publish_exam(exam: Exam, by) -> None:
    """Open the exam to trainees (from ``opens_at``); every rule must still be fillable."""
    if exam.status is not ExamStatus.DRAFT:
        raise ExamError(_("Only a draft exam can be published."))
    if not exam.rules:
        raise ExamError(_("Add questions to the blueprint first."))
    for rule in exam.rules:
        if len(queries.rule_pool(rule)) < rule.count:
            raise ExamError(_("A blueprint rule no longer has enough active questions."))
    exam.status = ExamStatus.PUBLISHED
    audit.record(by, "exam.publish", exam, before={"status": "draft"}, after={"status": "published"})
    db.session.flush()


def set_accommodation(exam: Exam, worker, by, *, extra_minutes: int, extra_attempts: int, reason: str) -> Accommodation:
    """Give one person extra time and/or extra attempts in this exam (replacing an earlier grant)."""
    if not 0 <= extra_minutes <= 600 or not 0 <= extra_attempts <= 10:
        raise ExamError(_("Extra time is 0 to 600 minutes and extra attempts 0 to 10."))
    grant = db.session.scalar(sa.select(Accommodation).where(Accommodation.exam_id == exam.id,
                                                             Accommodation.worker_id == worker.id))
    before = {"extra_minutes": grant.extra_minutes, "extra_attempts": grant.extra_attempts} if grant else None
    if grant is None:
        grant = Accommodation(exam_id=exam.id, worker_id=worker.id)
        db.session.add(grant)
    grant.extra_minutes, grant.extra_attempts, grant.reason = extra_minutes, extra_attempts, reason
    db.session.flush()
    audit.record(by, "exam.accommodation", exam, summary=worker.name, before=before,
                 after={"worker": worker.id, "extra_minutes": extra_minutes, "extra_attempts": extra_attempts})
    return grant


def release_results(exam: Exam, by, now: datetime | None = None) -> int:
    """Show the graded results to their trainees; returns how many were released now."""
    now = now or utcnow()
    attempts = db.session.scalars(sa.select(Attempt).where(
        Attempt.exam_id == exam.id, Attempt.state == AttemptState.GRADED, Attempt.released_at.is_(None))).all()
    for attempt in attempts:
        attempt.released_at = now
    exam.released_at = now
    audit.record(by, "exam.release", exam, after={"released": len(attempts)})
    db.session.flush()
    for attempt in attempts:
        notices.result_released(attempt)
    return len(attempts)
