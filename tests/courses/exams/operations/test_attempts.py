"""The attempt lifecycle on the server's clock: start, draws, ordered saves, close, grading, release."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa

from academy.database import utcnow
from academy.extensions import db
from courses.exams import access, operations
from courses.exams.grading import QuestionType as T
from courses.exams.models import Attempt, AttemptState, AttemptTransition, ResultRelease
from courses.exams.operations import attempts as ops


@pytest.fixture(autouse=True)
def english(app):
    """Messages in English, whatever the default language."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@pytest.fixture
def exam_and_taker(make_exam, make_taker):
    exam = make_exam(rules=((T.SINGLE, 2, "2"), (T.MULTIPLE, 1, "3"), (T.ESSAY, 1, "5")))
    user, worker = make_taker(exam.course)
    return exam, user, worker


def _right(item):
    question = item.question
    return [list(b)[0] for b in question.correct] if question.type is T.FILL_BLANK else list(question.correct)


def test_start_sets_deadline_from_the_limit_and_extra_time_never_past_close(make_exam, make_taker):
    exam = make_exam(time_limit_minutes=30)
    user, worker = make_taker(exam.course)
    operations.set_accommodation(exam, worker, None, extra_minutes=15, extra_attempts=0, reason="reading aid")
    now = utcnow()
    attempt = ops.start_attempt(exam, worker, user, now=now)
    assert attempt.deadline_at == now + timedelta(minutes=45)
    assert attempt.max_score == Decimal("4")
    late = make_exam(time_limit_minutes=60, closes_at=now + timedelta(minutes=10))
    user2, worker2 = make_taker(late.course)
    assert ops.start_attempt(late, worker2, user2, now=now).deadline_at == late.closes_at


def test_start_twice_resumes_and_attempt_limit_counts_extra_attempts(exam_and_taker):
    exam, user, worker = exam_and_taker
    first = ops.start_attempt(exam, worker, user)
    assert ops.start_attempt(exam, worker, user).id == first.id
    ops.close_attempt(first, user)
    with pytest.raises(ops.ExamError):
        ops.start_attempt(exam, worker, user)
    operations.set_accommodation(exam, worker, None, extra_minutes=0, extra_attempts=1, reason="illness")
    second = ops.start_attempt(exam, worker, user)
    assert second.number == 2


def test_start_refused_outside_window_or_unenrolled(make_exam, make_taker, make_worker, make_user):
    exam = make_exam(opens_at=utcnow() + timedelta(hours=1), closes_at=utcnow() + timedelta(hours=3))
    user, worker = make_taker(exam.course)
    with pytest.raises(ops.ExamError, match="not opened"):
        ops.start_attempt(exam, worker, user)
    open_exam = make_exam()
    stranger = make_worker()
    with pytest.raises(ops.ExamError, match="enrolled"):
        ops.start_attempt(open_exam, stranger, make_user())


def test_each_attempt_draws_from_the_pool_and_shuffles_options(make_exam, make_taker, make_question):
    for _ in range(8):
        make_question(T.SINGLE, options=["a", "b", "c", "d", "e", "f"], correct=["A"])
    exam = make_exam(rules=((T.SINGLE, 3, "1"),), questions=False)
    orders, draws = set(), set()
    for _ in range(6):
        user, worker = make_taker(exam.course)
        attempt = ops.start_attempt(exam, worker, user)
        draws.add(tuple(sorted(i.question_id for i in attempt.items)))
        orders.update(tuple(i.option_order) for i in attempt.items)
        assert len({i.question.family_id for i in attempt.items}) == 3
    assert len(draws) > 1 and len(orders) > 1


def test_saves_are_ordered_and_idempotent(exam_and_taker):
    exam, user, worker = exam_and_taker
    attempt = ops.start_attempt(exam, worker, user)
    item = next(i for i in attempt.items if i.question.type is T.SINGLE)
    letters = item.option_order
    assert ops.save_answers(attempt, user, 2, {item.id: [letters[1]]}).status == "saved"
    assert ops.save_answers(attempt, user, 1, {item.id: [letters[0]]}).status == "stale"  # late retry of an older save
    assert ops.save_answers(attempt, user, 2, {item.id: [letters[0]]}).status == "stale"  # duplicate
    db.session.expire_all()
    assert item.response == [letters[1]] and attempt.last_seq == 2


@pytest.mark.parametrize("value", [["Z"], "A,B", [1], {"a": 1}, ["A", "B"]])
def test_malformed_answers_are_refused_and_change_nothing(exam_and_taker, value):
    exam, user, worker = exam_and_taker
    attempt = ops.start_attempt(exam, worker, user)
    item = next(i for i in attempt.items if i.question.type is T.SINGLE)
    with pytest.raises(ops.ExamError):
        ops.save_answers(attempt, user, 1, {item.id: value if value != ["Z"] else ["Z"]})
    db.session.expire_all()
    assert item.response is None and attempt.last_seq == 0


