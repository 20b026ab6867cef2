"""Every JSON endpoint answers its errors in JSON (Open311 in GeoReport's list), never an HTML page:
a wrong method, an unknown id, a missing CSRF token, malformed JSON, a body past the limit."""
from __future__ import annotations

import pytest

from academy.permissions import Role
from tests.academy.web.endpoints import UNSAFE, json_endpoints
from tests.hostile.conftest import changed_tables, fingerprint
from tests.support import csrf_token, log_in


@pytest.fixture
def admin_client(app, make_user):
    make_user("root", Role.ADMIN)
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    log_in(client, "root")
    return client


def assert_json_error(endpoint, response, statuses) -> None:
    where = f"{response.request.method} {response.request.path}"
    assert response.status_code in statuses, f"{where}: {response.status_code}"
    assert response.mimetype == "application/json", f"{where} answered {response.mimetype}"
    body = response.get_json()
    if endpoint.rule.rule.startswith("/open311/"):
        assert isinstance(body, list) and body[0]["code"] == response.status_code and body[0]["description"], where
    else:
        assert isinstance(body, dict) and body.get("message"), f"{where}: {body}"


def _headers(endpoint, token: str | None = None) -> dict:
    headers = {"Accept": "application/json"} if endpoint.accept_json else {}
    if token:
        headers["X-CSRFToken"] = token
    return headers


def test_the_walk_finds_the_json_endpoints(app):
    rules = {e.rule.endpoint for e in json_endpoints(app)}
    assert {"exams.save", "exams.attempt_state", "open311.create_request", "open311.request_detail",
            "certificates.verify_json", "web.job_status", "lessons.heartbeat"} <= rules


def test_wrong_method_is_answered_in_json(app, admin_client):
    for endpoint in json_endpoints(app):
        wrong = next(m for m in ("PATCH", "DELETE", "PUT", "GET") if m not in endpoint.methods)
        response = admin_client.open(endpoint.url(), method=wrong, headers=_headers(endpoint))
        assert_json_error(endpoint, response, {405})
        assert set(endpoint.methods) <= set(response.headers["Allow"].split(", "))


def test_unknown_ids_are_answered_in_json(app, admin_client):
    token = csrf_token(admin_client, "/account")
    for endpoint in json_endpoints(app):
        if not endpoint.rule.arguments:
            continue
        for method in endpoint.methods:
            response = admin_client.open(endpoint.url(unknown=True), method=method, json={"seq": 1},
                                         headers=_headers(endpoint, token))
            assert_json_error(endpoint, response, {404})


def test_missing_csrf_and_malformed_json_are_answered_in_json_and_change_nothing(app, admin_client):
    token = csrf_token(admin_client, "/account")
    before = fingerprint(exclude=("login_failures", "rate_counters"))
    walked = 0
    for endpoint in json_endpoints(app):
        for method in (m for m in endpoint.methods if m in UNSAFE):
            walked += 1
            no_token = admin_client.open(endpoint.url(), method=method, json={"seq": 1}, headers=_headers(endpoint))
            assert_json_error(endpoint, no_token, {400, 401, 403, 404})
            malformed = admin_client.open(endpoint.url(), method=method, data="{not json", content_type="application/json",
                                          headers=_headers(endpoint, token))
            assert_json_error(endpoint, malformed, {400, 401, 403, 404})
    assert walked >= 3
    assert not changed_tables(before, fingerprint(exclude=("login_failures", "rate_counters")))


def test_too_large_body_is_answered_in_json(app, admin_client):
    token = csrf_token(admin_client, "/account")
    huge = b"{" + b" " * (app.config["MAX_CONTENT_LENGTH"] + 1) + b"}"
    for endpoint in json_endpoints(app):
        for method in (m for m in endpoint.methods if m in UNSAFE):
            response = admin_client.open(endpoint.url(), method=method, data=huge, content_type="application/json",
                                         headers=_headers(endpoint, token))
            assert_json_error(endpoint, response, {413})


def test_pages_still_get_the_html_error_page(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert client.put("/login").mimetype == "text/html"
