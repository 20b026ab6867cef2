"""Who may do what with the assessment engine's records: manage an exam, see an attempt's result,
see a stem image. Each check is a pure answer about one object; views turn it into 403 or 404."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from academy.database import utcnow
from academy.extensions import db
from academy.permissions import Role, has_role
from courses.enrollment.access import can_edit_course
from courses.exams.models import Attempt, AttemptItem, AttemptState, Exam, QuestionImage, ResultRelease, StemImage


def can_manage_exam(user, exam: Exam) -> bool:
    """Who edits an exam, grades it and sees its results: whoever may edit its course."""
    return can_edit_course(user, exam.course)


def is_released(attempt: Attempt, now: datetime | None = None) -> bool:
    """May the trainee see this attempt's result?"""
    now = now or utcnow()
    if attempt.state is not AttemptState.GRADED:
        return False
    if attempt.released_at is not None:
        return True
    return attempt.exam.release is ResultRelease.AFTER_CLOSE and now >= attempt.exam.closes_at


def _shows_stems(attempt: Attempt, now: datetime) -> bool:
    """Does this attempt show its questions to its trainee now: while it runs (until its deadline and
    grace), or once its result is released with the answers shown (the review shows the stems)."""
    if attempt.state is AttemptState.IN_PROGRESS:
        return now <= attempt.deadline_at + timedelta(seconds=attempt.exam.grace_seconds)
    return attempt.exam.show_answers and is_released(attempt, now)


def can_view_image(user, image: StemImage, now: datetime | None = None) -> bool:
    """Staff who may edit the bank see every image; a trainee only one shown by a question version
    of an attempt of his that shows its questions to him now."""
    if has_role(user, Role.INSTRUCTOR):
        return True
    shown_in = (sa.select(AttemptItem.attempt_id)
                .join(QuestionImage, QuestionImage.question_id == AttemptItem.question_id)
                .where(QuestionImage.image_id == image.id))
    attempts = db.session.scalars(sa.select(Attempt).where(Attempt.user_id == user.id, Attempt.id.in_(shown_in)))
    now = now or utcnow()
    return any(_shows_stems(attempt, now) for attempt in attempts)