def test_answer_for_another_attempt_is_refused(exam_and_taker, make_taker):
    exam, user, worker = exam_and_taker
    attempt = ops.start_attempt(exam, worker, user)
    other_user, other_worker = make_taker(exam.course)
    other = ops.start_attempt(exam, other_worker, other_user)
    with pytest.raises(ops.ExamError):
        ops.save_answers(attempt, user, 1, {other.items[0].id: None})


def test_close_grades_objective_items_and_queues_essays(exam_and_taker):
    exam, user, worker = exam_and_taker
    attempt = ops.start_attempt(exam, worker, user)
    answers = {i.id: (_right(i) if i.question.type is not T.ESSAY else "先倾听，再调解。") for i in attempt.items}
    ops.save_answers(attempt, user, 1, answers)
    ops.close_attempt(attempt, user)
    ops.close_attempt(attempt, user)  # a second submit changes nothing
    db.session.expire_all()
    assert attempt.state is AttemptState.SUBMITTED and attempt.score == Decimal("7.00")
    assert len(db.session.scalars(sa.select(AttemptTransition).where(
        AttemptTransition.attempt_id == attempt.id, AttemptTransition.to_state == AttemptState.SUBMITTED)).all()) == 1
    essay = next(i for i in attempt.items if i.question.type is T.ESSAY)
    assert essay.needs_grading and essay.earned is None
    assert not access.is_released(attempt)
    ops.grade_item(essay, None, points=Decimal("4"), feedback="好")
    db.session.expire_all()
    assert attempt.state is AttemptState.GRADED and attempt.score == Decimal("11.00") and attempt.passed
    assert access.is_released(attempt)  # release: immediately


def test_essay_marks_are_bounded_and_final_once_released(make_exam, make_taker):
    exam = make_exam(rules=((T.ESSAY, 1, "5"),), release=ResultRelease.MANUAL)
    user, worker = make_taker(exam.course)
    attempt = ops.start_attempt(exam, worker, user)
    item = attempt.items[0]
    ops.save_answers(attempt, user, 1, {item.id: "答案"})
    ops.close_attempt(attempt, user)
    with pytest.raises(ops.ExamError):
        ops.grade_item(item, None, points=Decimal("6"), feedback="")
    ops.grade_item(item, None, points=Decimal("5"), feedback="")
    assert not access.is_released(attempt)
    assert operations.release_results(exam, None) == 1
    assert access.is_released(attempt)
    with pytest.raises(ops.ExamError, match="released"):
        ops.grade_item(item, None, points=Decimal("1"), feedback="")


def test_deadline_closes_with_last_saved_answers_within_grace(exam_and_taker):
    exam, user, worker = exam_and_taker
    start = utcnow() - timedelta(minutes=31)
    attempt = ops.start_attempt(exam, worker, user, now=start)
    item = next(i for i in attempt.items if i.question.type is T.SINGLE)
    in_grace = attempt.deadline_at + timedelta(seconds=30)
    assert ops.save_answers(attempt, user, 1, {item.id: _right(item)}, now=in_grace).status == "saved"
    late = attempt.deadline_at + timedelta(seconds=61)
    wrong = [letter for letter in item.option_order if letter not in _right(item)][:1]
    assert ops.save_answers(attempt, user, 2, {item.id: wrong}, now=late).status == "closed"
    db.session.expire_all()
    assert attempt.state is AttemptState.GRADED and attempt.closed_by == "deadline"  # the blank essay waits for nobody
    assert item.response == _right(item) and item.earned == Decimal("2.00")


def test_sweep_closes_only_overdue_attempts(exam_and_taker, make_taker):
    exam, user, worker = exam_and_taker
    old = ops.start_attempt(exam, worker, user, now=utcnow() - timedelta(minutes=50))
    user2, worker2 = make_taker(exam.course)
    fresh = ops.start_attempt(exam, worker2, user2)
    assert ops.sweep_overdue() == 1
    db.session.expire_all()
    assert old.state is AttemptState.GRADED and old.closed_by == "deadline" and fresh.state is AttemptState.IN_PROGRESS
    assert ops.sweep_overdue() == 0


def test_blank_essay_needs_no_grading(make_exam, make_taker):
    exam = make_exam(rules=((T.ESSAY, 1, "5"), (T.TRUE_FALSE, 1, "5")))
    user, worker = make_taker(exam.course)
    attempt = ops.start_attempt(exam, worker, user)
    ops.close_attempt(attempt, user)
    assert attempt.state is AttemptState.GRADED and attempt.score == Decimal("0.00") and attempt.passed is False


def test_attempt_rows_are_unique_per_number(exam_and_taker):
    exam, user, worker = exam_and_taker
    ops.start_attempt(exam, worker, user)
    db.session.add(Attempt(exam_id=exam.id, worker_id=worker.id, user_id=user.id, number=1, deadline_at=utcnow()))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
