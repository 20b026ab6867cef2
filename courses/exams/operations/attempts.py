"""Taking an exam on the server's clock: start, ordered idempotent saves, submit, the deadline sweep,
and the grading that follows (automatic on close, by hand for essays, regrades).

Every change to an attempt first locks its row (``SELECT ... FOR UPDATE`` on PostgreSQL, the write
lock on SQLite), so a save, a second tab, a double submit and the sweep queue behind each other
instead of interleaving: an attempt is closed and graded exactly once, and a save that arrives
after the close changes nothing.
"""
from __future__ import annotations

import logging
import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from academy import audit
from academy.database import lock_for_update, utcnow
from academy.extensions import db
from academy.signals import send
from academy.workflow import Workflow
from courses.enrollment.models import Enrollment, EnrollmentState
from courses.enrollment.operations import review_completion
from courses.enrollment.queries import enrollment_of
from courses.exams import notices, queries
from courses.exams.grading import CENT, QuestionType, grade, matches_of
from courses.exams.models import (
    Attempt,
    AttemptItem,
    AttemptState,
    AttemptTransition,
    Exam,
    ExamStatus,
    ResultRelease,
)
from courses.exams.operations.answers import clean_flags, clean_response, named_items
from courses.exams.operations.exams import ExamError
from courses.exams.signals import attempt_graded

log = logging.getLogger(__name__)

# The attempt workflow. No audit entry per move: closing and regrading write their own, with the score.
WORKFLOW = Workflow(
    of=Attempt, state="state",
    moves={
        None: frozenset({AttemptState.IN_PROGRESS}),
        AttemptState.IN_PROGRESS: frozenset({AttemptState.SUBMITTED, AttemptState.GRADED}),
        AttemptState.SUBMITTED: frozenset({AttemptState.GRADED}),
        AttemptState.GRADED: frozenset({AttemptState.GRADED}),  # a regrade or a changed essay mark
    },
    log=AttemptTransition,
    refuse=lambda attempt, before, to: ExamError(_("This attempt cannot change that way.")),
)


def lock(attempt: Attempt, with_items: bool = False) -> Attempt:
    """Re-read the attempt with its row (only its row) locked until the transaction ends;
    ``with_items`` loads its items and their questions as grading needs them (``queries.items_to_grade``)."""
    query = sa.select(Attempt).where(Attempt.id == attempt.id).execution_options(populate_existing=True)
    if with_items:
        query = query.options(queries.items_to_grade())
    return db.session.scalars(lock_for_update(query, db.session, of=Attempt)).one()


def _check_start(exam: Exam, now: datetime, enrolled: bool, left: int) -> None:
    """Refuse a start outside the exam's window, by someone not enrolled, or with no attempt left."""
    if exam.status is not ExamStatus.PUBLISHED:
        raise ExamError(_("This exam is not open."))
    if now < exam.opens_at:
        raise ExamError(_("This exam has not opened yet."))
    if now >= exam.closes_at:
        raise ExamError(_("This exam has closed."))
    if exam.start_window_minutes and now > exam.opens_at + timedelta(minutes=exam.start_window_minutes):
        raise ExamError(_("The time to start this exam has passed."))
    if not enrolled:
        raise ExamError(_("Only trainees enrolled in the course can take this exam."))
    if left <= 0:
        raise ExamError(_("You have used every attempt at this exam."))


def _draw(exam: Exam, rng: random.Random, pools: list[list] | None = None) -> list[tuple]:
    """Questions for one attempt: (question, points) per blueprint rule, no family twice.
    ``pools`` (each rule's ``rule_pool``) spares the queries when many attempts are drawn at once."""
    chosen, families = [], set()
    for rule, rule_questions in zip(exam.rules, pools or [queries.rule_pool(rule) for rule in exam.rules], strict=True):
        pool = [q for q in rule_questions if q.family_id not in families]
        if len(pool) < rule.count:
            raise ExamError(_("The exam's question bank has changed; ask the instructor."))
        for question in rng.sample(pool, rule.count):
            families.add(question.family_id)
            chosen.append((question, rule.points))
    if exam.shuffle_questions:
        rng.shuffle(chosen)
    return chosen


