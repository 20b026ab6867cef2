"""Helpers the tests share: databases to test on, CSRF-aware form posts, log-ins."""
from __future__ import annotations

import json
import os
import re
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

PASSWORD = "Correct-Horse-42"
CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def services_required() -> bool:
    """In CI (and on the PostgreSQL run) a missing service fails the run instead of skipping."""
    return os.environ.get("CI", "").lower() in ("1", "true") or bool(os.environ.get("ACADEMY_TEST_REQUIRE_SERVICES"))


def postgres_url() -> str | None:
    return os.environ.get("ACADEMY_TEST_DATABASE_URL") or None


def sibling_database(url: str, suffix: str) -> str:
    """The URL of another database on the same PostgreSQL server (e.g. for committed tests)."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=parts.path + suffix))


def ensure_postgres_database(url: str) -> None:
    """Create the database of ``url`` if it is missing, and give it an empty public schema."""
    parts = urlsplit(url.replace("postgresql+psycopg", "postgresql"))
    name = parts.path.lstrip("/")
    admin_url = urlunsplit(parts._replace(path="/postgres"))
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
                conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        if services_required():
            raise
        pytest.skip(f"PostgreSQL is not reachable: {error}")  # never in CI: services_required() raises there
    with psycopg.connect(urlunsplit(parts), autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


def csrf_token(client, path: str = "/login") -> str:
    """A CSRF token valid for ``client``'s session, read from a page's form."""
    page = client.get(path)
    match = CSRF_PATTERN.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} ({page.status_code})"
    return match.group(1)


def post_form(client, url: str, data: dict | None = None, token_from: str = "/login", **kwargs):
    """POST ``data`` with a valid CSRF token, as a browser would after loading a form."""
    payload = dict(data or {})
    payload.setdefault("csrf_token", csrf_token(client, token_from))
    return client.post(url, data=payload, **kwargs)


def log_in(client, username: str, password: str = PASSWORD):
    response = post_form(client, "/login", {"username": username, "password": password})
    assert response.status_code == 302, f"log-in of {username} failed with {response.status_code}"
    return response


def race(app, action, args, timeout: float = 300) -> list[BaseException]:
    """Run ``action(arg)`` for each of ``args`` in its own thread, application context, session and
    connection (as gunicorn workers would), released together by a barrier; each commits. Returns
    the errors raised."""
    import threading

    from academy.extensions import db

    barrier = threading.Barrier(len(args))
    errors: list[BaseException] = []

    def run(arg):
        with app.app_context():
            try:
                barrier.wait(timeout=60)
                action(arg)
                db.session.commit()
            except BaseException as error:  # noqa: BLE001  (returned to the test)
                db.session.rollback()
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=run, args=(arg,)) for arg in args]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return errors


def log_in_page(page, base: str, username: str, password: str = PASSWORD) -> None:
    """Log in through the log-in page in a Playwright ``page``."""
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"{base}/")


def sit_true_false_exam(page, base: str, exam_id: int, questions: int) -> None:
    """Start the exam in a Playwright ``page``, answer "true" to each of its true/false questions, hand in,
    and wait for the score."""
    page.goto(f"{base}/exams/{exam_id}")
    page.click("[data-testid=start-exam]")
    page.wait_for_url(re.compile(r".*/attempts/\d+$"))
    for n in range(1, questions + 1):
        page.click(f"[data-testid=goto-{n}]")
        page.locator(f"[data-testid=question-{n}] input[value=T]").check()
    page.click("[data-testid=submit-exam]")
    page.click("[data-testid=handin-ok]")  # every question answered: the hand-in only asks to confirm
    page.wait_for_selector("[data-testid=score]")


class _ChartReader(HTMLParser):
    """Reads one chart figure (templates/macros/charts.html) of a page: its data and its table."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key, self.depth, self.data, self.head, self.rows, self.cell = key, 0, None, [], [], None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "figure" and (self.depth or attrs.get("data-testid") == f"chart-{self.key}"):
            self.depth += 1
        if not self.depth:
            return
        if "data-chart" in attrs:
            self.data = json.loads(attrs["data-chart"])
        if tag == "tr":
            self.rows.append([])
        if tag in ("th", "td"):
            self.cell = ""

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

    def handle_endtag(self, tag):
        if self.depth and tag in ("th", "td"):
            self.rows[-1].append(self.cell.strip())
            self.cell = None
        if self.depth and tag == "figure":
            self.depth -= 1


def read_chart(html: str, key: str) -> tuple[dict | None, list[str], list[list[str]]]:
    """The chart ``key`` of a page as a person's tools see it: the data the script draws (None when the
    figure says there is nothing to draw), the table's header and its rows (category, then one cell a series)."""
    reader = _ChartReader(key)
    reader.feed(html)
    assert reader.rows, f"no chart {key!r} on the page"
    return reader.data, reader.rows[0], reader.rows[1:]


class JsonPeer(BaseHTTPRequestHandler):
    """The answering half of a local HTTP peer the tests start (an SMS provider, a chat robot):
    ``_answer`` sends a JSON body, and the server's log stays quiet."""

    def _answer(self, status: int, body: dict):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass
