"""Blueprints and exams: a copy's exams follow the master's settings and blueprint; the branch keeps
each exam's window and publishing; an exam the master drops is archived in the copy, never deleted."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from academy.extensions import db
from courses.exams.grading import QuestionType as T
from courses.exams.models import Exam, ExamStatus
from courses.exams.operations import exams as exam_ops
from courses.masters import operations, queries

SETTINGS = exam_ops.SETTINGS


def _settings(exam, **changes) -> dict:
    return {name: getattr(exam, name) for name in SETTINGS} | changes


@pytest.fixture
def master_with_exam(make_course, make_exam):
    master = make_course(code="CITY-EX")
    exam = make_exam(master, rules=((T.SINGLE, 2, "2"),), publish=False, title="Final exam")
    operations.mark_master(master, None)
    return master, exam


def test_a_copy_gets_the_masters_exam_as_a_draft_with_its_blueprint(master_with_exam, make_branch):
    master, exam = master_with_exam
    [copy] = operations.offer_in_branches(master, None, [make_branch("320104")])
    [copied] = queries.exams_of(copy)
    assert copied.master_exam_id == exam.id and copied.status == ExamStatus.DRAFT and copied.title == "Final exam"
    assert [(r.type, r.count, r.points) for r in copied.rules] == [(T.SINGLE, 2, Decimal("2"))]
    assert copied.pass_mark == exam.pass_mark and copied.is_final


def test_a_change_to_the_masters_exam_is_pushed_and_the_branch_keeps_its_window(master_with_exam, make_branch,
                                                                               make_question):
    master, exam = master_with_exam
    [copy] = operations.offer_in_branches(master, None, [make_branch("320104")])
    [copied] = queries.exams_of(copy)
    own_opening = copied.opens_at + timedelta(days=3)
    exam_ops.save_exam(None, copied, copy, **_settings(copied, opens_at=own_opening,
                                                       closes_at=own_opening + timedelta(days=1)))
    for _ in range(3):
        make_question(T.TRUE_FALSE)
    exam_ops.save_exam(None, exam, master, **_settings(exam, pass_mark=Decimal("75"), time_limit_minutes=45))
    exam_ops.add_rule(exam, None, type=T.TRUE_FALSE, count=3, points=Decimal("1"))
    operations.push_master(master, None)
    assert copied.pass_mark == Decimal("75") and copied.time_limit_minutes == 45
    assert [(r.type, r.count) for r in copied.rules] == [(T.SINGLE, 2), (T.TRUE_FALSE, 3)]
    assert copied.opens_at == own_opening  # the branch's own window


def test_a_branch_change_to_a_synced_exam_is_refused(master_with_exam, make_branch):
    master, _exam = master_with_exam
    [copy] = operations.offer_in_branches(master, None, [make_branch("320104")])
    [copied] = queries.exams_of(copy)
    with pytest.raises(exam_ops.ExamError, match="kept by the master"):
        exam_ops.save_exam(None, copied, copy, **_settings(copied, pass_mark=Decimal("10")))
    with pytest.raises(exam_ops.ExamError, match="kept by the master"):
        exam_ops.add_rule(copied, None, type=T.SINGLE, count=1)
    with pytest.raises(exam_ops.ExamError, match="kept by the master"):
        exam_ops.remove_rule(copied.rules[0], None)
    with pytest.raises(exam_ops.ExamError, match="kept by the master"):
        exam_ops.save_exam(None, None, copy, **_settings(copied, title="Our own quiz"))
    assert copied.pass_mark == Decimal("60") and len(copied.rules) == 1 and len(queries.exams_of(copy)) == 1


def test_a_published_copy_keeps_the_blueprint_its_attempts_were_drawn_from(master_with_exam, make_branch, make_question):
    master, exam = master_with_exam
    [copy] = operations.offer_in_branches(master, None, [make_branch("320104")])
    [copied] = queries.exams_of(copy)
    exam_ops.publish_exam(copied, None)
    make_question(T.TRUE_FALSE)
    exam_ops.add_rule(exam, None, type=T.TRUE_FALSE, count=1)
    counts = operations.sync_copy(copy, None)
    assert counts["exams_held"] == 1 and len(copied.rules) == 1 and copied.status == ExamStatus.PUBLISHED


def test_an_exam_the_master_drops_is_archived_in_the_copy(master_with_exam, make_branch):
    master, exam = master_with_exam
    [copy] = operations.offer_in_branches(master, None, [make_branch("320104")])
    [copied] = queries.exams_of(copy)
    db.session.delete(exam)
    db.session.flush()
    db.session.expire_all()
    counts = operations.sync_copy(copy, None)
    assert counts["exams_archived"] == 1
    assert db.session.get(Exam, copied.id).status == ExamStatus.ARCHIVED
