"""Exams' part of the benchmark city (the ``bench_data`` slot, order 45).

The question bank is the demo's (made and activated through ``bank``, kept when active questions
exist), and each course gets a final exam on the demo's blueprint through ``operations``.
Attempts are written in bulk the way ``attempts`` makes them: drawn per blueprint with
``_draw`` (no family twice), options ordered with ``option_order``, answers saved with rising
sequence numbers, graded by ``grading.grade`` (essays by the course's instructor), totals,
percent and pass as ``_total`` makes them, with the transitions of the attempt workflow. A
finished enrolment's last attempt matches its result (completed: passed; failed: two attempts,
both failed); some trainees still studying have an attempt waiting for its essay to be graded.
"""
from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

import sqlalchemy as sa

from academy.extensions import db
from citydata.bench.enrollment import trainee_enrollments
from citydata.bench.page import BenchPage
from citydata.demo.exams import FINAL_BLUEPRINT, QUESTIONS
from courses.enrollment.models import Course
from courses.exams import operations
from courses.exams.grading import CENT, PartialCredit, QuestionType, grade
from courses.exams.models import Attempt, AttemptItem, AttemptTransition, Exam, Question, QuestionStatus, ResultRelease
from courses.exams.operations import bank
from courses.exams.operations.attempts import _draw, option_order
from courses.exams.queries import rule_pool


def make_bank(city) -> None:
    """The demo's questions, active (kept as they are when the bank has active questions)."""
    if db.session.scalar(sa.select(sa.func.count(Question.id)).where(Question.status == QuestionStatus.ACTIVE)):
        return
    units = {u.code: u.id for u in db.session.get(Course, next(iter(city.state["course_kinds"]))).syllabus_version.units}
    for code, kind, difficulty, stem, options, correct, explanation in QUESTIONS:
        question = bank.create_question(
            None, type=kind, stem=stem, options=options, correct=correct, explanation=explanation, difficulty=difficulty,
            unit_id=units.get(code), tags=["基准"], rubric="要点齐全、条理清楚得满分。" if kind is QuestionType.ESSAY else "",
            partial_credit=PartialCredit.NO_WRONG if kind is QuestionType.MULTIPLE else PartialCredit.ALL_OR_NOTHING)
        bank.set_question_status(question, None, QuestionStatus.ACTIVE)
        city.count("questions")


def make_exams(city) -> dict:
    """Course id -> (exam, the rules' pools, the instructor's user id)."""
    made, opens = {}, (city.end - timedelta(days=90)).replace(second=0)
    for course_id in city.state["course_kinds"]:
        course = db.session.get(Course, course_id)
        exam = operations.save_exam(
            None, None, course, title=f"{course.title}结业考试", is_final=True, opens_at=opens,
            closes_at=opens + timedelta(days=120), time_limit_minutes=45, attempts_allowed=2, pass_mark=Decimal("60"),
            grace_seconds=60, start_window_minutes=None, shuffle_questions=True, shuffle_options=True, show_score=True,
            show_answers=False, release=ResultRelease.IMMEDIATE)
        for kind, count, points in FINAL_BLUEPRINT:
            operations.add_rule(exam, None, type=kind, count=count, points=points)
        operations.publish_exam(exam, None)
        made[course_id] = (exam, [rule_pool(rule) for rule in exam.rules], course.instructors[0].id)
        city.count("exams")
    return made


def _response(question: Question, right: bool, rng: random.Random):
    """A right answer, or a plausible wrong one, in the shape ``clean_response`` keeps."""
    letters = [chr(65 + i) for i in range(len(question.options))]
    if question.type is QuestionType.ESSAY:
        return "先稳定情绪，分别倾听，现场查看，依法说理，提出方案，跟踪回访。" * (2 if right else 1)
    if question.type is QuestionType.FILL_BLANK:
        return [blank[0] if right else "不清楚" for blank in question.correct]
    if question.type is QuestionType.TRUE_FALSE:
        return list(question.correct) if right else ["F" if question.correct == ["T"] else "T"]
    if right:
        return sorted(question.correct)
    wrong = [letter for letter in letters if letter not in question.correct] or letters
    return sorted({rng.choice(wrong)} | ({question.correct[0]} if question.type is QuestionType.MULTIPLE else set()))


def _items(exam, drawn, ability: float, rng: random.Random) -> list[dict]:
    items = []
    for position, (question, points) in enumerate(drawn):
        response = _response(question, rng.random() < ability, rng)
        earned = grade(question.answer_key(), response, points)
        items.append({"position": position, "question_id": question.id, "points": points, "response": response,
                      "option_order": option_order(exam, question, rng), "response_seq": rng.randint(1, 4),
                      "earned": earned, "needs_grading": earned is None, "feedback": ""})
    return items


def _score(items: list[dict], pass_mark: Decimal) -> tuple[Decimal, Decimal, Decimal, bool]:
    """Score, maximum, percent and pass of the items, as ``attempts._total`` counts them."""
    score = sum((item["earned"] or Decimal(0) for item in items), Decimal(0)).quantize(CENT)
    maximum = sum((item["points"] for item in items), Decimal(0))
    percent = ((score * 100 / maximum) if maximum else Decimal(0)).quantize(CENT)
    return score, maximum, percent, percent >= pass_mark


