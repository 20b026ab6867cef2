"""A suspended grid worker keeps learning but does no case work: the report page, the report
operation and his own self-handled tasks refuse him; his training page stays open."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from flask_babel import force_locale

from academy.cases import access
from academy.cases.models import Case
from academy.cases.operations import CaseError
from academy.extensions import db
from academy.registry.models import WorkerStatus
from academy.registry.operations import change_status
from tests.fixtures.cases import report
from tests.support import csrf_token, log_in


def test_a_suspended_worker_studies_but_cannot_report(client, cases_world, make_user):
    log_in(client, "worker")
    assert client.get("/cases/report").status_code == 200
    token = csrf_token(client, "/cases/report")
    change_status(cases_world.worker, WorkerStatus.SUSPENDED, make_user("hr"), "调查")
    assert 'name="title"' not in client.get("/cases/report", follow_redirects=True).get_data(as_text=True)
    posted = client.post("/cases/report", data={
        "csrf_token": token, "category": str(cases_world.category.id), "grid": str(cases_world.grid.id),
        "title": "Fallen tree", "description": "A tree fell", "submission_key": "s" * 24})
    assert posted.status_code in (302, 303)  # refused with the reason (tests/academy/cases/test_on_duty.py reads it)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Case)) == 0
    assert client.get("/training/mine").status_code == 200  # learning stays open
    assert not access.can_do_case_work(cases_world.trainee)


def test_the_operation_refuses_a_suspended_worker_too(cases_world):
    cases_world.worker.status = WorkerStatus.SUSPENDED
    with force_locale("en"), pytest.raises(CaseError, match="Only a grid worker on duty can report a case"):
        report(cases_world, key="t" * 24)
