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
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa

from academy import numbers
from academy.accounts.operations import create_user, grant_role
from academy.config import BASE_DIR
from academy.extensions import db
from academy.permissions import Role
from academy.registry.models import Area, Grid, Worker
from academy.registry.operations.workers import NUMBER_SERIES
from tests.academy.registry.workbooks import city_rows, xlsx
from tests.faults.conftest import children, free_port, make_app, wait_for_port
from tests.support import CSRF_PATTERN, PASSWORD

pytestmark = [pytest.mark.fault, pytest.mark.own_database]


@pytest.fixture
def served(tmp_path, private_postgres):
    """gunicorn with one worker on the private PostgreSQL; yields (port, master process, app)."""
    instance = tmp_path / "instance"
    app = make_app(private_postgres.url, instance)
    with app.app_context():
        user = create_user("hr-gun", PASSWORD, by=None)
        grant_role(user, Role.HR, by=None)
        numbers.next_value(NUMBER_SERIES)  # the counter row exists, so there is a row to lock
        db.session.commit()
    port = free_port()
    env = {**os.environ, "ACADEMY_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "ACADEMY_INSTANCE_PATH": str(instance), "ACADEMY_FILES_DIR": app.config["FILES_DIR"]}
    master = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-w", "1", "-b", f"127.0.0.1:{port}",
                               "--timeout", "120", "wsgi:app"], cwd=BASE_DIR, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wait_for_port(port)
    yield port, master, app
    master.terminate()
    master.wait(timeout=30)
    with app.app_context():
        db.engine.dispose()


class Browser:
    """A minimal client over a real socket, keeping the session cookie."""

    def __init__(self, port: int) -> None:
        self.port, self.cookie = port, ""

    def request(self, method: str, path: str, body: bytes = b"", content_type: str = "", timeout: float = 120):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        if content_type:
            headers["Content-Type"] = content_type
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        conn.close()
        return response.status, data

    def token(self, path: str) -> str:
        _status, page = self.request("GET", path)
        return CSRF_PATTERN.search(page.decode()).group(1)

    def log_in(self, username: str) -> None:
        from urllib.parse import urlencode

        body = urlencode({"csrf_token": self.token("/login"), "username": username, "password": PASSWORD}).encode()
        status, _ = self.request("POST", "/login", body, "application/x-www-form-urlencoded")
        assert status == 302

    def upload(self, data: bytes, filename: str, timeout: float = 120):
        boundary = "academyfaulttest"
        parts = [f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n"
                 f"{self.token('/registry/import')}\r\n".encode(),
                 f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\n"
                 "Content-Type: application/octet-stream\r\n\r\n".encode() + data + b"\r\n", f"--{boundary}--\r\n".encode()]
        return self.request("POST", "/registry/import", b"".join(parts), f"multipart/form-data; boundary={boundary}",
                            timeout)


def registry_counts(app) -> tuple[int, int, int]:
    with app.app_context():
        return tuple(db.session.scalar(sa.select(sa.func.count()).select_from(model)) for model in (Area, Grid, Worker))


def waiting_query(admin, timeout: float = 60) -> tuple[int, str]:
    """The backend (pid, query) that waits for a lock: the request, stopped in its transaction."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = admin.execute("SELECT pid, query FROM pg_stat_activity WHERE wait_event_type = 'Lock'").fetchone()
        if row:
            return row
        time.sleep(0.05)
    raise TimeoutError("the request never reached the counter")


def test_a_worker_killed_mid_request(served, private_postgres):
    port, master, app = served
    browser = Browser(port)
    browser.log_in("hr-gun")
    data = xlsx(city_rows())
    (worker,) = children(master.pid)
    outcome = {}

    def send():
        try:
            outcome["status"] = browser.upload(data, "city.xlsx")[0]
        except (ConnectionError, http.client.HTTPException) as error:
            outcome["error"] = error

    url = private_postgres.url.replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(url) as holder, psycopg.connect(url, autocommit=True) as admin:
        holder.execute("SELECT value FROM counters WHERE name = %s FOR UPDATE", (NUMBER_SERIES,))
        thread = threading.Thread(target=send)
        thread.start()
        backend, query = waiting_query(admin)
        assert "UPDATE counters" in query, "stopped after writing areas and grids, at the workers"
        os.kill(worker, signal.SIGKILL)
        thread.join(timeout=60)
        holder.rollback()  # the stopped backend goes on, finds its client gone, rolls back
        deadline = time.monotonic() + 30
        while admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (backend,)).fetchone():
            assert time.monotonic() < deadline, "the killed request's backend never ended"
            time.sleep(0.05)
    assert "error" in outcome, f"the killed request was answered: {outcome}"
    assert registry_counts(app) == (0, 0, 0), "nothing of the killed request is written"

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not [pid for pid in children(master.pid) if pid != worker]:
        time.sleep(0.1)
    assert browser.request("GET", "/healthz")[0] == 200, "a new worker serves"
    assert browser.request("GET", "/registry/import")[0] == 200, "the session survived the worker"
    assert browser.upload(data, "city.xlsx")[0] == 302
    written = registry_counts(app)
    assert written[1:] == (3, 2)
    assert browser.upload(data, "city.xlsx")[0] == 302 and registry_counts(app) == written  # nothing doubled
