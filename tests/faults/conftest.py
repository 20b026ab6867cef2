"""Private servers for the fault tests: a PostgreSQL cluster and a Redis of their own, on free
ports in temporary folders, so a test may stop, restart or kill them. The shared servers on 5432
and 6379 are never touched."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from academy import create_app
from academy.config import TestConfig
from academy.extensions import db
from tests.conftest import IsolatedClient

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
