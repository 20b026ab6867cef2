"""Rate limits on the public surfaces (notice board, Open311, verification), as a client meets them.

Each test runs with the database's counters and with Redis's (the limiter's two stores), and a
walk of ``app.url_map`` finds every endpoint a stranger can read, so a new public page without a
limit fails here.
"""
from __future__ import annotations

import uuid

import pytest
from redis import Redis

from academy.cases import operations as ops
from tests.support import services_required

REDIS_URL = "redis://127.0.0.1:6379/14"


@pytest.fixture(params=["database", "redis"])
def counters(request, app, monkeypatch):
    """Where the counters live for this test; every test gets addresses of its own (Redis keeps them)."""
    if request.param == "redis":
        try:
            Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
        except Exception:
            if services_required():
                raise
            pytest.skip("Redis is not reachable")  # never in CI: services_required() raises there
        monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    return request.param


def stranger(app):
    """A test client from an address no other test (or earlier run, for Redis) has used."""
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"
    return client


def test_the_notice_board_is_limited_per_address(app, counters, monkeypatch, make_grid):
    monkeypatch.setitem(app.config, "RATELIMIT_BOARD", "3/600")
    grid = make_grid("320102001001")
    client = stranger(app)
    pages = [client.get(f"/board/{grid.code}", headers={"Accept-Language": "en"}) for _ in range(4)]
    assert [p.status_code for p in pages] == [200, 200, 200, 429]
    assert [p.headers["RateLimit-Remaining"] for p in pages] == ["2", "1", "0", "0"]
    assert all(p.headers["RateLimit-Limit"] == "3" and 0 < int(p.headers["RateLimit-Reset"]) <= 600 for p in pages)
    assert 0 < int(pages[3].headers["Retry-After"]) <= 600 and "Retry-After" not in pages[0].headers
    assert "Too many requests; wait a moment and try again." in pages[3].get_data(as_text=True)
    # Walking sequential grid codes counts too: the limit is per address, not per grid.
    assert client.get(f"/board/{int(grid.code) + 1}").status_code == 429
    assert stranger(app).get(f"/board/{grid.code}").status_code == 200  # another address has its own count


def test_open311_reads_are_limited_per_address_in_its_error_format(app, counters, monkeypatch, cases_world):
    monkeypatch.setitem(app.config, "RATELIMIT_OPEN311", "2/600")
    client = stranger(app)
    answers = [client.get("/open311/v2/services.json") for _ in range(2)]
    answers.append(client.get("/open311/v2/requests.json"))
    assert [a.status_code for a in answers] == [200, 200, 429]
    refusal = answers[2].get_json()
    assert refusal == [{"code": 429, "description": refusal[0]["description"]}] and "秒后再试" in refusal[0]["description"]  # the city's language: the client named none
    assert answers[2].headers["RateLimit-Remaining"] == "0" and int(answers[2].headers["Retry-After"]) > 0
    # An invented key buys nothing: it counts against the address.
    assert client.get("/open311/v2/services.json", headers={"X-Api-Key": "made-up"}).status_code == 429


def test_open311_counts_a_valid_key_under_the_key_wherever_it_calls_from(app, counters, monkeypatch, cases_world):
    monkeypatch.setitem(app.config, "RATELIMIT_OPEN311", "2/600")
    key = ops.create_api_client(None, f"App {uuid.uuid4().hex[:6]}")[1]
    payload = {"api_key": key, "service_code": cases_world.category.code, "description": "Pothole",
               "address_string": "Zhongshan Road 1"}
    first, second, third = stranger(app), stranger(app), stranger(app)
    assert first.post("/open311/v2/requests.json", data=payload).status_code == 201
    assert second.get("/open311/v2/services.json", query_string={"api_key": key}).status_code == 200
    refused = third.post("/open311/v2/requests.json", json=payload)
    assert refused.status_code == 429 and refused.get_json()[0]["code"] == 429
    assert third.get("/open311/v2/services.json").status_code == 200  # key-less, its own address's count
