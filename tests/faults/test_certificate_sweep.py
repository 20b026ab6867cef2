"""The nightly certificates sweep killed half-way, as when its host dies: nothing of it is kept, and
the next run issues every certificate once (no duplicates, no gaps in the evidence, distinct numbers).

The workers passed the final exam before HR added the certificate type, so no trigger issued
anything and the sweep has a certificate to issue for each of them."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from academy.config import BASE_DIR
from academy.extensions import db
from courses.certificates.models import Certificate
from tests.faults.conftest import kill_tree, make_app
from tests.fixtures.certificates import create_cert_type, final_exam_course, sit_exam

pytestmark = [pytest.mark.fault, pytest.mark.own_database]
HOLDERS = 80


@pytest.fixture
def instance(private_postgres, tmp_path):
    app = make_app(private_postgres.url, tmp_path / "instance")
    with app.app_context():
        db.drop_all()
        db.create_all()
        course, exam = final_exam_course()
        course.capacity = HOLDERS
        for _ in range(HOLDERS):
            sit_exam(exam, right=5)
        create_cert_type(course=course)  # after the exams: only the sweep can issue these
        db.session.commit()
    yield app
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


def _sweep(app, log: Path) -> subprocess.Popen:
    """The cron command in a process of its own; its output goes to ``log`` (a pipe nobody reads
    while the test waits would fill and stop the sweep inside its transaction)."""
    env = {**os.environ, "ACADEMY_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "ACADEMY_INSTANCE_PATH": app.config["INSTANCE_PATH"], "ACADEMY_FILES_DIR": app.config["FILES_DIR"],
           "FLASK_APP": "wsgi.py", "PYTHONPATH": str(BASE_DIR)}
    flask = Path(sys.executable).parent / "flask"
    with open(log, "ab") as output:
        return subprocess.Popen([str(flask), "academy", "certificates-sweep"], cwd=BASE_DIR, env=env,
                                stdout=output, stderr=subprocess.STDOUT, start_new_session=True)


def _writing_certificates(app) -> bool:
    """True once another session's open transaction (the sweep's) has inserted into the certificates."""
    with app.app_context():
        found = db.session.scalar(sa.text(
            "SELECT count(*) FROM pg_locks WHERE relation = 'certificates'::regclass "
            "AND mode = 'RowExclusiveLock' AND pid <> pg_backend_pid()"))
        db.session.rollback()
        return bool(found)


def _certificates(app) -> list[tuple[int, str]]:
    with app.app_context():
        rows = db.session.execute(sa.select(Certificate.worker_id, Certificate.number)).all()
        db.session.rollback()
        return [tuple(row) for row in rows]


def test_a_sweep_killed_half_way_keeps_nothing_and_the_rerun_issues_each_once(instance, tmp_path):
    log = tmp_path / "sweep.log"
    sweep = _sweep(instance, log)
    try:
        deadline = time.monotonic() + 120
        while not _writing_certificates(instance):
            assert sweep.poll() is None, f"the sweep ended before it could be killed: {log.read_text()[-2000:]}"
            assert time.monotonic() < deadline, f"the sweep never started issuing: {log.read_text()[-2000:]}"
            time.sleep(0.01)
    finally:
        kill_tree(sweep.pid)  # also when the test fails: a live sweep would hold its locks past the test
        sweep.wait(timeout=30)
    assert _certificates(instance) == [], "nothing of a killed sweep is kept"

    rerun = _sweep(instance, log)
    assert rerun.wait(timeout=300) == 0, log.read_text()[-2000:]
    issued = _certificates(instance)
    assert len(issued) == HOLDERS
    assert len({worker for worker, _number in issued}) == HOLDERS, "one certificate per worker"
    assert len({number for _worker, number in issued}) == HOLDERS, "distinct numbers"

    again = _sweep(instance, log)  # a second night issues nothing more
    assert again.wait(timeout=300) == 0, log.read_text()[-2000:]
    assert len(_certificates(instance)) == HOLDERS
