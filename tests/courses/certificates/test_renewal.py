"""Renewal across the window: before it nothing happens, inside it the worker sees what is missing
and meeting the rule issues the successor (the old one superseded), after expiry it has lapsed."""
from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from academy.database import city_today
from academy.extensions import db
from academy.registry.models import WorkerStatus
from courses.certificates import core, queries, renewal
from courses.certificates.models import CertificateStatus
from courses.certificates.sweep import sweep
from courses.enrollment.models import CourseKind
from tests.fixtures.certificates import credit_hours, sit_exam

S = CertificateStatus


def _certified(exam_course, make_cert_type, make_trainee, *, expires_in: int):
    course, exam = exam_course
    make_cert_type(course=course, renewal_hours="4", window=90)
    user, worker = make_trainee(course)
    sit_exam(exam, right=5, user=user, worker=worker)
    [certificate] = queries.certificates_of(worker)
    # Issued three years ago: it ends in ``expires_in`` days.
    certificate.valid_until = city_today() + timedelta(days=expires_in)
    certificate.issued_on = core.add_months(certificate.valid_until, -36)
    db.session.flush()
    return certificate, worker


def test_before_the_window_hours_do_not_renew(exam_course, make_cert_type, make_trainee, make_course):
    certificate, worker = _certified(exam_course, make_cert_type, make_trainee, expires_in=91)
    credit_hours(worker, make_course(kind=CourseKind.IN_SERVICE), "6")
    assert not renewal.in_window(certificate)
    assert renewal.renew_worker(worker) == [] and certificate.status == S.VALID
    assert renewal.in_window_query(None) == []


def test_in_the_window_the_worker_sees_what_is_missing_then_renews(exam_course, make_cert_type, make_trainee,
                                                                      make_course):
    certificate, worker = _certified(exam_course, make_cert_type, make_trainee, expires_in=90)
    state = renewal.renewal_state(certificate)
    assert state.in_window and [c.detail for c in state.evaluation.missing] == ["0.0 of 4.0 hours"]
    assert renewal.in_window_query(None) == [certificate]
    # Pre-service hours do not count for renewal; in-service ones do.
    credit_hours(worker, make_course(kind=CourseKind.PRE_SERVICE), "10")
    assert renewal.renew_worker(worker) == []
    old_until = certificate.valid_until
    enrollment = credit_hours(worker, make_course(kind=CourseKind.IN_SERVICE), "3.5")
    assert renewal.renew_worker(worker) == []
    from courses.enrollment.operations import record_result

    enrollment.online_hours = Decimal("0.5")
    db.session.flush()
    record_result(enrollment, None, passed=True)  # the result recorded: the trigger renews
    successor = next(c for c in queries.certificates_of(worker) if c.id != certificate.id)
    assert certificate.status == S.SUPERSEDED and successor.status == S.VALID
    assert successor.previous_id == certificate.id and successor.valid_until == core.add_months(old_until, 36)
    assert successor.hours == Decimal("4.0") and worker.status == WorkerStatus.ON_DUTY
    assert renewal.in_window_query(None) == []
    assert "Renewed as" in certificate.transitions[-1].reason


def test_after_expiry_it_has_lapsed_and_is_not_renewed(exam_course, make_cert_type, make_trainee, make_course):
    certificate, worker = _certified(exam_course, make_cert_type, make_trainee, expires_in=-1)
    credit_hours(worker, make_course(kind=CourseKind.IN_SERVICE), "8")
    assert renewal.renew_worker(worker) == []
    assert renewal.lapsed_query(None) == [certificate]  # listed before the sweep marks it
    result = sweep()
    assert result.expired == 1 and result.lapsed == 1 and result.issued == []
    assert certificate.status == S.EXPIRED and worker.status == WorkerStatus.SUSPENDED
    assert renewal.lapsed_query(["320104"]) == []  # another district's HR does not see it


def test_the_sweep_renews_what_a_trigger_missed(exam_course, make_cert_type, make_trainee, make_course):
    certificate, worker = _certified(exam_course, make_cert_type, make_trainee, expires_in=30)
    credit_hours(worker, make_course(kind=CourseKind.IN_SERVICE), "4")  # written without any trigger
    assert certificate.status == S.VALID
    result = sweep()
    assert len(result.issued) == 1 and certificate.status == S.SUPERSEDED
