"""What waits for an instructor (his workbench and the navigation's badge): essays to mark in the
exams he manages, and his exams that close soon. Each is one query; the exam list filters by them."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from academy.extensions import db
from academy.permissions import Role, has_role
from courses.enrollment.models import Course, course_instructors
from courses.exams.models import Attempt, AttemptItem, AttemptState, Exam, ExamStatus
from courses.syllabus.models import Trainer

CLOSING_DAYS = 7  # "closing soon": within a week


def managed_clause(user):
    """The exams ``user`` manages, as ``access.can_manage_exam`` says, in SQL: an administrator all;
    an instructor those of courses he is named on or that belong to his own branch academy."""
    if has_role(user, Role.ADMIN):
        return sa.true()
    if not has_role(user, Role.INSTRUCTOR):
        return sa.false()
    named = sa.select(course_instructors.c.course_id).where(course_instructors.c.user_id == user.id)
    branch = sa.select(Trainer.branch_id).where(Trainer.user_id == user.id).scalar_subquery()
    of_branch = sa.select(Course.id).where(Course.branch_id == branch)
    return sa.or_(Exam.course_id.in_(named), Exam.course_id.in_(of_branch))


def essays_to_mark(user) -> list[tuple[Exam, int]]:
    """The exams ``user`` manages with essay answers waiting for a mark (those ``grading_queue``
    lists), each with how many, the exam closing first at the top."""
    rows = db.session.execute(
        sa.select(Exam, sa.func.count(AttemptItem.id))
        .join(Attempt, Attempt.exam_id == Exam.id).join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
        .where(AttemptItem.needs_grading.is_(True), Attempt.state == AttemptState.SUBMITTED, managed_clause(user))
        .group_by(Exam.id).order_by(Exam.closes_at, Exam.id))
    return [(exam, n) for exam, n in rows]


def exams_closing(user, now: datetime) -> list[Exam]:
    """The published exams ``user`` manages that are open now and close within ``CLOSING_DAYS``."""
    return db.session.scalars(sa.select(Exam).where(
        Exam.status == ExamStatus.PUBLISHED, Exam.opens_at <= now, Exam.closes_at > now,
        Exam.closes_at <= now + timedelta(days=CLOSING_DAYS), managed_clause(user))
        .order_by(Exam.closes_at, Exam.id)).all()