def _graded_items(exam, drawn, instructor_id: int, wanted: bool | None, graded_at, rng) -> list[dict]:
    """Items whose essays the instructor marked (when ``graded_at``), passing or failing as wanted."""
    for _try in range(20):
        ability = {True: 0.9, False: 0.3, None: rng.uniform(0.5, 0.9)}[wanted]
        items = _items(exam, drawn, ability, rng)
        for item in items:
            if item["needs_grading"] and graded_at is not None:
                share = Decimal(str(round(rng.uniform(0.4, 1.0) if ability > 0.5 else rng.uniform(0, 0.5), 2)))
                item.update(earned=(item["points"] * share).quantize(CENT), needs_grading=False,
                            graded_by_id=instructor_id, graded_at=graded_at, feedback="要点基本齐全。")
        if wanted is None or _score(items, exam.pass_mark)[3] == wanted:
            return items
    return items


def write_attempt(city, made: tuple, enrollment: tuple, number: int, started, graded_at, wanted: bool | None) -> None:
    """One closed attempt (graded when ``graded_at``, else waiting for its essay), with its workflow."""
    exam, pools, instructor_id = made
    rng, user_id = city.rng, enrollment[3]
    drawn = _draw(exam, rng, pools)
    closed = started + timedelta(minutes=rng.uniform(15, 44))
    items = _graded_items(exam, drawn, instructor_id, wanted, graded_at, rng)
    score, maximum, percent, passed = _score(items, exam.pass_mark)
    attempt_id = city.writer.ids(Attempt.__table__, 1).start
    city.writer.add(Attempt.__table__, {
        "id": attempt_id, "exam_id": exam.id, "worker_id": enrollment[2], "user_id": user_id, "number": number,
        "state": "graded" if graded_at else "submitted", "started_at": started,
        "deadline_at": min(started + timedelta(minutes=exam.time_limit_minutes), exam.closes_at), "closed_at": closed,
        "closed_by": "trainee", "last_seq": max(item["response_seq"] for item in items),
        "last_saved_at": closed - timedelta(minutes=1), "score": score, "max_score": maximum, "percent": percent,
        "passed": passed, "graded_at": graded_at, "released_at": graded_at})
    for item in items:
        city.writer.add(AttemptItem.__table__, {**item, "attempt_id": attempt_id, "saved_at": closed - timedelta(minutes=1)})
    steps = [(None, "in_progress", started, user_id, ""), ("in_progress", "submitted", closed, user_id, "trainee")]
    if graded_at:
        steps.append(("submitted", "graded", graded_at, instructor_id, "graded by hand"))
    for before, after, at, by, reason in steps:
        city.writer.add(AttemptTransition.__table__, {"attempt_id": attempt_id, "from_state": before, "to_state": after,
                                                      "at": at, "by_id": by, "reason": reason})
    city.count("exam attempts")
    city.count("attempt items", len(items))


def _between(start, end, low: float, high: float, rng: random.Random):
    return start + (end - start) * rng.uniform(low, high)


def sit_exams(city, made: tuple, enrollment: tuple) -> None:
    """The attempts that match an enrolment's state (see the module's docstring)."""
    rng, (_id, _course, _worker, _user, outcome, enrolled, finished) = city.rng, enrollment
    if outcome == "enrolled":
        if rng.random() < 0.15:
            started = max(city.end - timedelta(hours=rng.uniform(2, 72)), enrolled + timedelta(hours=1))
            if started + timedelta(hours=1) < city.end:
                write_attempt(city, made, enrollment, 1, started, None, None)
        return
    last = _between(enrolled, finished, 0.6, 0.8, rng)
    if outcome == "failed" or rng.random() < 0.2:
        first = _between(enrolled, last, 0.3, 0.6, rng)
        write_attempt(city, made, enrollment, 1, first, _between(first + timedelta(hours=1), last, 0.1, 0.9, rng), False)
        number = 2
    else:
        number = 1
    write_attempt(city, made, enrollment, number, last, _between(last + timedelta(hours=1), finished, 0.1, 0.9, rng),
                  outcome == "completed")


def run(city) -> None:
    """Bank, a final exam per course, and every trainee's attempts."""
    make_bank(city)
    made = make_exams(city)
    for n, enrollment in enumerate(city.state["enrollments"]):
        sit_exams(city, made[enrollment[1]], enrollment)
        city.writer.maybe_flush()
        city.progress("enrolments' exam attempts", n + 1, len(city.state["enrollments"]))


def pages(city_code: str, samples: int) -> list:
    """The final exam's page of each sample trainee's course (the ``bench_pages`` slot)."""
    result = []
    for name, enrollment in trainee_enrollments(city_code, samples):
        exam = db.session.scalar(sa.select(Exam.id).where(Exam.course_id == enrollment.course_id).order_by(Exam.id).limit(1))
        result.append(BenchPage("exam page", name, f"/exams/{exam}"))
    return result
