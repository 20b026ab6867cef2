"""Access rows of the assessment engine: the bank and exam pages for instructors (and admins), the
exam and its attempt for the enrolled trainee who owns it, 404 for everyone else's attempt."""
from __future__ import annotations

from academy.extensions import db
from courses.exams.grading import QuestionType as T
from courses.exams.operations import attempts as attempt_ops
from tests.access import Access, everyone
from tests.fixtures.courses import create_course
from tests.fixtures.exams import create_exam, create_question, create_taker
from tests.fixtures.registry import create_worker


def build(world) -> None:
    course = create_course(instructors=[world.users["instructor"]])
    exam = create_exam(course, rules=((T.SINGLE, 1, "2"), (T.ESSAY, 1, "4")))
    _user, worker = create_taker(course, user=world.users["trainee"])
    attempt = attempt_ops.start_attempt(exam, worker, world.users["trainee"])
    # Someone without a log-in in the table has submitted an essay that waits for a mark.
    from tests.fixtures.exams import create_taker as taker

    other_user, other_worker = taker(course)
    other = attempt_ops.start_attempt(exam, other_worker, other_user)
    essay = next(i for i in other.items if i.question.type is T.ESSAY)
    attempt_ops.save_answers(other, other_user, 1, {essay.id: "答"})
    attempt_ops.close_attempt(other, other_user)
    db.session.flush()
    world["exam"], world["course"], world["attempt"], world["essay"] = exam, course, attempt, essay
    world["question"] = create_question(T.TRUE_FALSE)
    world["exam_worker"] = worker
    world["spare_worker"] = create_worker()
    world["apart"] = _marked_apart(course, world)


def _marked_apart(course, world):
    """An essay of a double-marked exam whose two marks are too far apart: it waits to be reconciled."""
    from decimal import Decimal

    from courses.exams.operations import marking

    exam = create_exam(course, rules=((T.ESSAY, 1, "6"),), double_marking=True, double_marking_tolerance=Decimal("1"))
    sitter, worker = create_taker(course)
    attempt = attempt_ops.start_attempt(exam, worker, sitter)
    essay = attempt.items[0]
    attempt_ops.save_answers(attempt, sitter, 1, {essay.id: "答"})
    attempt_ops.close_attempt(attempt, sitter)
    marking.mark_item(essay, world.users["instructor"], points=Decimal("0"), feedback="")
    marking.mark_item(essay, world.users["admin"], points=Decimal("6"), feedback="")
    return essay


TEACH = {"admin": 200, "instructor": 200}
TEACH_POST = {"admin": 302, "instructor": 302}
TEACH_SEE_OTHER = {"admin": 303, "instructor": 303}
OWNER_ONLY = everyone(404, trainee=200)


def _rule(w):
    return {"type": "single", "unit_id": "0", "difficulty": "", "count": "1", "points": "2"}


ACCESS = [
    Access("exams.bank", "/exams/bank", TEACH),
    Access("exams.question_new", "/exams/bank/new", TEACH),
    Access("exams.question", lambda w: f"/exams/bank/{w['question'].id}", TEACH),
    Access("exams.question_edit", lambda w: f"/exams/bank/{w['question'].id}/edit", TEACH),
    Access("exams.question_status", lambda w: f"/exams/bank/{w['question'].id}/status", TEACH_POST, method="POST",
           data={"status": "retired"}),
    Access("exams.bank_import", "/exams/bank/import", TEACH),
    Access("exams.bank_export", "/exams/bank/export?format=gift", TEACH),
    Access("exams.exam_list", "/exams", everyone(200)),
    Access("exams.exam_new", lambda w: f"/courses/{w['course'].id}/exams/new", TEACH),
    Access("exams.exam_edit", lambda w: f"/exams/{w['exam'].id}/edit", TEACH),
    Access("exams.exam", lambda w: f"/exams/{w['exam'].id}", everyone(404, admin=200, instructor=200, trainee=200)),
    Access("exams.rule_add", lambda w: f"/exams/{w['exam'].id}/rules", TEACH_SEE_OTHER, method="POST", data=_rule),
    Access("exams.rule_remove", lambda w: f"/exams/{w['exam'].id}/rules/{w['exam'].rules[0].id}/delete",
           TEACH_SEE_OTHER, method="POST"),
    Access("exams.exam_publish", lambda w: f"/exams/{w['exam'].id}/publish", TEACH_SEE_OTHER, method="POST"),
    Access("exams.accommodation_save", lambda w: f"/exams/{w['exam'].id}/accommodations", TEACH_POST, method="POST",
           data=lambda w: {"worker_number": w["spare_worker"].number, "extra_minutes": "10", "extra_attempts": "1",
                           "reason": "视力障碍"}),
    Access("exams.exam_release", lambda w: f"/exams/{w['exam'].id}/release", TEACH_POST, method="POST"),
    Access("exams.results", lambda w: f"/exams/{w['exam'].id}/results", TEACH),
    Access("exams.results_xlsx", lambda w: f"/exams/{w['exam'].id}/results.xlsx", TEACH),
    Access("exams.gradebook", lambda w: f"/courses/{w['course'].id}/gradebook", TEACH),
    Access("exams.gradebook_xlsx", lambda w: f"/courses/{w['course'].id}/gradebook.xlsx", TEACH),
    Access("exams.statistics", lambda w: f"/exams/{w['exam'].id}/statistics", TEACH),
    Access("exams.grading_queue", lambda w: f"/exams/{w['exam'].id}/grading", TEACH),
    Access("exams.grade_item", lambda w: f"/grading/items/{w['essay'].id}", TEACH),
    Access("exams.regrade_exam", lambda w: f"/exams/{w['exam'].id}/regrade", TEACH),
    # Double marking: both marks of this essay are in, so its reconciliation page opens.
    Access("exams.reconcile_item", lambda w: f"/grading/items/{w['apart'].id}/reconcile", TEACH),
    # Starting: the trainee resumes his open attempt; nobody without a worker record may start; a
    # worker not on the course is sent back to the exam page with the reason (which answers him 404).
    Access("exams.start", lambda w: f"/exams/{w['exam'].id}/start", everyone(404, trainee=302, trainee_other=303),
           method="POST"),
    Access("exams.attempt", lambda w: f"/attempts/{w['attempt'].id}", OWNER_ONLY),
    Access("exams.attempt_state", lambda w: f"/attempts/{w['attempt'].id}/state.json", OWNER_ONLY),
    # A form post is not the JSON the endpoint takes: 400 for the owner, 404 for anyone else.
    Access("exams.save", lambda w: f"/attempts/{w['attempt'].id}/save", everyone(404, trainee=400), method="POST"),
    Access("exams.submit", lambda w: f"/attempts/{w['attempt'].id}/submit", everyone(404, trainee=302), method="POST"),
]
