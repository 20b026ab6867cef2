"""schemathesis against the OpenAPI description of the JSON endpoints (academy/web/openapi.yaml).

Every operation of the description, in both of schemathesis' modes: positive cases (valid by the
description, on the world's real attempt, job and requests, logged in as their owners) and
negative cases (anything the description rules out, ids included). Each answer must be no server
error, a status and content type the description declares, a body matching its schema; and a
refusal must leave every table as it was. Each case runs in a savepoint that is rolled back.
"""
from __future__ import annotations

import contextvars
import re

import schemathesis
from flask.globals import _cv_app
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from academy.cases import operations as case_ops
from academy.web.views import OPENAPI
from tests.access.table_cases import made as cases_made
from tests.access.test_every_endpoint import _sessions, make_world
from tests.hostile.conftest import GENERATED, changed_tables, fingerprint

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# The rate limiter's counters move on every call, refused or not: a refused call costs the client
# its share of the limit (otherwise malformed requests would be free), so they are not data.
COUNTERS = ("rate_counters",)
EXAMPLES_PER_MODE = 3 * settings().max_examples  # the hypothesis profile sets the pace (ci: 24)


def test_the_description_is_served_and_names_every_json_endpoint(client, app):
    served = client.get("/api/openapi.yaml")
    assert served.status_code == 200 and served.mimetype == "application/yaml"
    schema = schemathesis.openapi.from_path(OPENAPI)
    described = {(op.ok().method.upper(), op.ok().path) for op in schema.get_all_operations()}
    json_rules = {(method, re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule))
                  for rule in app.url_map.iter_rules() if rule.endpoint.startswith("open311.")
                  or rule.endpoint in ("exams.attempt_state", "exams.save", "exams.submit", "web.job_status",
                                          "certificates.verify_json")
                  for method in rule.methods - {"HEAD", "OPTIONS"}}
    assert json_rules <= described, sorted(json_rules - described)


def _call(app, case, **kwargs):
    """Make the call in a context of its own, as a real request would be (see IsolatedClient)."""
    def fresh():
        _cv_app.set(None)
        return case.call(app=app, **kwargs)

    return contextvars.copy_context().run(fresh)


def _fixed(operation, world, sessions, api_key) -> dict:
    """Path parameters of real objects, and the credentials the operation needs."""
    path = operation.path
    if path.startswith("/open311/"):
        number = cases_made(world)["open311"].number
        return {"path_parameters": {"number": number} if "{number}" in path else None,
                "headers": {"X-Api-Key": api_key}}
    if path.startswith("/api/certificates/"):
        return {"path_parameters": {"number": world["certificate"].number}}
    role = "hr" if path.startswith("/jobs/") else "trainee"
    cookie, token = sessions[role]
    ids = {"attempt_id": world["attempt"].id} if "{attempt_id}" in path else {"job_id": world["job"].id}
    return {"path_parameters": ids, "headers": {"X-CSRFToken": token}, "cookies": {"session": cookie}}


def _run(app, connection, operation, mode, fixed, baseline, failures):
    kwargs = {key: value for key, value in fixed.items() if value}
    positive = mode is GenerationMode.POSITIVE
    strategy = operation.as_strategy(mode, **(kwargs if positive else {k: v for k, v in kwargs.items()
                                                                        if k != "path_parameters"}))
    calls = {key: value for key, value in kwargs.items() if key in ("headers", "cookies")}

    @settings(max_examples=EXAMPLES_PER_MODE, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(case=strategy)
    def check(case):
        GENERATED["schemathesis"] += 1
        savepoint = connection.begin_nested()
        try:
            response = _call(app, case, **calls)
            refused = response.status_code >= 400
            changed = changed_tables(baseline, fingerprint(COUNTERS)) if refused else []
        finally:
            savepoint.rollback()
        case.validate_response(response, checks=CHECKS)
        assert not changed, f"{operation.label}: refused with {response.status_code} but changed {changed}"

    try:
        check()
    except Unsatisfiable:
        # Nothing can break the description (no parameters, or a path string that takes anything):
        # a negative mode has no cases to make there. A positive mode always has some.
        if positive:
            failures.append(f"{operation.label}: no positive case could be made")
    except Exception as error:  # report every operation's failure, not just the first
        failures.append(f"{operation.label} ({mode.value}): {str(error)[:800]}")


def test_schemathesis_finds_nothing(app, make_user, db_session):
    world = make_world(make_user)
    cases_made(world)
    sessions = _sessions(app, world)
    _client, api_key = case_ops.create_api_client(None, "schemathesis")
    schema = schemathesis.openapi.from_path(OPENAPI)
    connection = db_session.get_bind()
    baseline = fingerprint(COUNTERS)
    failures, operations = [], 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _run(app, connection, operation, mode, _fixed(operation, world, sessions, api_key), baseline, failures)
    assert operations >= 9
    assert not failures, "\n\n".join(failures)
