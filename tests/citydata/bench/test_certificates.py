"""The certificates' part of ``flask academy bench-data``: what a user would check in the city built.

A small city (on SQLite, or PostgreSQL on the PostgreSQL run): every worker on duty holds a valid
qualification, the numbers are unique and in the module's format with serials in the order of
issue, the lifecycle shows in statuses, transitions and the workers' status, the public page of a
real number answers with the holder's masked name, and a certificate issued afterwards through the
exam the module listens to takes the next serial of its series.
"""
from __future__ import annotations

import re
from collections import defaultdict
from decimal import Decimal

import pytest
import sqlalchemy as sa

from academy.database import city_today
from academy.extensions import db
from tests.citydata.bench.test_city import _instance

pytestmark = pytest.mark.own_database
SMALL = ["--grids", "30", "--workers", "40", "--cases", "200", "--logs", "300", "--trainees", "40"]  # trainees in training too
NUMBER = re.compile(r"^(SG|JY|AQ)-(\d{4})-(\d{6})-(\d{6})$")


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    app = _instance(tmp_path_factory, "benchcerts")
    result = app.test_cli_runner().invoke(args=["academy", "bench-data", *SMALL])
    assert result.exit_code == 0, result.output
    with app.app_context():
        yield app, result.output
        db.session.remove()
        db.engine.dispose()


def _certificates():
    from courses.certificates.models import Certificate

    return list(db.session.scalars(sa.select(Certificate).order_by(Certificate.id)))


def test_numbers_are_unique_in_format_and_in_the_order_of_issue(city):
    from courses.syllabus.models import Branch

    _app, output = city
    certificates = _certificates()
    assert len({c.number for c in certificates}) == len(certificates) > 0
    series = defaultdict(list)
    for certificate in certificates:
        match = NUMBER.match(certificate.number)
        assert match, certificate.number
        prefix, year, place, serial = match.groups()
        assert prefix == certificate.type.prefix and int(year) == certificate.issued_on.year
        assert place == db.session.get(Branch, certificate.branch_id).area.code
        series[(prefix, year, place)].append((certificate.created_at, int(serial)))
    for issued in series.values():
        serials = [serial for _at, serial in sorted(issued)]
        assert serials == list(range(1, len(serials) + 1))  # no gap, no repeat, in the order of issue
    assert re.search(rf"certificates\s+{len(certificates)}\b", output)


def test_workers_on_duty_hold_a_valid_qualification_and_the_ends_took_them_off(city):
    from academy.registry.models import Worker, WorkerStatus
    from courses.certificates import queries
    from courses.certificates.models import CertificateKind
    from courses.certificates.models import CertificateStatus as S

    today = city_today()
    certificates = _certificates()
    duty = [c for c in certificates if c.type.kind == CertificateKind.ON_DUTY]
    workers = list(db.session.scalars(sa.select(Worker)))
    for worker in workers:
        held = [c for c in duty if c.worker_id == worker.id]
        if worker.status == WorkerStatus.ON_DUTY:
            assert any(c.is_valid_on(today) for c in held), worker.number
        if worker.status == WorkerStatus.IN_TRAINING:
            assert not held  # on the pre-service course: not certified yet
    with city[0].test_request_context():
        assert queries.coverage_finding([""])[0]["count"] == 0  # nobody on duty without a valid qualification
    statuses = {c.status for c in certificates}
    assert {S.VALID, S.SUPERSEDED, S.EXPIRED, S.SUSPENDED, S.REVOKED} <= statuses
    assert sum(c.status == S.VALID for c in certificates) > len(certificates) / 3
    for certificate in certificates:
        steps = [(t.from_status, t.to_status) for t in certificate.transitions]
        assert steps[0] == (None, S.VALID) and steps[-1][1] == certificate.status, certificate.number
        assert [t.at for t in certificate.transitions] == sorted(t.at for t in certificate.transitions)
        if certificate.status in (S.EXPIRED, S.REVOKED):  # a qualification's end took its holder off duty
            assert certificate.worker.status == WorkerStatus.SUSPENDED and certificate.off_duty_change_id
            assert certificate.worker.status_changes[-1].id == certificate.off_duty_change_id
        if certificate.status == S.SUSPENDED:  # HR suspended the worker; the module suspended his certificate
            assert certificate.worker.status == WorkerStatus.SUSPENDED
        if certificate.status == S.EXPIRED:
            assert certificate.valid_until < today
        if certificate.previous_id:
            previous = db.session.get(type(certificate), certificate.previous_id)
            assert previous.status == S.SUPERSEDED and certificate.valid_until > previous.valid_until


