"""Concurrent enrolment on a committed database (PostgreSQL in the PostgreSQL run): never overbooked.

Each thread has its own application context, session and connection, as gunicorn workers would;
a barrier releases them together so they race for the last seats.
"""
from __future__ import annotations

import threading

import sqlalchemy as sa

from academy.extensions import db
from academy.registry.models import Worker
from courses.enrollment import operations as ops
from courses.enrollment.models import Course, Enrollment, EnrollmentState
from tests.fixtures.courses import create_course
from tests.fixtures.registry import create_worker
from tests.support import race

THREADS = 8


def _setup(app, capacity, taken=0):
    with app.app_context():
        course = create_course(capacity=capacity)
        workers = [create_worker() for _ in range(THREADS + taken)]
        for worker in workers[:taken]:
            ops.request_enrollment(course, worker, None)
        db.session.commit()
        ids = (course.id, [w.id for w in workers])
        db.session.remove()
        return ids


def _states(app, course_id):
    with app.app_context():
        states = list(db.session.scalars(sa.select(Enrollment.state).where(Enrollment.course_id == course_id)))
        db.session.remove()
        return states


def test_many_people_taking_the_last_seat_never_overbook(live_app):
    course_id, worker_ids = _setup(live_app, capacity=3, taken=2)

    def enrol(worker_id):
        ops.request_enrollment(db.session.get(Course, course_id), db.session.get(Worker, worker_id), None)

    errors = race(live_app, enrol, worker_ids[2:])
    assert errors == []
    states = _states(live_app, course_id)
    assert states.count(EnrollmentState.ENROLLED) == 3
    assert states.count(EnrollmentState.WAITLISTED) == THREADS - 1


def test_concurrent_withdrawals_promote_without_overbooking(live_app):
    course_id, worker_ids = _setup(live_app, capacity=THREADS // 2, taken=THREADS)
    with live_app.app_context():
        seated = list(db.session.scalars(sa.select(Enrollment.id).where(
            Enrollment.course_id == course_id, Enrollment.state == EnrollmentState.ENROLLED)))
        course = db.session.get(Course, course_id)
        for worker_id in worker_ids[THREADS:]:
            ops.request_enrollment(course, db.session.get(Worker, worker_id), None)
        db.session.commit()
        db.session.remove()

    def withdraw(enrollment_id):
        ops.withdraw(db.session.get(Enrollment, enrollment_id), None)

    errors = race(live_app, withdraw, seated)
    assert errors == []
    states = _states(live_app, course_id)
    assert states.count(EnrollmentState.ENROLLED) == THREADS // 2
    assert states.count(EnrollmentState.WITHDRAWN) == THREADS // 2


def test_last_seat_over_http_from_many_browsers(live_app):
    """The same race through the request cycle: each trainee's browser posts "Enrol" at once."""
    from academy.accounts.operations import create_user, grant_role
    from academy.permissions import Role
    from tests.support import PASSWORD, csrf_token, log_in

    with live_app.app_context():
        course = create_course(capacity=1)
        for n in range(THREADS):
            user = create_user(f"racer{n}", PASSWORD, by=None)
            grant_role(user, Role.TRAINEE, by=None)
            create_worker(user=user)
        db.session.commit()
        course_id = course.id
        db.session.remove()
    clients = []
    for n in range(THREADS):
        client = live_app.test_client()
        log_in(client, f"racer{n}")
        clients.append((client, csrf_token(client, f"/courses/{course_id}")))
    statuses: list[int] = []

    def enrol(index):
        client, token = clients[index]
        statuses.append(client.post(f"/courses/{course_id}/enrol", data={"csrf_token": token}).status_code)

    barrier = threading.Barrier(THREADS)

    def run(index):
        barrier.wait(timeout=30)
        enrol(index)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert statuses == [302] * THREADS
    states = _states(live_app, course_id)
    assert states.count(EnrollmentState.ENROLLED) == 1
    assert states.count(EnrollmentState.WAITLISTED) == THREADS - 1
