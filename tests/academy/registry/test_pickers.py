"""The pickers' search endpoints: each finds only what lies in the caller's own areas, and bad
input (lone surrogates, huge numbers, malformed codes) is a clear 400 in JSON."""
from __future__ import annotations

import pytest

from academy.permissions import Role
from tests.fixtures.registry import create_grid, create_worker, get_or_create_area
from tests.support import log_in


@pytest.fixture
def city():
    """Two districts, each with a street, a community, a grid and a worker called 王."""
    get_or_create_area("3201", "南京市")
    get_or_create_area("320102", "玄武区")
    get_or_create_area("320102002", "梅园新村街道")
    get_or_create_area("320102002001", "大行宫社区")
    get_or_create_area("320104", "秦淮区")
    get_or_create_area("320104001", "夫子庙街道")
    get_or_create_area("320104001001", "贡院社区")
    return {"grid": create_grid("320102002001", name="大行宫一网格"),
            "grid_other": create_grid("320104001001", name="贡院一网格"),
            "worker": create_worker("320102002", name="王芳"),
            "worker_other": create_worker("320104001", name="王强")}


def _client(app, make_user, role=Role.HR, area="320102"):
    user = make_user(None, role, area=area)
    client = app.test_client()
    log_in(client, user.username)
    return client


def _codes(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    return [row["code"] for row in response.get_json()["results"]]


def test_area_tree_starts_at_the_callers_district_and_opens_level_by_level(app, make_user, city):
    client = _client(app, make_user)
    assert _codes(client.get("/registry/pick/areas")) == ["320102"]
    assert _codes(client.get("/registry/pick/areas?parent=320102")) == ["320102002"]
    community = client.get("/registry/pick/areas?parent=320102002").get_json()["results"]
    assert [(c["label"], c["has_children"]) for c in community] == [("大行宫社区", False)]
    # The city above his district lists only his district among its children.
    assert _codes(client.get("/registry/pick/areas?parent=3201")) == ["320102"]


def test_a_city_wide_grant_starts_at_the_city(app, make_user, city):
    client = _client(app, make_user, area=None)
    assert _codes(client.get("/registry/pick/areas")) == ["3201"]
    assert _codes(client.get("/registry/pick/areas?parent=3201")) == ["320102", "320104"]


def test_area_search_by_name_and_code_stays_in_scope(app, make_user, city):
    client = _client(app, make_user, Role.DISPATCHER)
    assert _codes(client.get("/registry/pick/areas?q=街道")) == ["320102002"]
    assert _codes(client.get("/registry/pick/areas?q=夫子庙")) == []
    assert _codes(client.get("/registry/pick/areas?q=320104")) == []
    assert _codes(client.get("/registry/pick/areas?code=320104001")) == []
    row = client.get("/registry/pick/areas?code=320102002").get_json()["results"][0]
    assert row["label"] == "梅园新村街道" and "玄武区" in row["detail"]


def test_worker_search_by_name_and_number_finds_only_the_callers_workers(app, make_user, city):
    client = _client(app, make_user)
    assert _codes(client.get("/registry/pick/workers?q=王")) == [city["worker"].number]
    assert _codes(client.get(f"/registry/pick/workers?q={city['worker_other'].number}")) == []
    assert _codes(client.get(f"/registry/pick/workers?code={city['worker'].number.lower()}")) == [city["worker"].number]
    other = _client(app, make_user, area="320104")
    assert _codes(other.get("/registry/pick/workers?q=王")) == [city["worker_other"].number]


def test_grid_search_answers_ids_for_the_bulk_enrolment(app, make_user, city):
    client = _client(app, make_user)
    rows = client.get("/registry/pick/grids?q=网格").get_json()["results"]
    assert [(r["id"], r["label"]) for r in rows] == [(city["grid"].id, "大行宫一网格")]
    assert _codes(client.get(f"/registry/pick/grids?id={city['grid_other'].id}")) == []
    assert _codes(client.get(f"/registry/pick/grids?id={city['grid'].id}")) == [city["grid"].code]


@pytest.mark.parametrize("query", [
    "q=" + "王" * 61,
    "id=99999999999999999999",
    "id=2147483648",
    "id=-1",
    "id=NaN",
    "parent=32010x",
    "parent=" + "3" * 13,
    "code=32%27%20OR%201%3D1",
])
def test_bad_input_is_a_clear_400_in_json(app, make_user, city, query):
    client = _client(app, make_user)
    for kind in ("areas", "grids", "workers"):
        response = client.get(f"/registry/pick/{kind}?{query}")
        assert response.status_code == 400, (kind, query, response.status_code)
        assert response.get_json()["error"] == "bad_request"


def test_lone_surrogates_and_controls_never_reach_a_search(app, make_user, city):
    """A query string cannot carry a lone surrogate as UTF-8: its escaped bytes stay escapes and
    match nothing; a NUL (which PostgreSQL refuses in text) is a 400."""
    client = _client(app, make_user)
    assert _codes(client.get("/registry/pick/workers?q=%ED%A0%80")) == []
    response = client.get("/registry/pick/workers?q=%E7%8E%8B%00")
    assert response.status_code == 400
    assert response.get_json()["error"] == "bad_request"


def test_empty_search_lists_nothing_but_the_tops(app, make_user, city):
    client = _client(app, make_user)
    assert _codes(client.get("/registry/pick/workers?q=")) == [city["worker"].number]  # the first few, in scope
    assert _codes(client.get("/registry/pick/areas?q=")) == ["320102"]


def test_a_trainee_may_not_search(app, make_user, city):
    client = _client(app, make_user, Role.TRAINEE, area=None)
    for kind in ("areas", "grids", "workers"):
        response = client.get(f"/registry/pick/{kind}?q=王")
        assert response.status_code == 403
        assert response.get_json()["error"] == "forbidden"
