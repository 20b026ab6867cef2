"""The certificate and the worker's status move together: issue -> on duty; expiry, revocation ->
off duty; the worker's suspension or exit -> certificate suspended; his return -> back if in date."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from academy.audit import AuditEntry
from academy.database import city_today
from academy.extensions import db
from academy.registry import operations as registry_ops
from academy.registry.models import WorkerStatus
from courses.certificates import issuing, lifecycle, queries
from courses.certificates.models import CertificateKind, CertificateStatus
from courses.certificates.sweep import sweep
from tests.fixtures.certificates import sit_exam

S = CertificateStatus


def _certified(exam_course, make_cert_type, make_trainee, **type_options):
    course, exam = exam_course
    make_cert_type(course=course, **type_options)
    user, worker = make_trainee(course)
    sit_exam(exam, right=5, user=user, worker=worker)
    [certificate] = queries.certificates_of(worker)
    return certificate, worker, user, exam


def test_expiry_in_the_sweep_takes_the_worker_off_duty(exam_course, make_cert_type, make_trainee):
    certificate, worker, _user, _exam = _certified(exam_course, make_cert_type, make_trainee)
    assert worker.status == WorkerStatus.ON_DUTY
    result = sweep(today=certificate.valid_until + timedelta(days=1))
    assert result.expired == 1
    assert certificate.status == S.EXPIRED and worker.status == WorkerStatus.SUSPENDED
    assert worker.status_changes[-1].reason.startswith(f"Certificate {certificate.number} expired")
    assert certificate.off_duty_change_id == worker.status_changes[-1].id
    # Before the sweep runs, the page already reads an out-of-date certificate as expired.
    assert certificate.effective_status(certificate.valid_until + timedelta(days=1)) == S.EXPIRED


def test_a_new_certificate_puts_back_a_worker_whom_only_a_lapse_suspended(exam_course, make_cert_type, make_trainee):
    certificate, worker, user, exam = _certified(exam_course, make_cert_type, make_trainee)
    lifecycle.revoke_certificate(certificate, None, reason="issued in error")
    assert worker.status == WorkerStatus.SUSPENDED
    sit_exam(exam, right=5, user=user, worker=worker)
    fresh = next(c for c in queries.certificates_of(worker) if c.id != certificate.id)
    assert fresh.status == S.VALID and worker.status == WorkerStatus.ON_DUTY


def test_suspension_by_hr_suspends_the_certificate_and_the_return_restores_it(exam_course, make_cert_type, make_trainee):
    certificate, worker, _user, _exam = _certified(exam_course, make_cert_type, make_trainee)
    registry_ops.change_status(worker, WorkerStatus.SUSPENDED, None, "disciplinary review")
    assert certificate.status == S.SUSPENDED
    registry_ops.change_status(worker, WorkerStatus.IN_TRAINING, None, "review closed")
    assert certificate.status == S.VALID
    assert worker.status == WorkerStatus.ON_DUTY  # the valid qualification puts him back on duty
    assert [t.to_status for t in certificate.transitions] == [S.VALID, S.SUSPENDED, S.VALID]
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.action == "certificate.suspended", AuditEntry.object_id == str(certificate.id))) == 1


def test_a_return_after_the_date_finds_the_certificate_expired(exam_course, make_cert_type, make_trainee):
    certificate, worker, _user, _exam = _certified(exam_course, make_cert_type, make_trainee)
    registry_ops.change_status(worker, WorkerStatus.SUSPENDED, None, "long leave")
    certificate.valid_until = city_today() - timedelta(days=1)
    db.session.flush()
    registry_ops.change_status(worker, WorkerStatus.IN_TRAINING, None, "back")
    assert certificate.status == S.EXPIRED and worker.status == WorkerStatus.IN_TRAINING


def test_an_hr_suspended_worker_who_earns_it_gets_it_suspended(exam_course, make_cert_type, make_trainee):
    course, exam = exam_course
    make_cert_type(course=course)
    user, worker = make_trainee(course)
    registry_ops.change_status(worker, WorkerStatus.SUSPENDED, None, "investigation")
    sit_exam(exam, right=5, user=user, worker=worker)
    [certificate] = queries.certificates_of(worker)
    assert certificate.status == S.SUSPENDED and worker.status == WorkerStatus.SUSPENDED
    registry_ops.change_status(worker, WorkerStatus.IN_TRAINING, None, "cleared")
    assert certificate.status == S.VALID and worker.status == WorkerStatus.ON_DUTY


def test_exit_suspends_the_qualification_and_nothing_more_is_issued(exam_course, make_cert_type, make_trainee):
    certificate, worker, user, exam = _certified(exam_course, make_cert_type, make_trainee)
    registry_ops.exit_worker(worker, None, on=city_today(), reason="moved away")
    assert certificate.status == S.SUSPENDED and worker.status == WorkerStatus.EXITED
    assert issuing.check_worker(worker) == []


def test_completion_certificates_do_not_follow_the_worker_status(exam_course, make_cert_type, make_trainee):
    certificate, worker, _user, _exam = _certified(exam_course, make_cert_type, make_trainee,
                                                   kind=CertificateKind.COMPLETION)
    assert worker.status == WorkerStatus.IN_TRAINING  # a completion certificate does not put anyone on duty
    registry_ops.change_status(worker, WorkerStatus.SUSPENDED, None, "leave")
    assert certificate.status == S.VALID


def test_revocation_needs_a_reason_and_is_final(exam_course, make_cert_type, make_trainee):
    import pytest

    from courses.certificates.models import CertificateError

    certificate, worker, _user, _exam = _certified(exam_course, make_cert_type, make_trainee)
    with pytest.raises(CertificateError):
        lifecycle.revoke_certificate(certificate, None, reason="   ")
    assert certificate.status == S.VALID
    lifecycle.revoke_certificate(certificate, None, reason="forged attendance")
    with pytest.raises(CertificateError):
        lifecycle.revoke_certificate(certificate, None, reason="again")
    assert certificate.status == S.REVOKED and worker.status == WorkerStatus.SUSPENDED


def test_coverage_finding_and_certificate_held(app, exam_course, make_cert_type, make_trainee, make_worker):
    certificate, worker, _user, _exam = _certified(exam_course, make_cert_type, make_trainee)
    uncertified = make_worker(name="No Paper")  # on duty (the factory's default), no certificate
    with app.test_request_context():
        finding = queries.coverage_finding(None)[0]
        labels = [row["label"] for row in finding["rows"]]
        assert f"{uncertified.number} No Paper" in labels and not any(worker.number in label for label in labels)
        assert queries.coverage_finding(["320104"])[0]["count"] == 0  # another district's scope
    assert queries.holds_certificate(worker, certificate.type.code)
    assert not queries.holds_certificate(uncertified, certificate.type.code)


def test_a_course_prerequisite_reads_the_certificate(exam_course, make_cert_type, make_trainee, make_course):
    import pytest

    from courses.enrollment.operations import EnrollmentError, request_enrollment

    certificate, worker, _user, _exam = _certified(exam_course, make_cert_type, make_trainee)
    advanced = make_course()
    advanced.prerequisite_certificate = certificate.type.code
    db.session.flush()
    request_enrollment(advanced, worker, None, source="hr")  # he holds it
    other = make_course()
    other.prerequisite_certificate = certificate.type.code
    lifecycle.revoke_certificate(certificate, None, reason="withdrawn")
    with pytest.raises(EnrollmentError):
        request_enrollment(other, worker, None, source="hr")
