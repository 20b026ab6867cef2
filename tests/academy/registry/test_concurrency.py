"""Many HR users at once: grid codes never collide, and a worker never holds a grid twice,
however the requests interleave (SQLite and PostgreSQL, with real commits)."""
from __future__ import annotations

import threading
from datetime import date

import pytest
import sqlalchemy as sa

from academy.extensions import db
from academy.registry import operations as ops
from academy.registry.models import Area, Assignment, AssignmentRole, Grid, Worker
from tests.fixtures.registry import create_worker, get_or_create_area

pytestmark = pytest.mark.concurrency


def run_in_threads(count: int, work) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def runner(n: int) -> None:
        try:
            barrier.wait()
            work(n)
        except BaseException as error:  # collected and asserted by the test
            errors.append(error)

    threads = [threading.Thread(target=runner, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_concurrent_grid_creation_gets_distinct_codes(live_app):
    with live_app.app_context():
        get_or_create_area("320102002001", "大行宫社区")
        db.session.commit()

    def create(n: int) -> None:
        with live_app.app_context():
            community = db.session.scalar(sa.select(Area).where(Area.code == "320102002001"))
            ops.create_grid(community, None, name=f"并发网格{n}", households=300, valid_from=date(2024, 1, 1))
            db.session.commit()

    assert run_in_threads(10, create) == []
    with live_app.app_context():
        codes = sorted(db.session.scalars(sa.select(Grid.code)))
    assert codes == [f"320102002001{n:03d}" for n in range(1, 11)]


def test_concurrent_assignments_of_the_same_grid_let_one_through(live_app):
    with live_app.app_context():
        community = get_or_create_area("320102002001", "大行宫社区")
        grid = ops.create_grid(community, None, name="网格", households=300, valid_from=date(2024, 1, 1))
        worker = create_worker("320102")
        db.session.commit()
        grid_id, worker_id = grid.id, worker.id

    def assign(_n: int) -> None:
        with live_app.app_context():
            try:
                ops.assign_worker(db.session.get(Worker, worker_id), db.session.get(Grid, grid_id), None,
                                  role=AssignmentRole.FULL_TIME, starts_on=date(2024, 3, 1))
                db.session.commit()
            except ops.RegistryError:
                db.session.rollback()

    assert run_in_threads(8, assign) == []
    with live_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Assignment.id))) == 1