def option_order(exam: Exam, question, rng: random.Random) -> list[str]:
    """The original option letters in the order this attempt shows them (shuffled if the exam and the
    question both allow it, as Moodle's quiz and question settings do); a matching question's matches are
    always shuffled (in letter order they would give the pairs away), and the order kept with the attempt."""
    if question.type is QuestionType.MATCHING:
        order = [chr(65 + i) for i in range(len(matches_of(question.correct, question.options)))]
        rng.shuffle(order)
        return order
    order = [chr(65 + i) for i in range(len(question.options))]
    if exam.shuffle_options and question.shuffle_answers and question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        rng.shuffle(order)
    return order


def start_attempt(exam: Exam, worker, user, now: datetime | None = None) -> Attempt:
    """Start (or resume) ``worker``'s attempt: its own draw, its deadline on the server's clock.

    deadline = start + time limit + the person's extra time, never past the exam's close.
    A second start while an attempt is open returns that attempt.
    """
    now = now or utcnow()
    # One start at a time per person and course: the enrollment row is the lock, so a second tab's
    # start waits, then finds and resumes the attempt the first one made.
    enrollment = sa.select(Enrollment.state).where(Enrollment.course_id == exam.course_id,
                                                   Enrollment.worker_id == worker.id)
    enrolled = db.session.execute(lock_for_update(enrollment, db.session)).scalar()
    earlier = db.session.scalars(sa.select(Attempt).where(Attempt.exam_id == exam.id,
                                                          Attempt.worker_id == worker.id)).all()
    existing = next((a for a in earlier if a.state is AttemptState.IN_PROGRESS), None)
    if existing is not None:
        return existing
    grant = queries.accommodation(exam, worker.id)
    _check_start(exam, now, enrolled in (EnrollmentState.ENROLLED, EnrollmentState.COMPLETED),
                 exam.attempts_allowed + (grant.extra_attempts if grant else 0) - len(earlier))
    minutes = exam.time_limit_minutes + (grant.extra_minutes if grant else 0)
    rng = random.SystemRandom()
    drawn = _draw(exam, rng, queries.rule_pools(exam.rules))
    attempt = Attempt(exam_id=exam.id, worker_id=worker.id, user_id=user.id, number=1 + len(earlier), started_at=now,
                      deadline_at=min(now + timedelta(minutes=minutes), exam.closes_at), state=AttemptState.IN_PROGRESS,
                      max_score=sum((points for _q, points in drawn), Decimal("0")))
    db.session.add(attempt)
    db.session.flush()  # the unique (exam, worker, number) refuses a concurrent second start here
    WORKFLOW.record(attempt, None, AttemptState.IN_PROGRESS, user)
    # One multi-row INSERT, without an object per item: the page that follows reads them anyway.
    db.session.execute(sa.insert(AttemptItem.__table__), [
        {"attempt_id": attempt.id, "position": position, "question_id": question.id, "points": points,
         "option_order": option_order(exam, question, rng)} for position, (question, points) in enumerate(drawn)])
    audit.record(user, "attempt.start", attempt, after={"exam": exam.id, "deadline": attempt.deadline_at})
    return attempt


def start_or_resume_attempt(exam: Exam, worker, user) -> Attempt | None:
    """``start_attempt`` in a savepoint, so a lost race undoes only this start: when a concurrent
    start won the unique (exam, worker, number), the attempt it made is resumed instead (None if
    that one is no longer open)."""
    try:
        with db.session.begin_nested():
            return start_attempt(exam, worker, user)
    except IntegrityError:
        return queries.open_attempt(exam, worker.id)


# ---- answers ---------------------------------------------------------------------------------


@dataclass
class SaveResult:
    status: str  # saved, stale, closed
    last_seq: int
    saved_at: datetime | None


