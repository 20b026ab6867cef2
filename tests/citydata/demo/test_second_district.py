"""The demo's second district (鼓楼区): its staff see their district and nothing else, its workers
awaiting activation can be printed a letter and activate, and trainee2 finds his pre-service course."""
from __future__ import annotations

import re

import sqlalchemy as sa

from academy.accounts.models import User
from academy.cases.models import Case
from academy.extensions import db
from academy.registry.models import Worker, WorkerStatus
from citydata.demo import accounts, build_demo, district, enrollment, registry, syllabus
from courses.enrollment.models import Course
from tests.support import log_in

NUMBER = re.compile(r"W\d{8}")


def _client(app, username: str):
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    log_in(client, username, app.config["DEMO_PASSWORD"])
    return client


def _workers_of(district_code: str, *, inside: bool) -> list[Worker]:
    workers = db.session.scalars(sa.select(Worker).order_by(Worker.number)).all()
    return [w for w in workers if w.area.code.startswith(district_code) == inside]


def _a_case(district_code: str, *, inside: bool) -> Case:
    clause = Case.area_code.startswith(district_code)
    return db.session.scalars(sa.select(Case).where(clause if inside else sa.not_(clause)).limit(1)).one()


def test_the_second_districts_staff_see_only_their_district(app):
    demo = build_demo()
    assert set(district.STAFF) <= set(demo["users"])
    own, others = _workers_of("320106", inside=True), _workers_of("320106", inside=False)
    assert len(own) >= 10 and others
    for username in ("hr2", "viewer2"):
        client = _client(app, username)
        listed = set(NUMBER.findall(client.get("/registry/workers").get_data(as_text=True)))
        assert listed == {w.number for w in own}, username
        assert client.get(f"/registry/workers/{own[0].id}").status_code == 200
        assert client.get(f"/registry/workers/{others[0].id}").status_code == 403
    dispatcher = _client(app, "dispatcher2")
    assert dispatcher.get(f"/cases/{_a_case('320106', inside=True).id}").status_code == 200
    assert dispatcher.get(f"/cases/{_a_case('320106', inside=False).id}").status_code in (403, 404)
    instructor = _client(app, "instructor2")
    courses = {c.code: c for c in db.session.scalars(sa.select(Course))}
    assert instructor.get(f"/courses/{courses[district.COURSE[0]].id}/roster").status_code == 200
    assert instructor.get(f"/courses/{courses['GA-PRE-2026-01'].id}/roster").status_code == 403
    city_hr = _client(app, "hr")  # the first demo users stay city-wide
    assert city_hr.get(f"/registry/workers/{own[0].id}").status_code == 200


def _district_without_cases() -> dict:
    demo: dict = {}
    for step in (accounts.create_demo_users, registry.build_demo_registry, district.build_second_district,
                 syllabus.create_demo_syllabus, enrollment.create_demo_courses, district.create_district_course):
        step(demo)
    return demo


def test_workers_awaiting_activation_and_trainee2s_course(app):
    demo = _district_without_cases()
    awaiting = demo["second_district"]["awaiting"]
    assert len(awaiting) == district.AWAITING
    for worker in awaiting:
        user = db.session.get(User, worker.user_id)
        assert user.username == worker.number.lower() and user.last_login_at is None
        assert worker.status == WorkerStatus.IN_TRAINING and worker.area.code.startswith("320106")
    hr2 = _client(app, "hr2")
    page = hr2.get(f"/registry/workers/{awaiting[0].id}").get_data(as_text=True)
    assert "Print a new activation letter" in page  # the activation path starts here
    trainee2 = _client(app, "trainee2")
    mine = trainee2.get("/training/mine").get_data(as_text=True)
    assert district.COURSE[1] in mine and "新录用网格员岗前培训（2026年第一期）" not in mine.replace(district.COURSE[1], "")
