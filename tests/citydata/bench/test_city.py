"""``flask academy bench-data``: a small city built in bulk keeps the rules the operations keep.

The city is built once per database (SQLite, or PostgreSQL on the PostgreSQL run) and checked with
the app's own rules: codes, ID numbers and their hashes, worker and case numbers and the counters
behind them, case timelines against the workflow table, milestones in order, lights, enrolments
against their workflow and capacity, hours as ``recompute`` counts them, attempts as the exam engine
grades them; then the most used pages open for the roles that use them.
"""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from academy import create_app
from academy.config import TestConfig
from academy.extensions import db
from tests.conftest import IsolatedClient
from tests.support import ensure_postgres_database, postgres_url, sibling_database

pytestmark = pytest.mark.own_database
SMALL = ["--grids", "30", "--workers", "35", "--cases", "2000", "--logs", "6000", "--trainees", "30"]


def _instance(tmp_path_factory, name: str):
    url = postgres_url()
    folder = tmp_path_factory.mktemp(name)
    if url:
        url = sibling_database(url, f"_{name}")
        ensure_postgres_database(url)
    else:
        url = f"sqlite:///{folder / 'bench.db'}"
    app = create_app(TestConfig(url, folder))
    app.test_client_class = IsolatedClient  # the test holds an app context; requests get their own
    with app.app_context():
        upgrade()
    return app


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    app = _instance(tmp_path_factory, "benchdata")
    result = app.test_cli_runner().invoke(args=["academy", "bench-data", *SMALL])
    assert result.exit_code == 0, result.output
    with app.app_context():
        yield app, result.output
        db.session.remove()
        db.engine.dispose()


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_counts_match_what_was_asked(city):
    from academy.accounts.models import User
    from academy.cases.models import Case, Patrol, Visit
    from academy.registry.models import Grid, Worker

    _app, output = city
    assert (_count(Grid), _count(Worker), _count(Case)) == (30, 35, 2000)
    assert db.session.scalar(sa.select(sa.func.count(User.id)).where(User.username.like("b3201-t%"))) == 30
    assert db.session.scalar(sa.select(sa.func.count(Worker.id)).where(Worker.user_id.is_not(None))) == 30
    assert 4000 <= _count(Patrol) + _count(Visit) <= 9000  # "about" the 6,000 asked for
    assert re.search(r"cases\s+2,000", output)


def test_area_and_grid_codes_follow_the_registry_rules(city):
    from academy.registry.models import Area, Grid
    from academy.registry.operations.areas import level_of_code, validate_grid_code

    areas = {area.id: area for area in db.session.scalars(sa.select(Area))}
    for area in areas.values():
        assert level_of_code(area.code) == area.level and area.code.isdigit()
        if area.parent_id:
            assert area.code.startswith(areas[area.parent_id].code)
    for grid in db.session.scalars(sa.select(Grid)):
        assert validate_grid_code(grid.code, grid.kind, areas[grid.community_id].code) is None
        assert (grid.unit_type is not None) == (grid.kind == "exclusive")


def test_id_numbers_are_valid_encrypted_hashed_and_unique(city):
    from academy import crypto, numbers
    from academy.registry import idnumbers
    from academy.registry.models import Worker
    from academy.registry.operations.workers import NUMBER_SERIES, reveal_id_number, worker_number

    workers = list(db.session.scalars(sa.select(Worker)))
    plain = [reveal_id_number(worker, None, log=False) for worker in workers]
    assert len(set(plain)) == len(workers)
    for worker, number in zip(workers, plain, strict=True):
        assert idnumbers.is_valid(number)
        assert worker.id_number_hash == crypto.keyed_hash(number) and worker.id_number_masked == idnumbers.mask(number)
        assert worker.birth_date == idnumbers.birth_date_of(number)
        assert worker.gender == ("male" if int(number[16]) % 2 else "female")
        assert worker.area.code == worker.assignments[0].grid.code[:9]
    assert sorted(w.number for w in workers) == [worker_number(n) for n in range(1, 36)]
    assert numbers.next_value(NUMBER_SERIES) == 36  # the next worker recorded on the site continues the series
    db.session.rollback()


def test_case_timelines_follow_the_workflow_and_milestones_are_in_order(city):
    from academy.cases.models import OPEN_STATES, Case, CaseEvent
    from academy.cases.workflow import CASE_TRANSITIONS

    events: dict[int, list] = {}
    for event in db.session.scalars(sa.select(CaseEvent).order_by(CaseEvent.id)):
        events.setdefault(event.case_id, []).append(event)
    for case in db.session.scalars(sa.select(Case)):
        state = "draft"
        for event in events[case.id]:
            if event.action in CASE_TRANSITIONS:
                assert event.from_state == state, (case.number, event.action)
                assert state in CASE_TRANSITIONS[event.action].sources
                state = event.to_state
        assert state == case.state
        times = [t for t in (case.reported_at, case.accepted_at, case.dispatched_at, case.handled_at, case.closed_at,
                             case.visited_at) if t is not None]
        assert times == sorted(times), case.number
        assert [e.at for e in events[case.id]] == sorted(e.at for e in events[case.id])
        if case.closed_at is not None:
            assert case.closed_on_time == (case.closed_at <= case.due_at)
        assert (case.stage_due_at is not None) == (case.state in OPEN_STATES), case.number


