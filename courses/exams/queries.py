"""Reads of the assessment engine: exams of a course, queues, results, gradebooks, statistics,
and what certificates ask: "has this worker passed the final exam of that course, with what score?"
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from academy.exports import Table, xlsx_bytes
from academy.extensions import db
from courses.enrollment.models import Course, CourseKind, Enrollment
from courses.exams.grading import QuestionType
from courses.exams.itemstats import ItemResponse, ItemStatistics, item_statistics
from courses.exams.models import (
    Attempt,
    AttemptItem,
    AttemptState,
    Exam,
    ExamRule,
    ExamStatus,
    Question,
    QuestionStatus,
)


def exams_of_course(course: Course, include_drafts: bool = False) -> list[Exam]:
    query = sa.select(Exam).where(Exam.course_id == course.id).order_by(Exam.opens_at, Exam.id)
    if not include_drafts:
        query = query.where(Exam.status == ExamStatus.PUBLISHED)
    return db.session.scalars(query).all()


def attempts_of(exam: Exam, worker_id: int) -> list[Attempt]:
    return db.session.scalars(sa.select(Attempt).where(Attempt.exam_id == exam.id, Attempt.worker_id == worker_id)
                              .order_by(Attempt.number)).all()


def rule_pools(rules: list[ExamRule]) -> list[list]:
    """Each draw rule's ``operations.rule_pool``, read in one query: the latest active questions of
    the rules' types, ordered by id, then sorted out per rule by unit and difficulty. A draw needs
    only id, family, type and options, so those are read as plain rows, not whole questions."""
    from courses.exams.operations import rule_pool

    types = {rule.type for rule in rules if not rule.question_family_id}
    candidates = db.session.execute(
        sa.select(Question.id, Question.family_id, Question.type, Question.options, Question.unit_id,
                  Question.difficulty)
        .where(Question.latest.is_(True), Question.status == QuestionStatus.ACTIVE, Question.type.in_(types))
        .order_by(Question.id)).all() if types else []
    return [rule_pool(rule) if rule.question_family_id else
            [q for q in candidates if q.type == rule.type and (not rule.unit_id or q.unit_id == rule.unit_id)
             and (not rule.difficulty or q.difficulty == rule.difficulty)] for rule in rules]


def attempt_items(attempt: Attempt) -> list[AttemptItem]:
    """The attempt's items in order, each with the question version it shows, in one query."""
    return db.session.scalars(sa.select(AttemptItem).where(AttemptItem.attempt_id == attempt.id)
                              .options(joinedload(AttemptItem.question, innerjoin=True))
                              .order_by(AttemptItem.position)).all()


def grading_queue(exam: Exam, family_id: int | None = None) -> list[AttemptItem]:
    """Essay answers waiting for a mark, grouped by question (or of one question), oldest attempt first."""
    query = (sa.select(AttemptItem).join(AttemptItem.attempt).join(AttemptItem.question)
             .where(Attempt.exam_id == exam.id, AttemptItem.needs_grading.is_(True),
                    Attempt.state == AttemptState.SUBMITTED)
             .order_by(Question.family_id, Attempt.closed_at, AttemptItem.id))
    if family_id:
        query = query.where(Question.family_id == family_id)
    return db.session.scalars(query).all()


def exam_results(exam: Exam) -> list[Attempt]:
    return db.session.scalars(sa.select(Attempt).where(Attempt.exam_id == exam.id)
                              .order_by(Attempt.worker_id, Attempt.number)).all()


@dataclass
class UnitScore:
    label: str
    earned: Decimal
    possible: Decimal

    @property
    def percent(self) -> int:
        return round(100 * self.earned / self.possible) if self.possible else 0


def unit_breakdown(attempt: Attempt) -> list[UnitScore]:
    """Points earned and possible per syllabus unit of the attempt's questions."""
    rows: dict[str, UnitScore] = {}
    for item in attempt.items:
        unit = item.question.unit
        label = f"{unit.code} {unit.title}" if unit else "-"
        row = rows.setdefault(label, UnitScore(label, Decimal(0), Decimal(0)))
        row.earned += item.earned or Decimal(0)
        row.possible += item.points
    return sorted(rows.values(), key=lambda r: r.label)


# ---- for certificates ------------------------------------------------------------------------