def test_completion_certificates_rest_on_a_completed_course_and_a_passed_final(city):
    from courses.certificates import rules
    from courses.certificates.models import CertificateKind
    from courses.enrollment.models import Enrollment, EnrollmentState

    completions = [c for c in _certificates() if c.type.kind == CertificateKind.COMPLETION]
    assert completions
    for certificate in completions:
        enrollment = db.session.scalar(sa.select(Enrollment).where(Enrollment.worker_id == certificate.worker_id,
                                                                   Enrollment.course_id == certificate.course_id))
        assert enrollment.state == EnrollmentState.COMPLETED
        evaluation = rules.evaluate(certificate.type, certificate.worker)
        assert evaluation.met and evaluation.attempt.id == certificate.attempt_id
        assert certificate.evidence == evaluation.evidence()
    earned = db.session.scalar(sa.select(sa.func.count(Enrollment.id)).where(
        Enrollment.state == EnrollmentState.COMPLETED, Enrollment.course_id.in_({c.course_id for c in completions})))
    assert len(completions) == earned  # every completion earned its certificate, and only those
    db.session.rollback()


def test_the_verification_page_of_a_real_number_shows_the_masked_holder(city):
    from citydata.bench.pages import pages
    from courses.certificates import queries

    app, _output = city
    found = [page for page in pages("3201", 5) if page.name == "certificate verification"]
    assert found and all(page.username is None for page in found)
    db.session.rollback()
    client = app.test_client()
    for page in found:
        certificate = queries.by_number(page.path.removeprefix("/verify/"))
        holder, number = queries.mask_name(certificate.worker.name), certificate.number
        db.session.rollback()
        response = client.get(page.path)
        assert response.status_code == 200
        text = response.get_data(as_text=True)
        assert number in text and f'data-testid="verify-holder">{holder}<' in text
        assert certificate.worker.name not in text


def test_a_certificate_issued_afterwards_takes_the_next_serial(city):
    from academy.accounts.models import User
    from academy.registry.models import Worker, WorkerStatus
    from citydata.bench.exams import _response
    from courses.certificates.models import Certificate
    from courses.enrollment.models import Enrollment
    from courses.exams.models import Attempt, AttemptState, Exam
    from courses.exams.operations import attempts as attempt_ops

    trainee = db.session.scalar(sa.select(Worker).where(
        Worker.status == WorkerStatus.IN_TRAINING, Worker.user_id.is_not(None),
        Worker.id.not_in(sa.select(Attempt.worker_id).where(Attempt.state == AttemptState.GRADED))).order_by(Worker.id))
    enrollment = db.session.scalar(sa.select(Enrollment).where(Enrollment.worker_id == trainee.id))
    exam = db.session.scalar(sa.select(Exam).where(Exam.course_id == enrollment.course_id, Exam.is_final.is_(True)))
    district, year = exam.course.branch.area.code, city_today().year
    highest = db.session.scalar(sa.select(sa.func.max(Certificate.number)).where(
        Certificate.number.startswith(f"SG-{year}-{district}-")))
    expected = f"SG-{year}-{district}-{(int(highest[-6:]) if highest else 0) + 1:06d}"
    user = db.session.get(User, trainee.user_id)
    attempt = attempt_ops.start_attempt(exam, trainee, user)
    attempt_ops.save_answers(attempt, user, 1, {i.id: _response(i.question, True, None) for i in attempt.items})
    attempt_ops.close_attempt(attempt, user)
    instructor = exam.course.instructors[0]
    for item in [i for i in attempt.items if i.needs_grading]:
        attempt_ops.grade_item(item, instructor, points=Decimal(item.points), feedback="")
    assert attempt.state == AttemptState.GRADED and attempt.passed
    issued = db.session.scalar(sa.select(Certificate).where(Certificate.attempt_id == attempt.id))
    assert issued.number == expected
    assert trainee.status == WorkerStatus.ON_DUTY  # the qualification put him on duty
    db.session.rollback()


def test_the_counts_are_reported(city):
    from courses.certificates.models import Certificate, CertificateStatus, CertificateTransition, CertificateType

    _app, output = city
    for label, model in (("certificate types", CertificateType), ("certificate transitions", CertificateTransition)):
        total = db.session.scalar(sa.select(sa.func.count()).select_from(model))
        assert re.search(rf"{label}\s+{total}\b", output), label
    for label, status in (("certificates expired", CertificateStatus.EXPIRED),
                          ("certificates suspended", CertificateStatus.SUSPENDED),
                          ("certificates revoked", CertificateStatus.REVOKED)):
        total = db.session.scalar(sa.select(sa.func.count(Certificate.id)).where(Certificate.status == status))
        assert re.search(rf"{label}\s+{total}\b", output), label
    assert re.search(r"certificates: \d+\.\d s", output)