def test_case_numbers_continue_in_the_counters(city):
    from academy.cases.models import Case
    from academy.cases.operations import calendar_snapshot
    from academy.cases.operations.intake import case_number

    zone = calendar_snapshot().zone
    latest = db.session.scalar(sa.select(Case).order_by(Case.id.desc()).limit(1))
    day = latest.reported_at.astimezone(zone).date()
    assert latest.number[:14] == f"{latest.area_code[:6]}{day:%Y%m%d}"
    highest = db.session.scalar(sa.select(sa.func.max(Case.number)).where(Case.number.startswith(latest.number[:14])))
    assert case_number(latest.area_code, day) == f"{latest.number[:14]}{int(highest[-4:]) + 1:04d}"
    db.session.rollback()


def test_enrolments_hours_and_attempts_are_what_the_operations_make(city):
    from courses.enrollment.models import Course, Enrollment, EnrollmentState
    from courses.enrollment.operations import TRANSITIONS, seats_taken
    from courses.exams.grading import grade
    from courses.exams.models import Attempt, AttemptState
    from courses.exams.operations.attempts import _total
    from courses.lessons.operations import recompute

    for course in db.session.scalars(sa.select(Course)):
        assert seats_taken(course) <= course.capacity
    enrollments = list(db.session.scalars(sa.select(Enrollment)))
    assert enrollments
    for enrollment in enrollments:
        chain = [(t.from_state, t.to_state) for t in enrollment.transitions]
        assert all(step in TRANSITIONS for step in chain) and chain[-1][1] == enrollment.state
        hours, percent = enrollment.online_hours, enrollment.progress_percent
        recompute(enrollment)
        assert (enrollment.online_hours, enrollment.progress_percent) == (hours, percent)
    for attempt in db.session.scalars(sa.select(Attempt)):
        families = [item.question.family_id for item in attempt.items]
        assert len(families) == len(set(families)) and attempt.closed_at <= attempt.deadline_at
        for item in attempt.items:
            if item.question.type != "essay":
                assert item.earned == grade(item.question.answer_key(), item.response, item.points)
        score, passed = attempt.score, attempt.passed
        _total(attempt)
        assert (attempt.score, attempt.passed) == (score, passed)
        enrollment = next(e for e in enrollments if e.worker_id == attempt.worker_id and e.course_id == attempt.exam.course_id)
        if enrollment.state == EnrollmentState.COMPLETED and attempt.state == AttemptState.GRADED:
            assert attempt.graded_at <= enrollment.finished_at
    db.session.rollback()


def test_syllabus_units_name_the_citys_case_categories_and_courses_are_measured(city):
    """The units name codes of the city's top-level case categories (the training needs recommend and
    the training effect measures courses by them), not words no category carries."""
    from academy.cases.models import Category
    from courses.enrollment import effect
    from courses.syllabus.models import SyllabusUnit

    named = {code for unit in db.session.scalars(sa.select(SyllabusUnit)) for code in unit.case_categories or []}
    roots = set(db.session.scalars(sa.select(Category.code).where(Category.parent_id.is_(None))))
    assert named and named <= roots
    linked = effect.course_roots()
    assert linked and set().union(*linked.values()) <= roots
    db.session.rollback()


def test_the_most_used_pages_open_for_their_users(city):
    from citydata.bench.pages import ALSO_TIMED, MOST_USED, pages
    from tests.support import log_in

    app, _output = city
    found = pages("3201")
    db.session.rollback()  # outside requests SQLite transactions take the write lock: free it for the log-ins
    assert {page.name for page in found} == set(MOST_USED) | set(ALSO_TIMED)
    clients = {}
    for page in found:
        if page.username not in clients:
            clients[page.username] = app.test_client()
            if page.username:
                log_in(clients[page.username], page.username, app.config["DEMO_PASSWORD"])
        response = clients[page.username].get(page.path)
        assert response.status_code == 200, (page.name, page.path, response.status_code)


def test_a_database_with_data_is_refused_and_append_adds_a_second_city(city):
    from academy.registry.models import Area, Worker

    app, _output = city
    runner = app.test_cli_runner()
    refused = runner.invoke(args=["academy", "bench-data", *SMALL])
    assert refused.exit_code != 0 and "not empty" in refused.output
    added = runner.invoke(args=["academy", "bench-data", "--append", "--grids", "6", "--workers", "6", "--cases", "50",
                                "--logs", "50", "--trainees", "3"])
    assert added.exit_code == 0, added.output
    assert db.session.scalar(sa.select(Area.name).where(Area.code == "3202")) is not None
    hashes = list(db.session.scalars(sa.select(Worker.id_number_hash)))
    assert len(hashes) == len(set(hashes)) == 41


def test_impossible_sizes_are_refused_before_anything_is_written(tmp_path_factory):
    app = _instance(tmp_path_factory, "benchdata_bad")
    runner = app.test_cli_runner()
    for args, message in ((["--workers", "5", "--trainees", "6"], "cannot exceed"),
                          (["--grids", "0"], "0"), (["--cases", "-1"], "-1"), (["--grids", "x"], "x")):
        result = runner.invoke(args=["academy", "bench-data", *args])
        assert result.exit_code != 0 and message in result.output
    with app.app_context():
        from academy.registry.models import Area

        assert _count(Area) == 0
        db.engine.dispose()


def test_a_history_that_ends_now_leaves_recent_cases_open(city):
    from academy.cases.models import OPEN_STATES, Case
    from academy.database import utcnow

    recent = db.session.scalars(sa.select(Case).where(Case.reported_at > utcnow() - timedelta(hours=6))).all()
    assert all(case.reported_at <= utcnow() for case in recent)
    assert db.session.scalar(sa.select(sa.func.count(Case.id)).where(Case.state.in_(OPEN_STATES))) > 0
