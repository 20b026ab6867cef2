"""Concurrent issuings on a committed database (PostgreSQL in the PostgreSQL run): 50 workers earn
the same certificate at the same moment and get 50 distinct numbers, with no error; two triggers
for one worker at once give him one certificate, not two.

Each thread has its own application context, session and connection, as gunicorn workers would.
"""
from __future__ import annotations

import pytest
import sqlalchemy as sa

from academy.extensions import db
from academy.registry.models import Worker, WorkerStatus
from courses.certificates import issuing
from courses.certificates.models import Certificate, CertificateType
from courses.enrollment.models import Enrollment
from tests.fixtures.certificates import create_cert_type, credit_hours
from tests.fixtures.courses import create_course
from tests.fixtures.registry import create_worker
from tests.support import race

pytestmark = pytest.mark.concurrency


def _setup(app, workers: int) -> tuple[int, list[int]]:
    """A type asking for 4 hours of a course; ``workers`` workers with the hours, nothing issued yet."""
    with app.app_context():
        course = create_course(capacity=workers)
        cert_type = create_cert_type(course=course, exam=False, min_hours="4", automatic=False)
        ids = []
        for _ in range(workers):
            worker = create_worker(status=WorkerStatus.IN_TRAINING)
            credit_hours(worker, course, "4")
            ids.append(worker.id)
        db.session.commit()
        type_id = cert_type.id
        db.session.remove()
        return type_id, ids


def _issue(type_id):
    def action(worker_id):
        issuing.issue_if_met(db.session.get(CertificateType, type_id), db.session.get(Worker, worker_id), None)
    return action


def test_fifty_concurrent_issuings_give_fifty_distinct_numbers(live_app):
    type_id, worker_ids = _setup(live_app, 50)
    errors = race(live_app, _issue(type_id), worker_ids)
    assert errors == []
    with live_app.app_context():
        numbers = list(db.session.scalars(sa.select(Certificate.number).where(Certificate.type_id == type_id)))
        assert len(numbers) == 50 and len(set(numbers)) == 50
        serials = sorted(int(n.rsplit("-", 1)[1]) for n in numbers)
        assert serials == list(range(1, 51))  # no gap, no repeat: the counter moved once per certificate
        db.session.remove()


def test_two_triggers_for_one_worker_at_once_issue_one_certificate(live_app):
    type_id, [worker_id] = _setup(live_app, 1)
    errors = race(live_app, _issue(type_id), [worker_id] * 6)
    assert errors == []
    with live_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Certificate.id)).where(Certificate.worker_id == worker_id)) == 1
        assert db.session.scalar(sa.select(sa.func.count(Enrollment.id))) == 1
        db.session.remove()