def save_answers(attempt: Attempt, user, seq: int, answers: dict, now: datetime | None = None,
                 locked: bool = False, flagged: list | None = None) -> SaveResult:
    """Save answers sent with sequence number ``seq``: an answer already saved with a number as high
    or higher is left alone (a retried or late request never overwrites a newer answer); "stale"
    when nothing was left to apply. ``locked``: the caller has just read ``attempt`` with its row locked.
    ``flagged`` (the ids of every item flagged for review, the whole set) replaces the saved set only
    when ``seq`` is the newest the attempt has seen; otherwise the save is "stale" and the page resends.

    Within the grace period after the deadline a save still counts (answers in flight); later,
    the attempt is closed with what was saved before, and the save is refused.
    """
    now = now or utcnow()
    attempt = attempt if locked else lock(attempt)
    if attempt.state is not AttemptState.IN_PROGRESS:
        return SaveResult("closed", attempt.last_seq, attempt.last_saved_at)
    if now > attempt.deadline_at + timedelta(seconds=attempt.exam.grace_seconds):
        close_attempt(attempt, None, reason="deadline", now=now)  # re-read with its items, under the same lock
        return SaveResult("closed", attempt.last_seq, attempt.last_saved_at)
    flags = clean_flags(attempt, flagged)
    if flags is not None and seq <= attempt.last_seq:
        return SaveResult("stale", attempt.last_seq, attempt.last_saved_at)
    # Only the items this save names are read (a save changes a few of an exam's questions).
    items = named_items(attempt, answers)
    cleaned = [(items[str(key)], clean_response(items[str(key)], value)) for key, value in answers.items()]
    # Each answer keeps the newest save that touched it: an older or repeated number is ignored for
    # that question, while the other questions of the same (late) save still count.
    fresh = [(item, value) for item, value in cleaned if seq > item.response_seq]
    if (cleaned and not fresh) or (not cleaned and seq <= attempt.last_seq):
        return SaveResult("stale", attempt.last_seq, attempt.last_saved_at)
    _write_items([(item, {"response": value, "response_seq": seq, "saved_at": now}) for item, value in fresh])
    if flags is not None:
        attempt.flagged = flags
    attempt.last_seq, attempt.last_saved_at = max(seq, attempt.last_seq), now
    db.session.flush()
    return SaveResult("saved", attempt.last_seq, now)


def _write_items(changes: list[tuple[AttemptItem, dict]]) -> None:
    """Write the same columns of many items (each its own values) in one executemany UPDATE, and
    set the loaded objects to match without marking them changed: the unit of work's bookkeeping
    per object was the larger part of the CPU of an autosave (a few items) and a submit (all)."""
    if not changes:
        return
    table = AttemptItem.__table__
    names = list(changes[0][1])
    statement = (sa.update(table).where(table.c.id == sa.bindparam("item_id"))
                 .values({name: sa.bindparam(f"new_{name}") for name in names}))
    db.session.execute(statement, [{"item_id": item.id, **{f"new_{name}": values[name] for name in names}}
                                   for item, values in changes])
    for item, values in changes:
        for name in names:
            set_committed_value(item, name, values[name])


# ---- closing and grading ---------------------------------------------------------------------


def _total(attempt: Attempt) -> None:
    """Score, percent and pass/fail from the items' points; GRADED once nothing waits for a person."""
    attempt.score = sum((item.earned or Decimal(0) for item in attempt.items), Decimal(0)).quantize(CENT)
    attempt.max_score = sum((item.points for item in attempt.items), Decimal(0))
    attempt.percent = ((attempt.score * 100 / attempt.max_score) if attempt.max_score else Decimal(0)).quantize(CENT)
    attempt.passed = attempt.percent >= Decimal(attempt.exam.pass_mark)


def _finish_if_graded(attempt: Attempt, by, now: datetime, reason: str) -> None:
    if any(item.needs_grading for item in attempt.items):
        return
    _total(attempt)
    attempt.graded_at = now
    WORKFLOW.move(attempt, AttemptState.GRADED, by=by, reason=reason)
    if attempt.exam.release is ResultRelease.IMMEDIATE and attempt.released_at is None:
        attempt.released_at = now


def announce_graded(attempt: Attempt, by) -> None:
    """Send ``attempt_graded`` (certificates receive it) when a graded attempt's result is final or changed;
    a final exam first completes the course by its rule, or takes a completion back (a regrade)."""
    if attempt.state is AttemptState.GRADED:
        if attempt.exam.is_final:
            review_completion(enrollment_of(attempt.exam.course, attempt.worker), by)
        notices.result_changed(attempt, by)
        send(attempt_graded, attempt=attempt, by=by)