def passed_final_attempts(worker_id: int, *, course_id: int | None = None, min_percent: Decimal | None = None,
                          pre_service_only: bool = True) -> list[Attempt]:
    """Graded, passed attempts at final exams (of pre-service courses unless told otherwise), best first.

    ``min_percent`` raises the bar above the exam's own pass mark. A regrade that drops an attempt
    below the mark makes it disappear from here at once (``passed`` is recomputed).
    """
    query = (sa.select(Attempt).join(Attempt.exam).join(Exam.course)
             .where(Attempt.worker_id == worker_id, Attempt.state == AttemptState.GRADED, Attempt.passed.is_(True),
                    Exam.is_final.is_(True)).order_by(Attempt.percent.desc(), Attempt.graded_at))
    if course_id is not None:
        query = query.where(Exam.course_id == course_id)
    if pre_service_only:
        query = query.where(Course.kind == CourseKind.PRE_SERVICE)
    if min_percent is not None:
        query = query.where(Attempt.percent >= min_percent)
    return db.session.scalars(query).all()


def attempt_evidence(attempt: Attempt) -> dict:
    """The facts a certificate records about the attempt it was issued on."""
    return {"attempt_id": attempt.id, "exam_id": attempt.exam_id, "exam": attempt.exam.title,
            "course_id": attempt.exam.course_id, "course": attempt.exam.course.code, "score": str(attempt.score),
            "max_score": str(attempt.max_score), "percent": str(attempt.percent), "passed": attempt.passed,
            "graded_at": attempt.graded_at.isoformat() if attempt.graded_at else None}


# ---- statistics and exports ------------------------------------------------------------------


def exam_item_statistics(exam: Exam) -> list[tuple[Question, ItemStatistics]]:
    """Item statistics per question family, over the exam's graded attempts."""
    attempts = db.session.scalars(sa.select(Attempt).where(Attempt.exam_id == exam.id,
                                                           Attempt.state == AttemptState.GRADED)).all()
    totals = {a.id: float(a.score or 0) for a in attempts}
    by_family: dict[int, list[ItemResponse]] = defaultdict(list)
    questions: dict[int, Question] = {}
    for attempt in attempts:
        for item in attempt.items:
            family = item.question.family_id
            questions[family] = item.question if family not in questions else questions[family]
            chosen = tuple(item.response) if isinstance(item.response, list) and item.question.type in (
                QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE) else ()
            by_family[family].append(ItemResponse(attempt.id, float(item.earned or 0), float(item.points), chosen))
    return [(questions[f], item_statistics(f, by_family[f], totals)) for f in sorted(by_family)]


def results_xlsx(exam: Exam, title: str, header: list[str]) -> bytes:
    """An exam's attempts as a workbook, one row per attempt."""
    rows = [[a.worker.number, a.worker.name, a.number, a.state.value, float(a.score) if a.score is not None else None,
             float(a.max_score), float(a.percent) if a.percent is not None else None,
             "" if a.passed is None else ("✔" if a.passed else "✘"),
             a.closed_at.isoformat() if a.closed_at else ""] for a in exam_results(exam)]
    return xlsx_bytes([Table(title, header, rows)])


def gradebook(course: Course) -> tuple[list[Exam], list[tuple]]:
    """Per enrolled worker: the best graded percent at each exam of the course."""
    exams = exams_of_course(course)
    enrollments = db.session.scalars(sa.select(Enrollment).where(Enrollment.course_id == course.id)
                                     .order_by(Enrollment.id)).all()
    best: dict[tuple[int, int], Attempt] = {}
    for attempt in db.session.scalars(sa.select(Attempt).where(Attempt.exam_id.in_([e.id for e in exams]),
                                                               Attempt.state == AttemptState.GRADED)):
        key = (attempt.worker_id, attempt.exam_id)
        if key not in best or attempt.percent > best[key].percent:
            best[key] = attempt
    rows = [(e.worker, [best.get((e.worker_id, exam.id)) for exam in exams]) for e in enrollments]
    return exams, rows


def gradebook_xlsx(course: Course, title: str, header: list[str]) -> bytes:
    """The gradebook as a workbook: the best percent per exam, then passed or not per exam."""
    exams, rows = gradebook(course)
    data = [[worker.number, worker.name, *[float(a.percent) if a else None for a in attempts],
             *[("✔" if a.passed else "✘") if a else "" for a in attempts]] for worker, attempts in rows]
    return xlsx_bytes([Table(title, header + [e.title for e in exams] + [f"{e.title} ✔" for e in exams], data)])
