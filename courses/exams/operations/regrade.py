"""Regrading after an answer key changed: a dry run lists whose score would change, then it applies.

Each attempt keeps the version of a question it showed (its options and their order); a regrade
grades the saved response again with the answer key of the question's LATEST version, which is
what an instructor fixes when a key was wrong. Only objective items are regraded: essays keep
their marks (a single mark, or under double marking the final points and both marks as they are).
Attempts still waiting for an essay's mark (or second mark, or reconciliation) are regraded too,
so a key fixed while marking goes on is not missed: their objective points change and they stay
submitted until the marking is done. Every changed attempt is audited with its old and new score.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

import sqlalchemy as sa

from academy import audit
from academy.database import utcnow
from academy.extensions import db
from courses.exams.grading import CENT, grade
from courses.exams.models import Attempt, AttemptState, Exam, Question
from courses.exams.operations.attempts import WORKFLOW, _total, announce_graded, lock


@dataclass
class RegradeChange:
    attempt: Attempt
    old_score: Decimal
    new_score: Decimal
    old_passed: bool | None
    new_passed: bool
    items: dict[int, Decimal] = field(default_factory=dict)  # item id -> new points


def _latest_keys(attempts: list[Attempt]) -> dict[int, Question]:
    families = {item.question.family_id for attempt in attempts for item in attempt.items}
    if not families:
        return {}
    latest = db.session.scalars(sa.select(Question).where(Question.family_id.in_(families), Question.latest.is_(True)))
    return {q.family_id: q for q in latest}


def plan_regrade(exam: Exam) -> list[RegradeChange]:
    """The attempts whose score would change if regraded now (nothing is written)."""
    attempts = db.session.scalars(sa.select(Attempt).where(
        Attempt.exam_id == exam.id, Attempt.state.in_((AttemptState.GRADED, AttemptState.SUBMITTED))).order_by(Attempt.id)).all()
    keys = _latest_keys(attempts)
    changes = []
    for attempt in attempts:
        new_items, total = {}, Decimal(0)
        for item in attempt.items:
            key = keys.get(item.question.family_id, item.question).answer_key()
            earned = grade(key, item.response, item.points)
            earned = item.earned if earned is None else earned
            if earned != item.earned:
                new_items[item.id] = earned
            total += earned or Decimal(0)
        total = total.quantize(CENT)
        if new_items:
            percent = (total * 100 / attempt.max_score) if attempt.max_score else Decimal(0)
            changes.append(RegradeChange(attempt, attempt.score, total, attempt.passed,
                                         percent.quantize(CENT) >= Decimal(exam.pass_mark), new_items))
    return changes


def apply_regrade(exam: Exam, by, reason: str) -> list[RegradeChange]:
    """Regrade every graded attempt of ``exam`` against the latest answer keys; audited."""
    changes = plan_regrade(exam)
    now = utcnow()
    for change in changes:
        attempt = lock(change.attempt, with_items=True)  # the essays as marked now, not as planned
        for item in attempt.items:
            if item.id in change.items:
                item.earned = change.items[item.id]
        _total(attempt)
        if attempt.state is AttemptState.GRADED:  # one still waiting for a mark stays submitted
            attempt.graded_at = now
            WORKFLOW.move(attempt, AttemptState.GRADED, by=by, reason=reason or "regrade")
        audit.record(by, "attempt.regrade", attempt, summary=reason[:200],
                     before={"score": change.old_score, "passed": change.old_passed},
                     after={"score": attempt.score, "passed": attempt.passed})
        db.session.flush()
        announce_graded(attempt, by)
    audit.record(by, "exam.regrade", exam, summary=reason[:200], after={"changed": len(changes)})
    db.session.flush()
    return changes
