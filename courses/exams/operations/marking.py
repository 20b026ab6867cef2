"""Double marking: two independent, blind marks for every hand-graded answer of an exam that asks
for it (``Exam.double_marking``), then the final points.

- Each essay answer needs a first and a second mark from two DIFFERENT instructors of the course
  (whoever may manage the exam). The second marker is not shown the first mark or its feedback;
  nobody sees the other's mark until both are in.
- Marks at most ``Exam.double_marking_tolerance`` points apart: the final points are their mean,
  rounded half up to the cent (the precision of every points column), and the trainee's feedback
  is the two markers' feedback, one after the other, without their names.
- Marks further apart: the answer waits "to reconcile". Any instructor of the course (one of the
  two markers included: a small branch may have only two) sets the final points and feedback,
  seeing both marks. The same page may change the final points of any double-marked answer
  until the result is released.
- The attempt is graded (and its result releasable) only once every essay has final points:
  ``needs_grading`` stays true until then, so the existing rules of ``attempts`` hold.

Every mark locks the attempt's row first (as every change to an attempt does), then reads the
answer's marks again: two instructors marking at once queue behind each other, so an answer gets
one first and one second mark, never two second marks, and a person's second try (a double
submit, another tab) finds his own mark. Unique constraints on (answer, round) and
(answer, marker) stand behind the lock. Each mark, each reconciliation and each final point are
audited (``attempt.mark``, ``attempt.reconcile``, ``attempt.grade_item``).
"""
from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

import sqlalchemy as sa
from flask_babel import gettext as _

from academy import audit
from academy.database import lock_for_update, utcnow
from academy.extensions import db
from courses.exams import queries
from courses.exams.grading import CENT, QuestionType
from courses.exams.models import AttemptItem, AttemptItemMark, AttemptState, Exam
from courses.exams.operations import attempts
from courses.exams.operations.exams import ExamError


class Stage(enum.StrEnum):
    """Where a hand-graded answer of a double-marked exam stands."""

    FIRST = "first"  # no mark yet
    SECOND = "second"  # one mark; a different instructor gives the second
    RECONCILE = "reconcile"  # two marks too far apart
    FINAL = "final"  # final points set (mean or reconciled), or nothing to mark


class MarkingConflict(ExamError):
    """The mark cannot be taken as it stands: this marker marked already, or both marks are in."""


def stage_of(item: AttemptItem, marks: list[AttemptItemMark]) -> Stage:
    if not item.needs_grading:
        return Stage.FINAL
    return (Stage.FIRST, Stage.SECOND)[len(marks)] if len(marks) < 2 else Stage.RECONCILE


def within_tolerance(exam: Exam, first: Decimal, second: Decimal) -> bool:
    return abs(Decimal(first) - Decimal(second)) <= Decimal(exam.double_marking_tolerance)


def mean_points(first: Decimal, second: Decimal) -> Decimal:
    """The mean of two marks, half up to the cent: 3 and 4 give 3.50; 3.01 and 3.02 give 3.02."""
    return ((Decimal(first) + Decimal(second)) / 2).quantize(CENT, rounding=ROUND_HALF_UP)


def joined_feedback(marks: list[AttemptItemMark]) -> str:
    """What the trainee reads when the marks agree: each marker's feedback, without names."""
    return "\n\n".join(m.feedback.strip() for m in marks if m.feedback.strip())


def _check(item: AttemptItem, attempt, points: Decimal) -> None:
    if not attempt.exam.double_marking:
        raise ExamError(_("This exam is marked once; use the grading page."))
    if item.question.type is not QuestionType.ESSAY or attempt.state is AttemptState.IN_PROGRESS:
        raise ExamError(_("Only submitted essay answers are graded by hand."))
    if attempt.released_at is not None:
        raise ExamError(_("This result has been released; it is final unless regraded."))
    if not points.is_finite() or not Decimal(0) <= points <= item.points:
        raise ExamError(_("Give 0 to %(n)s points.", n=item.points))


def _locked(item: AttemptItem):
    """Lock the attempt, then re-read the answer: what a marker ahead in the queue wrote counts.

    The exam's row is share-locked and re-read too, so its double-marking setting cannot be
    switched (``operations.save_exam`` locks it for update) while a mark is being taken.
    """
    attempt = attempts.lock(item.attempt)
    db.session.refresh(item)
    query = sa.select(Exam).where(Exam.id == attempt.exam_id).execution_options(populate_existing=True)
    db.session.scalars(lock_for_update(query, db.session, read=True)).one()
    return attempt


