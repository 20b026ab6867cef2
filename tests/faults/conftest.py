"""Private servers for the fault tests: a PostgreSQL cluster and a Redis of their own, on free
ports in temporary folders, so a test may stop, restart or kill them. The shared servers on 5432
and 6379 are never touched.

Also the tools of the gunicorn tests: a private gunicorn on an app's database, a minimal client
over a real socket, and ``waiting_query`` to find the request that the test stopped inside its
transaction. The way to stop a request at a known point: hold, from a connection of the test's
own, the row lock on a row the request is about to write; the request waits there, in the middle
of its transaction, for as long as the test likes (to kill its worker, or to let a deadline pass).
No code of the application has to know about it."""
from __future__ import annotations

import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest

from academy import create_app
from academy.config import BASE_DIR, TestConfig
from academy.extensions import db
from tests.conftest import IsolatedClient
from tests.support import CSRF_PATTERN, PASSWORD

PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1] if Path("/usr/lib/postgresql").exists() else None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing answers on port {port}")


def _as_postgres(args: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: run its tools as the postgres user then."""
    return ["runuser", "-u", "postgres", "--", *args] if os.geteuid() == 0 else args


@dataclass
class PrivatePostgres:
    folder: Path
    port: int

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        subprocess.run(_as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.folder / "data"), "-w", "-t", "60",
                                     *args]), check=True, capture_output=True)

    def start(self) -> None:
        self._ctl("-l", str(self.folder / "log"), "-o", f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                  "-c fsync=off -c shared_buffers=16MB", "start")

    def stop(self) -> None:
        self._ctl("-m", "fast", "stop")

    def restart(self) -> None:
        """Stop (disconnecting every client, as a crash or a failover does) and start again."""
        self.stop()
        self.start()

    @property
    def libpq_url(self) -> str:
        """The URL for a plain psycopg connection of the test's own (a lock holder, an observer)."""
        return self.url.replace("postgresql+psycopg", "postgresql")

    def new_database(self, name: str) -> str:
        """A fresh, empty database in this cluster (one per test of a module); its SQLAlchemy URL."""
        with psycopg.connect(self.libpq_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url.rsplit("/", 1)[0] + f"/{name}"


@pytest.fixture(scope="module")
def private_postgres():
    """A PostgreSQL cluster of this module's own (initdb in a temporary folder, a free port).

    The folder is made directly under the system's temporary folder: pytest's own are private to
    the user running the tests, and the postgres user could not reach inside them."""
    if PG_BIN is None:
        pytest.fail("PostgreSQL's server programs (initdb, pg_ctl) are needed for the fault tests")
    folder = Path(tempfile.mkdtemp(prefix="academy-fault-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    subprocess.run(_as_postgres([str(PG_BIN / "initdb"), "-D", str(folder / "data"), "-U", "postgres", "-A", "trust",
                                 "--no-sync"]), check=True, capture_output=True)
    server = PrivatePostgres(folder, free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class PrivateRedis:
    port: int
    process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                                         "--appendonly", "no"], stdout=subprocess.DEVNULL)
        wait_for_port(self.port)

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


@pytest.fixture
def private_redis():
    if shutil.which("redis-server") is None:
        pytest.fail("redis-server is needed for the fault tests")
    server = PrivateRedis(free_port())
    server.start()
    yield server
    server.kill()


def children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


def kill_tree(pid: int) -> None:
    """SIGKILL a process and all its descendants (an RQ work horse leaves its parent's group)."""
    tree, todo = [], [pid]
    while todo:
        current = todo.pop()
        tree.append(current)
        todo += children(current)
    for member in tree:
        try:
            os.kill(member, signal.SIGKILL)
        except ProcessLookupError:
            pass


def make_app(database_url: str, instance: Path, **settings):
    """An application with the schema created, its test client isolated per request.

    It speaks English by default: during an outage no user can be loaded to choose a language,
    and jobs speak the default one, so the tests read the English messages."""
    app = create_app(TestConfig(database_url, instance, **settings))
    app.config["BABEL_DEFAULT_LOCALE"] = "en"
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
    return app


# ---- a private gunicorn and a client for it --------------------------------------------------


@contextmanager
def gunicorn(app, workers: int = 1):
    """gunicorn serving ``wsgi:app`` on ``app``'s database, instance and files; yields (port, master).

    Its own settings come from the environment, as in production; the secret key is the one kept in
    the shared instance folder, so sessions made by either side are valid on both."""
    port = free_port()
    env = {**os.environ, "ACADEMY_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "ACADEMY_INSTANCE_PATH": app.config["INSTANCE_PATH"], "ACADEMY_FILES_DIR": app.config["FILES_DIR"]}
    master = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-w", str(workers), "-b",
                               f"127.0.0.1:{port}", "--timeout", "120", "wsgi:app"], cwd=BASE_DIR, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(port)
        deadline = time.monotonic() + 60
        while len(children(master.pid)) < workers and time.monotonic() < deadline:
            time.sleep(0.1)
        yield port, master
    finally:
        master.terminate()
        master.wait(timeout=30)


def replacement_worker(master, killed: int, timeout: float = 60) -> int:
    """The worker the gunicorn master started in place of the ``killed`` one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        fresh = [pid for pid in children(master.pid) if pid != killed]
        if fresh:
            return fresh[0]
        time.sleep(0.1)
    raise TimeoutError("the master never started a new worker")


class Browser:
    """A minimal client over a real socket, keeping the session cookie (share it for a second tab)."""

    def __init__(self, port: int, cookie: str = "") -> None:
        self.port, self.cookie = port, cookie

    def request(self, method: str, path: str, body: bytes = b"", content_type: str = "", timeout: float = 120,
                headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        headers = dict(headers or {})
        if self.cookie:
            headers["Cookie"] = self.cookie
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

    def post_form(self, path: str, fields: dict, token_from: str | None = None):
        body = urlencode({"csrf_token": self.token(token_from or path), **fields}).encode()
        return self.request("POST", path, body, "application/x-www-form-urlencoded")

    def log_in(self, username: str) -> None:
        status, _ = self.post_form("/login", {"username": username, "password": PASSWORD})
        assert status == 302


def waiting_query(admin, timeout: float = 60, count: int = 1) -> tuple[int, str]:
    """The backend (pid, query) that waits for a lock: the request, stopped in its transaction.

    With ``count``, first wait until that many backends wait (the others queued behind it)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = admin.execute("SELECT pid, query FROM pg_stat_activity WHERE wait_event_type = 'Lock' "
                             "ORDER BY query_start").fetchall()
        if len(rows) >= count:
            return rows[0]
        time.sleep(0.05)
    raise TimeoutError("the request never reached the lock")


def wait_backend_gone(admin, backend: int, timeout: float = 30) -> None:
    """Wait until a killed request's backend has ended (rolled back, its locks released)."""
    deadline = time.monotonic() + timeout
    while admin.execute("SELECT 1 FROM pg_stat_activity WHERE pid = %s", (backend,)).fetchone():
        if time.monotonic() > deadline:
            raise TimeoutError("the killed request's backend never ended")
        time.sleep(0.05)
