"""The demo step: the three types on the demo courses, and workers holding valid, expiring and
expired certificates; nothing without the demo courses."""
from __future__ import annotations

from collections import Counter

import sqlalchemy as sa

from academy.extensions import db
from academy.permissions import Role
from academy.registry.models import Employment, WorkerStatus
from citydata.demo import certificates as certificates_demo
from citydata.demo import enrollment as enrollment_demo
from citydata.demo import syllabus as syllabus_demo
from courses.certificates import renewal
from courses.certificates.models import Certificate, CertificateType
from tests.courses.conftest import english_clients  # noqa: F401  (autouse: pages read in English, as in tests/courses)
from tests.fixtures.registry import create_worker


def test_without_the_demo_courses_nothing_is_made():
    certificates_demo.create_demo_certificates({"users": {}})
    assert db.session.scalar(sa.select(sa.func.count(CertificateType.id))) == 0


def test_demo_workers_hold_valid_expiring_and_expired_certificates(make_user):
    users = {name: make_user(name, Role(name)) for name in ("admin", "hr", "instructor")}
    workers = [create_worker("320102") for _ in range(18)]
    workers += [create_worker("320104", status=WorkerStatus.RECRUITED, employment=Employment.PART_TIME) for _ in range(2)]
    demo = {"users": users, "workers": workers}
    syllabus_demo.create_demo_syllabus(demo)
    enrollment_demo.create_demo_courses(demo)
    certificates_demo.create_demo_certificates(demo)
    types = {t.code: t for t in db.session.scalars(sa.select(CertificateType))}
    assert set(types) == {"ONDUTY", "DISPUTE", "MEDIATOR"}
    assert [r.course.code for r in types["ONDUTY"].requirements] == ["GA-PRE-2026-01"]
    certificates = db.session.scalars(sa.select(Certificate)).all()
    # 持证上岗: each of the 18 workers on duty holds a valid on-duty certificate; two also a dispute one.
    assert Counter(c.status.value for c in certificates) == {"valid": 20, "expired": 2}
    assert {c.worker_id for c in certificates if c.type.code == "ONDUTY" and c.status.value == "valid"} == \
        {w.id for w in workers[:18]}
    assert len(renewal.in_window_query(None)) == 3 and len(renewal.lapsed_query(None)) == 2
    assert len({c.number for c in certificates}) == len(certificates)
    assert all(w.status == WorkerStatus.ON_DUTY for w in workers[:18])  # the paper records change nobody's status
