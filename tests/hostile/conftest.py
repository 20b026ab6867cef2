"""Shared set-up of the hostile-input tests: English messages and a fingerprint of all the data."""
from __future__ import annotations

import hashlib
import os
from collections import Counter
from pathlib import Path

import pytest
import sqlalchemy as sa
from hypothesis import settings

from academy.extensions import db

# Hypothesis profiles: ``ci`` (the default) runs a fixed, derandomised number of examples per
# endpoint, so a CI run is bounded and repeatable; ``thorough`` is for a long local hunt.
settings.register_profile("ci", max_examples=8, derandomize=True, print_blob=True)
settings.register_profile("thorough", max_examples=200, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# Generated cases, counted by the fuzz tests and reported at the end of the run.
GENERATED: Counter = Counter()


def pytest_terminal_summary(terminalreporter):
    if GENERATED:
        terminalreporter.write_line(
            f"hostile input: {GENERATED['form']} generated form cases and {GENERATED['json']} JSON cases on "
            f"{GENERATED['endpoints']} endpoints ({GENERATED['accepted']} accepted, {GENERATED['refused']} refused); "
            f"{GENERATED['schemathesis']} schemathesis cases")


def fingerprint(exclude: tuple[str, ...] = ()) -> dict[str, str]:
    """Every table's rows, hashed: two equal fingerprints mean nothing was added, changed or removed."""
    result = {}
    for table in db.metadata.sorted_tables:
        if table.name in exclude:
            continue
        digest = hashlib.sha256()
        for row in db.session.execute(sa.select(table).order_by(*table.primary_key.columns)):
            digest.update(repr(tuple(row)).encode())
        result[table.name] = digest.hexdigest()[:16]
    return result


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(name for name in before if before[name] != after.get(name))


def files_under(folder: Path) -> set[Path]:
    return {path for path in folder.rglob("*") if path.is_file()} if folder.exists() else set()


@pytest.fixture(autouse=True)
def english_clients(app, monkeypatch):
    """Every test client asks for English, so tests read the English messages."""
    make_client = app.test_client

    def english_client(*args, **kwargs):
        client = make_client(*args, **kwargs)
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        return client

    monkeypatch.setattr(app, "test_client", english_client)
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "en")
