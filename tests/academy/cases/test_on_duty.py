"""A worker off duty files no case (持证上岗, issue 16): the report page refuses him before the form,
a report he sends anyway is refused by the operation and nothing is written; learning stays open."""
from __future__ import annotations

import sqlalchemy as sa

from academy.cases.models import Case
from academy.extensions import db
from academy.registry import operations
from academy.registry.models import WorkerStatus
from tests.support import csrf_token, log_in

REFUSAL = "Only a grid worker on duty can report a case"
EN = {"Accept-Language": "en"}  # the refusal is read in English whatever the default language


def _form(world, token: str) -> dict:
    return {"csrf_token": token, "category": str(world.category.id), "grid": str(world.grid.id),
            "title": "Fallen tree", "description": "A tree fell across the path", "location": "Gate 2",
            "submission_key": "s" * 24}


def test_a_suspended_worker_is_refused_his_case_report(client, cases_world):
    log_in(client, "worker")
    token = csrf_token(client, "/cases/report")  # the form as he opened it while still on duty
    operations.change_status(cases_world.worker, WorkerStatus.SUSPENDED, None, "disciplinary review")
    response = client.post("/cases/report", data=_form(cases_world, token), follow_redirects=True, headers=EN)
    assert REFUSAL in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0
    page = client.get("/cases/report", follow_redirects=True, headers=EN)
    assert REFUSAL in page.get_data(as_text=True) and 'name="title"' not in page.get_data(as_text=True)


def test_a_worker_in_training_is_refused_and_on_duty_may_report(client, cases_world):
    log_in(client, "worker")
    token = csrf_token(client, "/cases/report")
    operations.change_status(cases_world.worker, WorkerStatus.IN_TRAINING, None, "refresher course")
    response = client.post("/cases/report", data=_form(cases_world, token), follow_redirects=True, headers=EN)
    assert REFUSAL in response.get_data(as_text=True)
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 0
    operations.put_on_duty(cases_world.worker, None, "certificate issued")
    assert client.post("/cases/report", data=_form(cases_world, token)).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 1


def test_a_suspended_worker_still_reaches_his_learning(client, cases_world):
    operations.change_status(cases_world.worker, WorkerStatus.SUSPENDED, None, "disciplinary review")
    log_in(client, "worker")
    assert client.get("/courses").status_code == 200  # the course catalogue: learning stays open