def mark_item(item: AttemptItem, by, *, points: Decimal, feedback: str, now: datetime | None = None) -> Stage:
    """Record ``by``'s independent mark of an essay answer; returns the answer's stage after it.

    The first mark waits for a second from someone else. The second either settles the final
    points (the mean, when within the tolerance) or sends the answer to reconciliation.
    The same mark sent twice by the same person is taken once (a double submit); a different
    one, or a third mark, is a ``MarkingConflict`` and changes nothing.
    """
    now = now or utcnow()
    attempt = _locked(item)
    _check(item, attempt, points)
    points = points.quantize(CENT, rounding=ROUND_HALF_UP)
    marks = queries.marks_of(item)
    mine = next((m for m in marks if m.marker_id == by.id), None)
    if mine is not None:
        if mine.points == points and mine.feedback == feedback:
            return stage_of(item, marks)
        raise MarkingConflict(_("You have marked this answer already; the other mark must come from "
                                "a different instructor."))
    if len(marks) >= 2:
        raise MarkingConflict(_("This answer has both of its marks already."))
    if not item.needs_grading:
        raise MarkingConflict(_("This answer needs no more marks."))
    mark = AttemptItemMark(item_id=item.id, round=len(marks) + 1, marker_id=by.id, points=points,
                           feedback=feedback, marked_at=now)
    db.session.add(mark)
    db.session.flush()
    audit.record(by, "attempt.mark", attempt, summary=f"round {mark.round}",
                 after={"item": item.id, "round": mark.round, "points": points})
    marks = [*marks, mark]
    if len(marks) == 2 and within_tolerance(attempt.exam, marks[0].points, marks[1].points):
        attempts.set_final_points(item, by, points=mean_points(marks[0].points, marks[1].points),
                            feedback=joined_feedback(marks), now=now)
    db.session.flush()
    return stage_of(item, marks)


def reconcile_item(item: AttemptItem, by, *, points: Decimal, feedback: str, now: datetime | None = None) -> None:
    """Set the final points of a double-marked answer, seeing both marks: the reconciliation of
    marks too far apart, or a change to agreed points before the result is released."""
    attempt = _locked(item)
    _check(item, attempt, points)
    marks = queries.marks_of(item)
    if len(marks) < 2:
        raise ExamError(_("An answer is reconciled once both of its marks are in."))
    points = points.quantize(CENT, rounding=ROUND_HALF_UP)
    audit.record(by, "attempt.reconcile", attempt,
                 before={"item": item.id, "earned": item.earned, "marks": [str(m.points) for m in marks]},
                 after={"item": item.id, "earned": points})
    attempts.set_final_points(item, by, points=points, feedback=feedback, now=now)
    db.session.flush()


# ---- the queue ----------------------------------------------------------------------------------


@dataclass
class MarkingQueue:
    """One instructor's view of a double-marked exam's essays waiting for something."""

    to_mark: list[tuple[AttemptItem, Stage]] = field(default_factory=list)  # first marks, and second marks for me
    waiting: list[AttemptItem] = field(default_factory=list)  # I marked; a second marker is needed
    to_reconcile: list[AttemptItem] = field(default_factory=list)

    @property
    def first(self) -> int:
        return sum(stage is Stage.FIRST for _item, stage in self.to_mark)

    @property
    def second(self) -> int:
        return sum(stage is Stage.SECOND for _item, stage in self.to_mark)


def marking_queue(exam: Exam, user, waiting_items: list[AttemptItem]) -> MarkingQueue:
    """Sort the essays waiting for grading (``queries.grading_queue``, in its order) for ``user``."""
    marks: dict[int, list[AttemptItemMark]] = {}
    if waiting_items:
        for mark in db.session.scalars(sa.select(AttemptItemMark).where(
                AttemptItemMark.item_id.in_([i.id for i in waiting_items])).order_by(AttemptItemMark.round)):
            marks.setdefault(mark.item_id, []).append(mark)
    queue = MarkingQueue()
    for item in waiting_items:
        own = marks.get(item.id, [])
        stage = stage_of(item, own)
        if stage is Stage.RECONCILE:
            queue.to_reconcile.append(item)
        elif any(m.marker_id == user.id for m in own):
            queue.waiting.append(item)
        elif stage in (Stage.FIRST, Stage.SECOND):
            queue.to_mark.append((item, stage))
    return queue
