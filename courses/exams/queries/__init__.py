"""Reads of the assessment engine: exams of a course, queues, results, gradebooks, statistics,
and what certificates ask: "has this worker passed the final exam of that course, with what score?"
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import sqlalchemy as sa
from sqlalchemy.orm import joinedload, selectinload

from academy.database import lock_for_update
from academy.exports import Table, xlsx_bytes
from academy.extensions import db
from academy.registry.models import Worker
from courses.enrollment.models import Course, CourseKind, Enrollment, EnrollmentState
from courses.exams.grading import QuestionType
from courses.exams.itemstats import ItemResponse, ItemStatistics, item_statistics
from courses.exams.models import (
    Accommodation,
    Attempt,
    AttemptItem,
    AttemptItemMark,
    AttemptState,
    Exam,
    ExamRule,
    ExamStatus,
    Question,
    QuestionStatus,
    StemImage,
)
from courses.exams.queries.bank import BANK_ORDERS, bank_questions  # noqa: F401
from courses.exams.queries.workbench import CLOSING_DAYS, essays_to_mark, exams_closing  # noqa: F401
from courses.syllabus.models import SyllabusUnit
from courses.syllabus.queries import current_version

# A stem image's key: 32 hex digits, random (``operations.images``).
IMAGE_KEY = re.compile(r"[0-9a-f]{32}")


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
    only id, family, type and options (and a matching question's pairs), so those are read as plain rows."""
    types = {rule.type for rule in rules if not rule.question_family_id}
    candidates = db.session.execute(
        sa.select(Question.id, Question.family_id, Question.type, Question.options, Question.correct, Question.shuffle_answers,
                  Question.unit_id, Question.difficulty)
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


# ---- the bank -----------------------------------------------------------------------------------


def question_versions(question: Question) -> list[Question]:
    """Every version of the question's family, newest first."""
    return db.session.scalars(sa.select(Question).where(Question.family_id == question.family_id)
                              .order_by(Question.version.desc())).all()


def latest_active_question(family_id: int) -> Question | None:
    return db.session.scalar(sa.select(Question).where(
        Question.family_id == family_id, Question.latest.is_(True), Question.status == QuestionStatus.ACTIVE))


def rule_pool(rule: ExamRule) -> list[Question]:
    """The questions a draw rule may pick: latest versions, active, of its type, unit and difficulty."""
    if rule.question_family_id:
        question = latest_active_question(rule.question_family_id)
        return [question] if question else []
    query = sa.select(Question).where(Question.latest.is_(True), Question.status == QuestionStatus.ACTIVE,
                                      Question.type == rule.type)
    if rule.unit_id:
        query = query.where(Question.unit_id == rule.unit_id)
    if rule.difficulty:
        query = query.where(Question.difficulty == rule.difficulty)
    return db.session.scalars(query.order_by(Question.id)).all()


def units_by_code() -> dict[str, SyllabusUnit]:
    """The units of the current syllabus version by code and by title (an imported file's 知识点 or Moodle
    category names either); a code wins over another unit's title of the same text."""
    version = current_version()
    units = version.units if version else []
    return {unit.title.strip(): unit for unit in units} | {unit.code: unit for unit in units}


def unit_choices() -> list[tuple[int, str]]:
    """(id, "code title") of the current syllabus's units below the top level, after a "-" for none."""
    version = current_version()
    units = [u for u in version.units if u.parent_id is not None] if version else []
    return [(0, "-")] + [(u.id, f"{u.code} {u.title}") for u in units]


def recent_images(limit: int = 30) -> list[StemImage]:
    return db.session.scalars(sa.select(StemImage).order_by(StemImage.id.desc()).limit(limit)).all()


def image_by_key(key: str) -> StemImage | None:
    if not IMAGE_KEY.fullmatch(key or ""):
        return None
    return db.session.scalar(sa.select(StemImage).where(StemImage.key == key))


# ---- exams and attempts of a person -------------------------------------------------------------


def published_exams_for(worker: Worker) -> list[Exam]:
    """The published exams of the courses the worker is enrolled in or completed, by opening time."""
    course_ids = db.session.scalars(sa.select(Enrollment.course_id).where(
        Enrollment.worker_id == worker.id,
        Enrollment.state.in_((EnrollmentState.ENROLLED, EnrollmentState.COMPLETED)))).all()
    return db.session.scalars(sa.select(Exam).where(Exam.course_id.in_(course_ids), Exam.status == ExamStatus.PUBLISHED)
                              .order_by(Exam.opens_at)).all()


def recent_exams(limit: int = 300) -> list[Exam]:
    return db.session.scalars(sa.select(Exam).order_by(Exam.opens_at.desc()).limit(limit)).all()


def has_enrollment(exam: Exam, worker: Worker) -> bool:
    """Does the worker have an enrollment (in any state) in the exam's course?"""
    return db.session.scalar(sa.select(Enrollment.id).where(
        Enrollment.course_id == exam.course_id, Enrollment.worker_id == worker.id)) is not None


def worker_by_number(number: str) -> Worker | None:
    return db.session.scalar(sa.select(Worker).where(Worker.number == number))


def accommodation(exam: Exam, worker_id: int) -> Accommodation | None:
    return db.session.scalar(sa.select(Accommodation).where(Accommodation.exam_id == exam.id,
                                                            Accommodation.worker_id == worker_id))


def accommodations_of(exam: Exam) -> list[Accommodation]:
    return db.session.scalars(sa.select(Accommodation).where(Accommodation.exam_id == exam.id)).all()


def attempts_left(exam: Exam, worker_id: int, used: int | None = None) -> int:
    """Attempts the person may still start; ``used``: how many they have made, when the caller has read them."""
    grant = accommodation(exam, worker_id)
    if used is None:
        used = db.session.scalar(sa.select(sa.func.count(Attempt.id)).where(Attempt.exam_id == exam.id,
                                                                            Attempt.worker_id == worker_id))
    return exam.attempts_allowed + (grant.extra_attempts if grant else 0) - used


def open_attempt(exam: Exam, worker_id: int) -> Attempt | None:
    return db.session.scalar(sa.select(Attempt).where(Attempt.exam_id == exam.id, Attempt.worker_id == worker_id,
                                                      Attempt.state == AttemptState.IN_PROGRESS))


def items_to_grade():
    """Loader option: an attempt's items and, of their questions, what grading reads (type and key),
    in one more query (options only for a matching question's matches); the stems, the wide part, are not needed to close an attempt."""
    return selectinload(Attempt.items).joinedload(AttemptItem.question).load_only(
        Question.type, Question.correct, Question.partial_credit, Question.case_sensitive, Question.width_sensitive,
        Question.weights, Question.units, Question.options)


def attempt_by_id(attempt_id: int, *, for_update: bool = False, with_items: bool = False) -> Attempt | None:
    """The attempt with its exam. ``for_update``: its row locked until the commit (a save, a submit);
    ``with_items``: its items as grading reads them, in one more query (``items_to_grade``)."""
    query = sa.select(Attempt).where(Attempt.id == attempt_id).options(joinedload(Attempt.exam, innerjoin=True))
    if with_items:
        query = query.options(items_to_grade())
    if for_update:
        query = lock_for_update(query, db.session, of=Attempt).execution_options(populate_existing=True)
    return db.session.scalar(query)


def marks_of(item: AttemptItem) -> list[AttemptItemMark]:
    """The answer's marks, first then second, read from the database (not the session's cache)."""
    return db.session.scalars(sa.select(AttemptItemMark).where(AttemptItemMark.item_id == item.id)
                              .order_by(AttemptItemMark.round).execution_options(populate_existing=True)).all()


def picker_exams(*, search: str = "", exam_id: int | None = None, limit: int = 20) -> list[Exam]:
    """Exams for the exam picker, by their title or their course's code or title, or the one named."""
    query = sa.select(Exam).join(Course, Exam.course_id == Course.id).order_by(Exam.opens_at.desc()).limit(limit)
    if search:
        query = query.where(sa.or_(Exam.title.contains(search, autoescape=True),
                                   Course.title.contains(search, autoescape=True),
                                   Course.code.contains(search, autoescape=True)))
    if exam_id:
        query = query.where(Exam.id == exam_id)
    return list(db.session.scalars(query))
