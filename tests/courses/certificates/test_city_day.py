"""Certificates expire by the city's calendar: at 23:30 UTC on 31 December it is already 1 January in
Shanghai, so a certificate valid until 31 December has expired, and one valid until 1 January is in its
last day (the server's UTC date would still say 31 December)."""
from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from academy import database
from academy.registry.models import WorkerStatus
from courses.certificates import queries, renewal
from courses.certificates.models import CertificateStatus
from courses.certificates.sweep import sweep
from tests.fixtures.certificates import sit_exam

NEW_YEAR_MORNING = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # 07:30 on 1 January 2027 in Shanghai


@pytest.mark.parametrize("valid_until, expired", [(date(2026, 12, 31), True), (date(2027, 1, 1), False)])
def test_the_nightly_sweep_expires_by_the_citys_date(exam_course, make_cert_type, make_trainee, monkeypatch,
                                                      valid_until, expired):
    course, exam = exam_course
    make_cert_type(course=course)
    user, worker = make_trainee(course)
    sit_exam(exam, right=5, user=user, worker=worker)
    [certificate] = queries.certificates_of(worker)
    certificate.valid_until = valid_until
    monkeypatch.setattr(database, "utcnow", lambda: NEW_YEAR_MORNING)
    result = sweep()
    assert result.expired == (1 if expired else 0)
    assert certificate.status == (CertificateStatus.EXPIRED if expired else CertificateStatus.VALID)
    assert worker.status == (WorkerStatus.SUSPENDED if expired else WorkerStatus.ON_DUTY)


@pytest.mark.parametrize("valid_until, inside", [(date(2027, 4, 1), True), (date(2027, 4, 2), False)])
def test_the_renewal_window_opens_on_the_citys_date(exam_course, make_cert_type, make_trainee, monkeypatch,
                                                    valid_until, inside):
    """A 90-day window of a certificate valid until 1 April 2027 opens on 1 January 2027:
    open on New Year's morning in the city, though the UTC date is still 31 December.."""
    course, exam = exam_course
    make_cert_type(course=course, window=90)
    user, worker = make_trainee(course)
    sit_exam(exam, right=5, user=user, worker=worker)
    [certificate] = queries.certificates_of(worker)
    certificate.valid_until = valid_until
    assert renewal.window_opens(certificate) == (date(2027, 1, 1) if inside else date(2027, 1, 2))
    monkeypatch.setattr(database, "utcnow", lambda: NEW_YEAR_MORNING)
    assert renewal.in_window(certificate) is inside
