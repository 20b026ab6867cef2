"""Walk every endpoint of the application with every role and check the status each gets."""
from __future__ import annotations

import importlib
import pkgutil

import pytest

import tests.access as access_pkg
from academy.jobs import HANDLERS, job_handler
from academy.permissions import Role
from tests.access import HOME_AREA, OTHER_AREA, ROLES, SCOPED, Access, World
from tests.support import csrf_token, log_in

TABLES = [
    importlib.import_module(f"tests.access.{info.name}")
    for info in sorted(pkgutil.iter_modules(access_pkg.__path__), key=lambda i: i.name)
    if info.name.startswith("table_")
]
ROWS = [row for table in TABLES for row in table.ACCESS]
PUBLIC_ENDPOINTS = {"static", "bootstrap.static"}

if "test.echo" not in HANDLERS:
    job_handler("test.echo")(lambda ctx: {"message": "echo"})


def make_world(make_user) -> World:
    world = World()
    for role in ROLES:
        if role == "anonymous":
            continue
        base = role.removesuffix("_other")
        area = (OTHER_AREA if role.endswith("_other") else HOME_AREA) if base in SCOPED else None
        world.users[role] = make_user(role.replace("_", "-"), Role(base), area=area)
    for table in TABLES:
        if hasattr(table, "build"):
            table.build(world)
    return world


def test_every_endpoint_has_a_row(app):
    """Every method of every endpoint: a view that takes GET and POST gets a row for each."""
    endpoints = {(rule.endpoint, method) for rule in app.url_map.iter_rules() if rule.endpoint not in PUBLIC_ENDPOINTS
                 for method in rule.methods - {"HEAD", "OPTIONS"}}
    covered = {(row.endpoint, row.method) for row in ROWS}
    assert sorted(endpoints - covered) == [], "endpoints (and methods) missing from tests/access tables"
    assert sorted(covered - endpoints) == [], "rows for endpoints (or methods) that do not exist"


def _check_row_points_at_its_endpoint(app, row, url: str) -> None:
    """A row must request the endpoint it names, with a method that endpoint accepts."""
    adapter = app.url_map.bind("localhost")
    endpoint, _args = adapter.match(url.split("?")[0], method=row.method)
    assert endpoint == row.endpoint, f"{url} is {endpoint}, the row says {row.endpoint}"


def _sessions(app, world: World) -> dict[str, tuple[str | None, str]]:
    """Each role logged in once: its session cookie and a CSRF token that goes with it."""
    sessions = {}
    for role in ROLES:
        client = app.test_client()
        if role != "anonymous":
            log_in(client, world.users[role].username)
        token = csrf_token(client, "/account" if role != "anonymous" else "/login")
        cookie = client.get_cookie("session")
        sessions[role] = (cookie.value if cookie else None, token)
    return sessions


def _request(app, row: Access, url: str, data: dict, cookie: str | None, token: str):
    client = app.test_client()
    if cookie:
        client.set_cookie("session", cookie)
    if row.method == "GET":
        return client.get(url)
    return client.open(url, method=row.method, data={**data, "csrf_token": token})


def _mismatch(row: Access, role: str, url: str, response) -> str | None:
    expected = row.status_for(role)
    if response.status_code != expected:
        return f"{role} {row.method} {url}: {response.status_code}, expected {expected}"
    if role == "anonymous" and "anonymous" not in row.expect and not response.headers["Location"].startswith("/login"):
        return f"a stranger at {url} is sent to {response.headers['Location']}, not to log in"
    return None


@pytest.mark.parametrize("table", TABLES, ids=lambda table: table.__name__.rsplit(".", 1)[-1])
def test_access(app, make_user, db_session, table):
    """Every row of the table, every role. The world is built once; each request runs inside a
    savepoint that is rolled back, so no request sees what another one changed."""
    world = make_world(make_user)
    targets = [(row, row.resolve_url(world), row.resolve_data(world)) for row in table.ACCESS]
    for row, url, _data in targets:
        _check_row_points_at_its_endpoint(app, row, url)
    sessions = _sessions(app, world)
    connection = db_session.get_bind()
    mismatches = []
    for row, url, data in targets:
        for role in ROLES:
            savepoint = connection.begin_nested()
            try:
                response = _request(app, row, url, data, *sessions[role])
                mismatches.append(_mismatch(row, role, url, response))
            finally:
                savepoint.rollback()
    mismatches = [m for m in mismatches if m]
    assert not mismatches, f"{len(mismatches)} wrong answers:\n" + "\n".join(mismatches)
