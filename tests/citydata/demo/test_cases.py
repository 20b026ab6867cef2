"""The demo step: nothing without the registry's demo data, a full spread of cases with it."""
from collections import Counter

import sqlalchemy as sa

from academy.cases.models import Case, Patrol, Visit
from academy.cases.queries import light_of
from academy.extensions import db
from academy.permissions import Role
from citydata.demo.cases import create_demo_cases
from tests.fixtures.cases import create_department
from tests.fixtures.registry import assign, create_grid, create_worker


def test_without_registry_demo_nothing_is_made():
    demo = {"users": {}}
    create_demo_cases(demo)
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0


def test_demo_cases_cover_states_lights_and_categories(make_user):
    users = {role: make_user(role, Role(role)) for role in ("admin", "dispatcher", "department", "viewer", "trainee")}
    grids, workers = [], []
    for n in range(4):
        grid = create_grid(f"320102001{n + 1:03d}")
        worker = create_worker("320102", user=users["trainee"] if n == 0 else make_user(f"w{n}", Role.TRAINEE))
        assign(worker, grid)
        grids.append(grid)
        workers.append(worker)
    demo = {"users": users, "grids": grids, "workers": workers, "areas": [],
            "departments": [create_department("320102", "城管"), create_department("3201", "住建")]}
    create_demo_cases(demo)
    cases = db.session.scalars(sa.select(Case)).all()
    assert len(cases) >= 200  # several hundred, however few workers the registry demo has
    states = Counter(str(c.state) for c in cases)
    assert {"reported", "accepted", "dispatched", "handling", "verifying", "closed", "visited"} <= set(states)
    lights = {light_of(c) for c in cases}
    assert {"green", "red"} <= lights
    assert len({c.category_id for c in cases}) >= 8
    assert db.session.scalar(sa.select(sa.func.count(Patrol.id))) > 50
    assert db.session.scalar(sa.select(sa.func.count(Visit.id))) > 10
