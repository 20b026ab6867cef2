"""The case list and the supervision board ask the database the same number of questions however
many cases and categories a page shows (they once loaded each listed category on its own)."""
from __future__ import annotations

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from academy.extensions import db
from tests.fixtures.cases import create_category, report
from tests.support import log_in


@contextmanager
def counted():
    statements = []

    def count(_conn, _cursor, statement, *_args):
        if not statement.lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK")):
            statements.append(statement)

    engine = db.session.get_bind().engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def _queries(client, path: str) -> int:
    client.get(path)  # warm: the first request of a client loads what every later one reuses
    with counted() as statements:
        assert client.get(path).status_code == 200
    return len(statements)


@pytest.mark.parametrize("path", ["/cases", "/cases/board"])
def test_queries_do_not_grow_with_the_cases_and_categories_listed(cases_world, client, path):
    world = cases_world
    parent = create_category("Parent")
    report(world, category=create_category("First", parent=parent))
    log_in(client, world.dispatcher.username)
    few = _queries(client, path)
    for n in range(8):
        report(world, category=create_category(f"Category {n}", parent=create_category(f"Parent {n}")))
    assert _queries(client, path) == few
