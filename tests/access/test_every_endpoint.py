"""Walk every endpoint of the application with every role and check the status each gets."""
from __future__ import annotations

import importlib
import pkgutil

import pytest

import tests.access as access_pkg
from academy.jobs import HANDLERS, job_handler
from academy.permissions import Role
from tests.access import HOME_AREA, OTHER_AREA, ROLES, SCOPED, World
from tests.support import log_in

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
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()} - PUBLIC_ENDPOINTS
    covered = {row.endpoint for row in ROWS}
    assert endpoints - covered == set(), "endpoints missing from tests/access tables"
    assert covered - endpoints == set(), "rows for endpoints that do not exist"


def _check_row_points_at_its_endpoint(app, row, url: str) -> None:
    """A row must request the endpoint it names, with a method that endpoint accepts."""
    adapter = app.url_map.bind("localhost")
    endpoint, _args = adapter.match(url.split("?")[0], method=row.method)
    assert endpoint == row.endpoint, f"{url} is {endpoint}, the row says {row.endpoint}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("row", ROWS, ids=lambda row: f"{row.method} {row.endpoint}")
def test_access(app, make_user, row, role):
    world = make_world(make_user)
    _check_row_points_at_its_endpoint(app, row, row.resolve_url(world))
    client = app.test_client()
    if role != "anonymous":
        log_in(client, world.users[role].username)
    url = row.resolve_url(world)
    if row.method == "GET":
        response = client.get(url)
    else:
        from tests.support import csrf_token

        data = row.resolve_data(world)
        data["csrf_token"] = csrf_token(client, "/account" if role != "anonymous" else "/login")
        response = client.open(url, method=row.method, data=data)
    expected = row.status_for(role)
    assert response.status_code == expected, f"{role} {row.method} {url}: {response.status_code}, expected {expected}"
    if role == "anonymous" and "anonymous" not in row.expect:  # the default: sent to log in
        assert response.headers["Location"].startswith("/login"), f"a stranger is sent to {response.headers['Location']}"
