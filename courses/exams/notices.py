"""What the exams tell people (``academy.notifications``): a result released to its trainee, when an
instructor releases an exam's results or grades an essay of an exam whose results were already out;
and, from ``flask academy notify-due``, an exam open to its course's trainees, an exam closing within
24 hours to those who have not tried it, and essays waiting for a mark to the course's instructors.
The exams' operations call these directly (a package never listens to its own signals)."""
from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from flask import current_app

from academy.accounts.models import User
from academy.database import city_zone, utcnow
from academy.extensions import db
from academy.notifications.operations import link_to, notify
from academy.registry.models import Worker
from courses.enrollment.models import Enrollment, EnrollmentState
from courses.exams.models import Attempt, AttemptItem, AttemptState, Exam, ExamStatus

TAKERS = (EnrollmentState.ENROLLED, EnrollmentState.COMPLETED)  # who may start an exam (operations.attempts)


def result_released(attempt: Attempt) -> list:
    """Tell the attempt's trainee his result is there to see; once per attempt and score. Flushes."""
    user = db.session.get(User, attempt.user_id)
    if user is None or attempt.state is not AttemptState.GRADED or attempt.released_at is None:
        return []
    return notify("exam.result_released", [user], {"exam": attempt.exam.title},
                  key=f"exam.result:{attempt.id}:{attempt.score}", link=link_to("exams.attempt", attempt_id=attempt.id))


def result_changed(attempt: Attempt, by) -> None:
    """A graded result (``attempts.announce_graded``) out by someone else's hand (an essay marked, a
    regrade, the sweep closing an attempt whose time ran out) tells the trainee; his own hand-in needs
    no message (he is looking at the result)."""
    if attempt.released_at is not None and getattr(by, "id", None) != attempt.user_id:
        result_released(attempt)


def _day_start(day: date) -> datetime:
    """The first moment of ``day`` in the city's zone, as UTC (what the stored times are)."""
    return datetime.combine(day, time(), tzinfo=city_zone()).astimezone(UTC)


def _takers(exam: Exam, *, untried: bool = False) -> list[User]:
    """The log-ins of the trainees who may take ``exam``; ``untried``: only those with no attempt at it."""
    query = (sa.select(User).join(Worker, Worker.user_id == User.id)
             .join(Enrollment, Enrollment.worker_id == Worker.id)
             .where(Enrollment.course_id == exam.course_id, Enrollment.state.in_(TAKERS)).order_by(User.id))
    if untried:
        query = query.where(~sa.exists().where(Attempt.exam_id == exam.id, Attempt.worker_id == Worker.id))
    return list(db.session.scalars(query))


def _published(*where) -> list[Exam]:
    return list(db.session.scalars(sa.select(Exam).where(Exam.status == ExamStatus.PUBLISHED, *where)
                                   .order_by(Exam.id)))


def _when(moment: datetime) -> str:
    return moment.astimezone(city_zone()).strftime("%Y-%m-%d %H:%M")


def notify_exams_open(day: date) -> list:
    """Published exams open on ``day`` tell their course's trainees, once per exam (a trainee enrolled
    later hears on the next pass while it is still open). Flushes."""
    start, end = _day_start(day), _day_start(day + timedelta(days=1))
    made = []
    for exam in _published(Exam.opens_at < end, Exam.closes_at > start):
        made += notify("exam.opened", _takers(exam), {"exam": exam.title, "closes": _when(exam.closes_at)},
                       key=f"exam.opened:{exam.id}", link=link_to("enrollment.course", course_id=exam.course_id))
    return made


def notify_exams_closing(day: date) -> list:
    """Exams closing within 24 hours tell the trainees who may take them and have not tried, once per
    exam and closing time (``day`` today: from now; a later day: from its start). Flushes."""
    since = max(_day_start(day), utcnow())
    made = []
    for exam in _published(Exam.opens_at <= since + timedelta(hours=24), Exam.closes_at > since,
                           Exam.closes_at <= since + timedelta(hours=24)):
        made += notify("exam.closing", _takers(exam, untried=True), {"exam": exam.title, "closes": _when(exam.closes_at)},
                       key=f"exam.closing:{exam.id}:{exam.closes_at.isoformat()}",
                       link=link_to("enrollment.course", course_id=exam.course_id))
    return made


def notify_essays_waiting(day: date) -> list:
    """Essays handed in more than ``ACADEMY_NOTIFY_ESSAY_DAYS`` days before ``day`` and still without a
    mark tell the course's instructors: one message per exam, again only when a later attempt joins
    the ones waiting. Flushes."""
    days = current_app.config.get("NOTIFY_ESSAY_DAYS", 3)
    rows = db.session.execute(
        sa.select(Attempt.exam_id, sa.func.count(sa.distinct(Attempt.id)), sa.func.max(Attempt.id))
        .join(AttemptItem, AttemptItem.attempt_id == Attempt.id)
        .where(AttemptItem.needs_grading.is_(True), Attempt.state == AttemptState.SUBMITTED,
               Attempt.closed_at < _day_start(day - timedelta(days=days)))
        .group_by(Attempt.exam_id).order_by(Attempt.exam_id)).all()
    made = []
    for exam_id, count, newest in rows:
        exam = db.session.get(Exam, exam_id)
        made += notify("exam.essays_waiting", exam.course.instructors,
                       {"exam": exam.title, "count": count, "days": days},
                       key=f"exam.essays_waiting:{exam.id}:{newest}", link=link_to("exams.grading_queue", exam_id=exam.id))
    return made


def notify_due_exams(day: date) -> list:
    """``flask academy notify-due``: the exams' time-based messages of ``day``."""
    return notify_exams_open(day) + notify_exams_closing(day) + notify_essays_waiting(day)
