"""Fixtures: an application per test session, each test in a transaction that is rolled back.

The suite runs on SQLite by default and on PostgreSQL when ACADEMY_TEST_DATABASE_URL is set
(`make test` does both). Tests that need real commits (concurrency, background threads, the
browser) use ``live_app``, a second application on its own database, emptied after each test.
"""
from __future__ import annotations

import contextvars
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import current_app
from flask.globals import _cv_app
from flask.testing import FlaskClient
from flask_sqlalchemy.session import _app_ctx_id
from sqlalchemy.orm import Session, scoped_session, sessionmaker
from werkzeug.serving import make_server

from academy import create_app
from academy.config import BASE_DIR, TestConfig
from academy.extensions import AppSession, db
from academy.jobs import run_pending_jobs
from academy.permissions import Role
from tests.support import PASSWORD, ensure_postgres_database, postgres_url, sibling_database

CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# Each package's factories live in tests/fixtures/<package>.py and are found here by name.
pytest_plugins = sorted(
    f"tests.fixtures.{path.stem}" for path in (Path(__file__).parent / "fixtures").glob("*.py") if path.stem != "__init__"
)


def pytest_sessionstart(session):
    # The catalogues are compiled by `make`; compile here too so a bare `pytest` tests the .po files as they are.
    subprocess.run(
        [str(Path(sys.executable).parent / "pybabel"), "compile", "-d", str(BASE_DIR / "academy" / "translations")], capture_output=True,
        check=True,
    )


class IsolatedClient(FlaskClient):
    """A test client whose requests get their own application context, as in production.

    Tests hold an application context to use the database; Flask would reuse it for the
    client's requests, sharing ``g`` (and the logged-in user) between requests and clients.
    """

    def open(self, *args, **kwargs):
        def request_in_fresh_context():
            _cv_app.set(None)
            return FlaskClient.open(self, *args, **kwargs)

        return contextvars.copy_context().run(request_in_fresh_context)


def _database(tmp_path_factory, suffix: str) -> str:
    url = postgres_url()
    if url:
        url = sibling_database(url, suffix) if suffix else url
        ensure_postgres_database(url)
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db' + suffix) / 'academy.db'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    app = create_app(TestConfig(_database(tmp_path_factory, ""), tmp_path_factory.mktemp("instance")))
    app.test_client_class = IsolatedClient
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


class _ConnectionSession(AppSession):
    """The app's session class, so its transaction hooks run, bound to the test's one connection:
    Flask-SQLAlchemy's own ``get_bind`` would pick the engine over that connection."""

    get_bind = Session.get_bind


@pytest.fixture(autouse=True)
def db_session(request, app):
    """Run the test inside one outer transaction on one connection, rolled back at the end."""
    if "live_app" in request.fixturenames or request.node.get_closest_marker("own_database"):
        yield None  # the test works on databases of its own, with real commits
        return
    with app.app_context():
        connection = db.engine.connect()
        outer = connection.begin()
        original = db.session
        on_connection = sessionmaker(bind=connection, class_=_ConnectionSession, db=db,
                                     join_transaction_mode="create_savepoint")

        def factory():
            # Only this app's contexts work on the test's connection. Another app's thread (the job
            # runner of a live server or of a fault test, starting late on a busy machine) keeps a
            # session of its own app: on this connection it rolled the test's savepoint back, and the
            # test lost its rows ("an answer is for a question outside this attempt").
            if current_app._get_current_object() is app:
                return on_connection()
            return original.session_factory()

        db.session = scoped_session(factory, scopefunc=_app_ctx_id)
        try:
            yield db.session
        finally:
            # Each step runs whatever the one before did: a failed test whose session cannot close
            # cleanly must not leave the next tests on its session or its open transaction (which
            # held its locks and stopped every later test on PostgreSQL, "database is locked" on SQLite).
            try:
                db.session.remove()
            finally:
                db.session = original
                try:
                    outer.rollback()
                except Exception:
                    connection.invalidate()  # its savepoints are beyond repair: the server ends the transaction
                connection.close()
                app.extensions["academy.pending_jobs"].clear()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def run_jobs(app):
    """Run the background jobs that the test's requests queued; returns how many ran."""
    return lambda: run_pending_jobs(app)


@pytest.fixture(scope="session")
def _live_app(tmp_path_factory):
    config = TestConfig(_database(tmp_path_factory, "_live"), tmp_path_factory.mktemp("live"), JOB_RUNNER="auto")
    app = create_app(config)
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def live_app(_live_app):
    """An application whose requests really commit; every table is emptied after the test."""
    yield _live_app
    with _live_app.app_context():
        db.session.remove()
        with db.engine.begin() as conn:
            for table in reversed(db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def make_user():
    """Create a user with roles, each optionally scoped: make_user("hr2", Role.HR, area="320102")."""
    from academy.accounts.operations import create_user, grant_role

    counter = {"n": 0}

    def factory(username: str | None = None, *roles: Role, area: str | None = None, password: str = PASSWORD):
        counter["n"] += 1
        user = create_user(username or f"user{counter['n']}", password, by=None)
        for role in roles:
            grant_role(user, role, by=None, area_code=area, area_label=area or "")
        return user

    return factory


@pytest.fixture
def count_rows():
    return lambda model: db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    path = BASE_DIR / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


@pytest.fixture
def live_server(live_app):
    """The live application served over HTTP on a free local port, in a thread."""
    server = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    """The system Chromium, driven by Playwright (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (no cookies) the size of a phone unless a test resizes it."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()
