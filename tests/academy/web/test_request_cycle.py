"""One request cycle: the app commits an accepted request, rolls back a refused, failed or 4xx one,
and no view of the app commits or rolls back by itself.

The behaviour is tested on an application of its own whose requests really commit (on SQLite or
on a sibling PostgreSQL database), with a few routes that use the real audit log and raise the real
refusal classes; the static checks walk every view module the application registers.
"""
from __future__ import annotations

import ast
import inspect
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import abort, render_template

from academy import audit, create_app
from academy.cases.errors import CaseError
from academy.config import TestConfig
from academy.errors import DomainError
from academy.extensions import db
from academy.web.cycle import keep_changes, refusal_renders
from tests.support import ensure_postgres_database, postgres_url, sibling_database

pytestmark = pytest.mark.own_database


def _note(summary: str) -> None:
    audit.record(None, "test.note", summary=summary)
    db.session.flush()


def _refused():
    _note("refused")
    raise CaseError("This case is closed; nothing was changed.")


def _refused_form():
    refusal_renders("errors/error.html", code=400, title="Form", message="The form again", status=400)
    _note("refused-form")
    raise CaseError("Pick another grid.")


def _accepted():
    _note("accepted")
    return "done"


def _failed():
    _note("failed")
    raise RuntimeError("a bug")


def _answered_400():
    _note("answered-400")
    abort(400)


def _kept_409():
    _note("kept-409")
    keep_changes()
    return "closed", 409


ROUTES = {"/cycle/refused": _refused, "/api/cycle/refused": _refused, "/cycle/refused-form": _refused_form,
          "/cycle/accepted": _accepted, "/cycle/failed": _failed, "/cycle/answered-400": _answered_400,
          "/cycle/kept-409": _kept_409}


@pytest.fixture(scope="module")
def cycle_app(tmp_path_factory):
    url = postgres_url()
    if url:
        url = sibling_database(url, "_cycle")
        ensure_postgres_database(url)
    else:
        url = f"sqlite:///{tmp_path_factory.mktemp('cycle') / 'academy.db'}"
    app = create_app(TestConfig(url, tmp_path_factory.mktemp("cycle_instance"), WTF_CSRF_ENABLED=False))
    for path, view in ROUTES.items():
        app.add_url_rule(path, endpoint=path.strip("/").replace("/", "_"), view_func=view, methods=["POST"])
    app.add_url_rule("/cycle/flashes", endpoint="cycle_flashes", view_func=lambda: render_template("errors/error.html",
                     code=200, title="Flashes", message=""))
    with app.app_context():
        db.create_all()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _kept(app, summary: str) -> int:
    """Entries with ``summary`` as another connection sees them: only what was committed."""
    with app.app_context(), db.engine.connect() as connection:
        table = audit.AuditEntry.__table__
        return connection.scalar(sa.select(sa.func.count()).select_from(table).where(table.c.summary == summary))


def test_a_refusal_keeps_nothing_and_goes_back_with_its_message(cycle_app):
    client = cycle_app.test_client()
    response = client.post("/cycle/refused", headers={"Referer": "http://localhost/cycle/flashes"})
    assert response.status_code == 303 and response.headers["Location"] == "/cycle/flashes"
    assert _kept(cycle_app, "refused") == 0
    assert "This case is closed; nothing was changed." in client.get("/cycle/flashes").get_data(as_text=True)


def test_a_refusal_from_elsewhere_goes_home_not_to_the_other_site(cycle_app):
    response = cycle_app.test_client().post("/cycle/refused", headers={"Referer": "https://evil.example/cycle/flashes"})
    assert response.status_code == 303 and response.headers["Location"] == "/"


def test_a_refused_form_is_shown_again_with_the_reason(cycle_app):
    response = cycle_app.test_client().post("/cycle/refused-form")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "The form again" in page and "Pick another grid." in page
    assert _kept(cycle_app, "refused-form") == 0


def test_a_refusal_on_a_json_endpoint_answers_in_the_api_format(cycle_app):
    response = cycle_app.test_client().post("/api/cycle/refused")
    assert response.status_code == 400
    assert response.get_json() == {"error": "bad_request", "message": "This case is closed; nothing was changed."}
    assert _kept(cycle_app, "refused") == 0


def test_an_accepted_request_is_committed(cycle_app):
    response = cycle_app.test_client().post("/cycle/accepted")
    assert response.status_code == 200 and _kept(cycle_app, "accepted") == 1


def test_an_exception_rolls_back(cycle_app):
    response = cycle_app.test_client().post("/cycle/failed")
    assert response.status_code == 500 and _kept(cycle_app, "failed") == 0


def test_an_error_answer_rolls_back_unless_the_view_keeps_its_change(cycle_app):
    client = cycle_app.test_client()
    assert client.post("/cycle/answered-400").status_code == 400 and _kept(cycle_app, "answered-400") == 0
    assert client.post("/cycle/kept-409").status_code == 409 and _kept(cycle_app, "kept-409") == 1


# --- static checks: walk every module of the app that holds a view or an API endpoint -------------

def _view_modules(app) -> dict[str, Path]:
    """The modules of academy/ and courses/ that define the app's views, found from its url_map."""
    modules = {}
    for endpoint in {rule.endpoint for rule in app.url_map.iter_rules()}:
        module = sys.modules[inspect.unwrap(app.view_functions[endpoint]).__module__]
        if module.__name__.startswith(("academy.", "courses.")):
            modules[module.__name__] = Path(module.__file__)
    return modules


def _session_ends(path: Path) -> list[str]:
    """Calls of ``.commit()``/``.rollback()`` on a session in the file: a view ending its own request."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in ("commit", "rollback") and "session" in ast.unparse(node.func.value)):
            found.append(f"{path.name}:{node.lineno} {ast.unparse(node)}")
    return found


def test_no_view_module_commits_or_rolls_back(app):
    modules = _view_modules(app)
    assert len(modules) > 20  # every package's views and APIs, not an empty walk
    assert any(name.endswith(".api") for name in modules)
    offenders = [end for path in modules.values() for end in _session_ends(path)]
    assert offenders == []


def _exception_classes():
    for name, module in list(sys.modules.items()):
        if name.startswith(("academy", "courses")) and module is not None:
            for value in vars(module).values():
                if inspect.isclass(value) and issubclass(value, Exception) and value.__module__ == name:
                    yield value


def test_every_refusal_of_the_app_is_a_domain_error(app):
    """Every ValueError class the app defines is a refusal a user can be shown, so a DomainError."""
    classes = [c for c in _exception_classes() if issubclass(c, ValueError)]
    assert len(classes) > 15
    assert [c.__qualname__ for c in classes if not issubclass(c, DomainError)] == []