def close_attempt(attempt: Attempt, by, *, reason: str = "trainee", now: datetime | None = None,
                  locked: bool = False) -> Attempt:
    """Close an attempt with its saved answers and grade what can be graded; closing twice is a no-op."""
    now = now or utcnow()
    attempt = attempt if locked else lock(attempt, with_items=True)
    if attempt.state is not AttemptState.IN_PROGRESS:
        return attempt
    graded = []
    for item in attempt.items:
        points = grade(item.question.answer_key(), item.response, item.points)
        waits = points is None and item.response not in (None, "")
        if points is None and not waits:
            points = Decimal("0.00")  # an essay left blank earns nothing, and waits for nobody
        graded.append((item, {"earned": points, "needs_grading": waits}))
    _write_items(graded)
    attempt.closed_at, attempt.closed_by = now, reason  # after that UPDATE: the attempt's own is written once
    _total(attempt)
    WORKFLOW.move(attempt, AttemptState.SUBMITTED, by=by, reason=reason)
    _finish_if_graded(attempt, by, now, reason)
    audit.record(by, "attempt.close", attempt, summary=reason, after={"score": attempt.score, "state": attempt.state})
    db.session.flush()
    announce_graded(attempt, by)
    return attempt


def close_if_overdue(attempt: Attempt, now: datetime | None = None) -> bool:
    """Close the attempt when its deadline and grace have passed (the sweep's work, on demand)."""
    now = now or utcnow()
    if attempt.state is AttemptState.IN_PROGRESS and now > attempt.deadline_at + timedelta(seconds=attempt.exam.grace_seconds):
        close_attempt(attempt, None, reason="deadline", now=now)
        return True
    return False


def sweep_overdue(now: datetime | None = None, exam: Exam | None = None) -> int:
    """Close every attempt past its deadline and grace; returns how many were closed."""
    now = now or utcnow()
    query = sa.select(Attempt).where(Attempt.state == AttemptState.IN_PROGRESS, Attempt.deadline_at < now)
    if exam is not None:
        query = query.where(Attempt.exam_id == exam.id)
    return sum(close_if_overdue(attempt, now) for attempt in db.session.scalars(query).all())


def grade_item(item: AttemptItem, by, *, points: Decimal, feedback: str, now: datetime | None = None) -> None:
    """An instructor's mark for an essay of a singly marked exam; released results change only through
    a regrade. A double-marked exam takes two blind marks instead (``marking.mark_item``)."""
    if item.attempt.exam.double_marking:
        raise ExamError(_("This exam is double-marked: mark its essays from the marking queue."))
    set_final_points(item, by, points=points, feedback=feedback, now=now)


def set_final_points(item: AttemptItem, by, *, points: Decimal, feedback: str, now: datetime | None = None) -> None:
    """The final points and feedback of a submitted essay answer, audited, and the attempt graded
    when nothing else waits: a single mark, or double marking's agreed mean or reconciliation."""
    now = now or utcnow()
    attempt = lock(item.attempt)
    if item.question.type is not QuestionType.ESSAY or attempt.state is AttemptState.IN_PROGRESS:
        raise ExamError(_("Only submitted essay answers are graded by hand."))
    if attempt.released_at is not None:
        raise ExamError(_("This result has been released; it is final unless regraded."))
    if not Decimal(0) <= points <= item.points:
        raise ExamError(_("Give 0 to %(n)s points.", n=item.points))
    before = {"earned": item.earned, "feedback": item.feedback}
    item.earned, item.feedback, item.needs_grading = points.quantize(CENT), feedback, False
    item.graded_by_id, item.graded_at = getattr(by, "id", None), now
    audit.record(by, "attempt.grade_item", attempt, before=before, after={"item": item.id, "earned": item.earned})
    if attempt.state is AttemptState.GRADED:
        _total(attempt)
    else:
        _finish_if_graded(attempt, by, now, "graded by hand")
    db.session.flush()
    announce_graded(attempt, by)


