"""On the embedded SQLite file, a 1,000-certificate batch does not stop anyone: while it renders,
log-ins, autosaves and submits (over real sockets, in threads) all succeed, and the job holds the
write lock only for the moments it writes (before the fix it held it for the whole run and a
log-in meanwhile got "database is locked")."""
from __future__ import annotations

import pytest

from academy.extensions import db
from academy.jobs import JobStatus
from tests import load_during_jobs
from tests.faults.conftest import make_app

pytestmark = [pytest.mark.concurrency, pytest.mark.own_database, pytest.mark.slow]
CERTIFICATES = 1000


@pytest.fixture
def sqlite_app(tmp_path):
    app = make_app(f"sqlite:///{tmp_path / 'academy.db'}", tmp_path / "instance", JOB_RUNNER="auto")
    yield app
    with app.app_context():
        db.engine.dispose()


def test_people_keep_working_while_a_thousand_certificates_print(sqlite_app):
    outcome = load_during_jobs.run(sqlite_app, CERTIFICATES)
    assert outcome.job_status == JobStatus.DONE
    log_ins, saves, submits = (outcome.of(kind) for kind in ("log-in", "autosave", "submit"))
    for kind in ("log-in", "autosave", "submit"):
        assert outcome.of(kind, during=True), f"{kind}s happened while the batch ran"
    assert {status for status, _ in log_ins} == {302}, "every log-in got in"
    assert {status for status, _ in saves} == {200}, "every autosave was saved"
    assert {status for status, _ in submits} == {302} and len(submits) == load_during_jobs.SITTERS - 1
    # The job wrote only its result: a few short transactions, never one lasting its run.
    assert outcome.holds and max(outcome.holds) < 1.0, outcome.holds
