"""The earning rule on its edges: the pass mark exactly, one point below, one hour short, a higher
minimum percentage, the assessment score, a regrade below the mark, and evidence used only once."""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa

from academy.extensions import db
from academy.registry.models import WorkerStatus
from courses.certificates import issuing, rules
from courses.certificates.models import Certificate, CertificateStatus
from courses.enrollment import training
from courses.exams.operations import bank
from courses.exams.operations.regrade import apply_regrade
from tests.fixtures.certificates import credit_hours, sit_exam, store_score


def _certificates(worker):
    return db.session.scalars(sa.select(Certificate).where(Certificate.worker_id == worker.id)).all()


def test_pass_mark_exactly_issues_and_puts_the_worker_on_duty(exam_course, make_cert_type, make_trainee):
    course, exam = exam_course
    cert_type = make_cert_type(course=course)
    user, worker = make_trainee(course)
    attempt = sit_exam(exam, right=3, user=user, worker=worker)  # 6 of 10 points: 60 %, the pass mark
    assert attempt.percent == Decimal("60.00") and attempt.passed
    [certificate] = _certificates(worker)
    assert certificate.status == CertificateStatus.VALID and certificate.type_id == cert_type.id
    assert certificate.attempt_id == attempt.id and certificate.exam_percent == Decimal("60.00")
    assert certificate.course_id == course.id and certificate.evidence["attempts"][0]["percent"] == "60.00"
    assert certificate.number.startswith(f"{cert_type.prefix}-{certificate.issued_on.year}-320102-")
    assert worker.status == WorkerStatus.ON_DUTY
    assert [t.to_status for t in certificate.transitions] == [CertificateStatus.VALID]


def test_one_answer_below_the_mark_issues_nothing(exam_course, make_cert_type, make_trainee):
    course, exam = exam_course
    make_cert_type(course=course)
    user, worker = make_trainee(course)
    attempt = sit_exam(exam, right=2, user=user, worker=worker)
    assert attempt.percent == Decimal("40.00") and not attempt.passed
    assert _certificates(worker) == [] and worker.status == WorkerStatus.IN_TRAINING


def test_a_higher_minimum_than_the_pass_mark(exam_course, make_cert_type, make_trainee):
    course, exam = exam_course
    make_cert_type(course=course, min_percent="80")
    user, worker = make_trainee(course)
    sit_exam(exam, right=3, user=user, worker=worker)  # passed the exam, but 60 % < 80 %
    assert _certificates(worker) == []
    sit_exam(exam, right=4, user=user, worker=worker)  # 80 % exactly
    assert len(_certificates(worker)) == 1


def test_one_hour_short_then_the_hour_recorded(exam_course, make_cert_type, make_trainee):
    course, exam = exam_course
    cert_type = make_cert_type(course=course, min_hours="8")
    user, worker = make_trainee(course)
    enrollment = credit_hours(worker, course, "0")
    enrollment.online_hours = Decimal("7")  # seven hours of lessons
    db.session.flush()
    sit_exam(exam, right=5, user=user, worker=worker)
    assert _certificates(worker) == []
    [missing] = rules.evaluate(cert_type, worker).missing
    assert missing.kind == "hours" and missing.detail == "7.0 of 8.0 hours"
    # The last hour is a classroom session; recording the attendance issues the certificate at once.
    session = training.add_session(course, None, starts_at=enrollment.enrolled_at, hours=Decimal("1"), place="",
                                   topic="")
    training.take_attendance(session, None, {enrollment.id})
    [certificate] = _certificates(worker)
    assert certificate.hours == Decimal("8.0") and worker.status == WorkerStatus.ON_DUTY


def test_assessment_score_counts_from_the_latest_stored_quarter(exam_course, make_cert_type, make_trainee):
    course, exam = exam_course
    cert_type = make_cert_type(course=course, min_score=80.0)
    user, worker = make_trainee(course)
    store_score(worker, "2025-Q4", 79.9)
    sit_exam(exam, right=5, user=user, worker=worker)
    assert _certificates(worker) == []
    assert "79.9 in 2025-Q4" in rules.evaluate(cert_type, worker).missing[0].detail
    store_score(worker, "2026-Q1", 80.0)  # a later quarter arrives; the sweep (or the next trigger) issues
    [certificate] = issuing.check_worker(worker)
    assert certificate.score == 80.0 and certificate.evidence["period"] == "2026-Q1"


def test_a_type_without_any_rule_is_never_issued(exam_course, make_cert_type, make_trainee):
    course, exam = exam_course
    make_cert_type(course=course, exam=False)
    user, worker = make_trainee(course)
    sit_exam(exam, right=5, user=user, worker=worker)
    assert _certificates(worker) == []


def _regrade_to_false(exam, by=None):
    """The instructor finds the key wrong: every question's answer becomes F, and the exam is regraded."""
    families = {item.question.family_id: item.question for a in exam_attempts(exam) for item in a.items}
    for question in families.values():
        bank.update_question(question, by, stem=question.stem, options=question.options, correct=["F"],
                             explanation="", rubric="", difficulty="medium", tags=[], unit_id=None)
    return apply_regrade(exam, by, "key corrected")


def exam_attempts(exam):
    from courses.exams.queries import exam_results

    return exam_results(exam)


def test_a_regrade_below_the_mark_revokes_and_takes_the_worker_off_duty(exam_course, make_cert_type, make_trainee):
    course, exam = exam_course
    make_cert_type(course=course)
    user, worker = make_trainee(course)
    attempt = sit_exam(exam, right=3, user=user, worker=worker)  # T,T,T,F,F: 60 %
    [certificate] = _certificates(worker)
    assert worker.status == WorkerStatus.ON_DUTY
    _regrade_to_false(exam)  # now 2 of 5 right: 40 %
    assert attempt.percent == Decimal("40.00") and not attempt.passed
    assert certificate.status == CertificateStatus.REVOKED
    assert "regraded" in certificate.transitions[-1].reason
    assert worker.status == WorkerStatus.SUSPENDED


def test_a_regrade_below_the_mark_before_the_rule_is_met_issues_nothing(exam_course, make_cert_type, make_trainee):
    course, exam = exam_course
    make_cert_type(course=course, min_hours="4")
    user, worker = make_trainee(course)
    sit_exam(exam, right=3, user=user, worker=worker)  # passed, but no hours yet
    _regrade_to_false(exam)
    credit_hours(worker, course, "4")
    assert issuing.check_worker(worker) == [] and _certificates(worker) == []


def test_one_passed_exam_earns_the_certificate_once(exam_course, make_cert_type, make_trainee):
    course, exam = exam_course
    cert_type = make_cert_type(course=course)
    user, worker = make_trainee(course)
    sit_exam(exam, right=5, user=user, worker=worker)
    [first] = _certificates(worker)
    assert issuing.check_worker(worker) == []  # it stands: nothing more
    from courses.certificates import lifecycle

    lifecycle.revoke_certificate(first, None, reason="found copying")
    assert issuing.check_worker(worker) == []  # the old attempt does not earn it again
    assert not rules.evaluate(cert_type, worker, rules.evidence_cutoff(cert_type, worker)).met
    sit_exam(exam, right=4, user=user, worker=worker)  # a new attempt after the revocation does
    assert len([c for c in _certificates(worker) if c.status == CertificateStatus.VALID]) == 1
