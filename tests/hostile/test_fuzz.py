"""Property-based fuzzing (hypothesis) of every form and JSON endpoint of the application.

For each POST endpoint found through the access tables (see ``fuzzing.targets``), logged in as a
role allowed to use it and with a valid CSRF token, hypothesis posts generated values: wrong types,
huge strings, control characters, Unicode, negative and huge numbers, missing and extra fields,
repeated fields, odd files. Every answer must be below 500, and a refusal (any status but
200/201/302/303) must leave every table exactly as it was. Each example runs in a savepoint that
is rolled back, so all examples start from the same data.

The number of examples per endpoint comes from the hypothesis profile (``ci``: a fixed, derandomised
number; ``HYPOTHESIS_PROFILE=thorough`` for a long local run). The totals are printed at the end.
"""
from __future__ import annotations

import inspect
import re
import sys

import pytest
from hypothesis import HealthCheck, given, settings

from academy.cases import operations as case_ops
from tests.access.test_every_endpoint import TABLES, _sessions, make_world
from tests.hostile import fuzzing
from tests.hostile.conftest import GENERATED, changed_tables, fingerprint

# Tables a refused request may still write, and why.
MAY_CHANGE_ON_REFUSAL = {
    "accounts.login": {"login_failures"},  # a wrong password is counted: that is the throttle
    "accounts.account": {"login_failures"},  # so is a wrong current password on a password change
}


def may_change_on_refusal(app, endpoint: str) -> set[str]:
    """Tables a refusal may still change: the throttle's, and a rate-limited view's counters
    (a refused call costs its share of the limit, or malformed requests would be free)."""
    limited = {"rate_counters"} if getattr(app.view_functions[endpoint], "rate_limit", None) else set()
    return set(MAY_CHANGE_ON_REFUSAL.get(endpoint, ())) | limited


JSON_KEY = re.compile(r"""data(?:\.get\(|, )["'](\w+)["']""")


def _json_keys(app, endpoint: str) -> set[str]:
    module = sys.modules[inspect.unwrap(app.view_functions[endpoint]).__module__]
    return set(JSON_KEY.findall(inspect.getsource(module)))


def _open311_base(world) -> dict:
    from tests.access.table_cases import made

    _client, key = case_ops.create_api_client(None, "fuzzing app")
    return {"api_key": key, "service_code": made(world)["category"].code, "description": "Pothole",
            "address_string": "Gate 1"}


def _page_reader(app, sessions):
    def page_html(role: str, url: str) -> str:
        client = app.test_client()
        cookie, _token = sessions[role]
        if cookie:
            client.set_cookie("session", cookie)
        response = client.get(url)
        # Forms are found in pages; a photo or a download has none (and is no text).
        return response.get_data(as_text=True) if response.status_code == 200 and response.mimetype == "text/html" else ""

    return page_html


def _send(app, target, payload, cookie, token):
    client = app.test_client()
    if cookie:
        client.set_cookie("session", cookie)
    if target.json:
        return client.post(target.url, json=payload, headers={"X-CSRFToken": token})
    return client.post(target.url, data={**payload, "csrf_token": token}, content_type="multipart/form-data")


def _fuzz(app, connection, target, strategy, session, baseline, failures) -> int:
    count = {"n": 0}

    @settings(deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(payload=strategy)
    def run(payload):
        count["n"] += 1
        savepoint = connection.begin_nested()
        try:
            response = _send(app, target, payload, *session)
            GENERATED["accepted" if response.status_code in fuzzing.ACCEPTED else "refused"] += 1
            changed = [] if response.status_code in fuzzing.ACCEPTED else \
                [t for t in changed_tables(baseline, fingerprint()) if t not in may_change_on_refusal(app, target.endpoint)]
        finally:
            savepoint.rollback()
        assert response.status_code < 500, f"{target.endpoint}: {response.status_code} for {payload!r:.300}"
        assert not changed, f"{target.endpoint}: refused with {response.status_code} but changed {changed}"

    try:
        run()
    except AssertionError as error:
        failures.append(str(error)[:600])
    return count["n"]


@pytest.mark.parametrize("table", TABLES, ids=lambda table: table.__name__.rsplit(".", 1)[-1])
def test_generated_input_never_fails_and_refusals_change_nothing(app, make_user, db_session, table):
    world = make_world(make_user)
    sessions = _sessions(app, world)
    found = fuzzing.targets(app, table.ACCESS, world, _page_reader(app, sessions))
    if not found:
        assert not [row for row in table.ACCESS if row.method == "POST"]
        return
    for target in found:
        if target.endpoint == "open311.create_request":
            target.base = _open311_base(world)
    connection = db_session.get_bind()
    baseline = fingerprint()
    failures = []
    for target in found:
        strategy = (fuzzing.json_payloads(target, _json_keys(app, target.endpoint)) if target.json
                    else fuzzing.form_payloads(target))
        ran = _fuzz(app, connection, target, strategy, sessions[target.role], baseline, failures)
        GENERATED["json" if target.json else "form"] += ran
        GENERATED["endpoints"] += 1
    assert not failures, "\n\n".join(failures)
