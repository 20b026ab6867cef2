"""A gunicorn worker killed in the middle of a request: the request is lost whole (nothing of it
written), the master starts a new worker, the next requests are served, and sending the same
request again does the work once.

The request is a registry import (areas, grids, workers). To kill it at a known point, after it
has written the areas and grids and while it allocates worker numbers, the test holds the lock on
the worker-number counter from a connection of its own (PostgreSQL, a private cluster): the
request waits there, in the middle of its transaction, until the worker is killed."""
from __future__ import annotations

import http.client
import os
import signal
import threading

import psycopg
import pytest
import sqlalchemy as sa

from academy import numbers
from academy.accounts.operations import create_user, grant_role
from academy.extensions import db
from academy.permissions import Role
from academy.registry.models import Area, Grid, Worker
from academy.registry.operations.workers import NUMBER_SERIES
from tests.academy.registry.workbooks import city_rows, xlsx
from tests.faults.conftest import (
    Browser,
    children,
    gunicorn,
    make_app,
    replacement_worker,
    wait_backend_gone,
    waiting_query,
)
from tests.support import PASSWORD

pytestmark = [pytest.mark.fault, pytest.mark.own_database]


@pytest.fixture
def served(tmp_path, private_postgres):
    """gunicorn with one worker on the private PostgreSQL; yields (port, master process, app)."""
    app = make_app(private_postgres.url, tmp_path / "instance")
    with app.app_context():
        user = create_user("hr-gun", PASSWORD, by=None)
        grant_role(user, Role.HR, by=None)
        numbers.next_value(NUMBER_SERIES)  # the counter row exists, so there is a row to lock
        db.session.commit()
    with gunicorn(app) as (port, master):
        yield port, master, app
    with app.app_context():
        db.engine.dispose()


def upload(browser: Browser, data: bytes, filename: str, timeout: float = 120):
    boundary = "academyfaulttest"
    parts = [f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
             f"{browser.token('/registry/import')}\r\n".encode(),
             f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
             "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n", f"--{boundary}--\r\n".encode()]
    return browser.request("POST", "/registry/import", b"".join(parts), f"multipart/form-data; boundary={boundary}",
                           timeout)


def registry_counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in (Area, Grid, Worker))


def test_a_worker_killed_mid_request(served, private_postgres):
    port, master, app = served
    browser = Browser(port)
    browser.log_in("hr-gun")
    data = xlsx(city_rows())
    (worker,) = children(master.pid)
    outcome = {}

    def send():
        try:
            outcome["status"] = upload(browser, data, "city.xlsx")[0]
        except (ConnectionError, http.client.HTTPException) as error:
            outcome["error"] = error

    url = private_postgres.libpq_url
    with psycopg.connect(url) as holder, psycopg.connect(url, autocommit=True) as admin:
        holder.execute("SELECT value FROM counters WHERE name = %s FOR UPDATE", (NUMBER_SERIES,))
        thread = threading.Thread(target=send)
        thread.start()
        backend, query = waiting_query(admin)
        assert "UPDATE counters" in query, "stopped after writing areas and grids, at the workers"
        os.kill(worker, signal.SIGKILL)
        thread.join(timeout=60)
        holder.rollback()  # the stopped backend goes on, finds its client gone, rolls back
        wait_backend_gone(admin, backend)
    assert "error" in outcome, f"the killed request was answered: {outcome}"
    assert registry_counts(app) == (0, 0, 0), "nothing of the killed request is written"

    replacement_worker(master, worker)
    assert browser.request("GET", "/healthz")[0] == 200, "a new worker serves"
    assert browser.request("GET", "/registry/import")[0] == 200, "the session survived the worker"
    assert upload(browser, data, "city.xlsx")[0] == 302
    written = registry_counts(app)
    assert written[1:] == (3, 2)
    assert upload(browser, data, "city.xlsx")[0] == 302 and registry_counts(app) == written  # nothing doubled
