"""Many writers at once: no "database is locked", no duplicate numbers (SQLite and PostgreSQL)."""
from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from academy.accounts.models import User
from academy.accounts.operations import create_user, grant_role
from academy.extensions import db
from academy.numbers import next_value
from academy.permissions import Role
from tests.support import PASSWORD, log_in

pytestmark = pytest.mark.concurrency


def _run_in_threads(count: int, work) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def runner(n: int) -> None:
        try:
            barrier.wait()
            work(n)
        except BaseException as error:  # collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=runner, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_twenty_concurrent_log_ins_all_succeed(live_app):
    with live_app.app_context():
        for n in range(20):
            grant_role(create_user(f"busy{n}", PASSWORD, by=None), Role.VIEWER, by=None)
        db.session.commit()

    def log_in_once(n: int) -> None:
        log_in(live_app.test_client(), f"busy{n}")  # reads the user, then writes last_login_at

    assert _run_in_threads(20, log_in_once) == []
    with live_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id)).where(User.last_login_at.is_not(None))) == 20


def test_twenty_threads_allocating_numbers_never_collide(live_app):
    values: list[int] = []
    lock = threading.Lock()

    def allocate(_n: int) -> None:
        with live_app.app_context():
            value = next_value("test-series")
            db.session.commit()
            with lock:
                values.append(value)

    assert _run_in_threads(20, allocate) == []
    assert sorted(values) == list(range(1, 21))
