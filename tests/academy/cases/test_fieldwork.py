"""Patrols and visits through HTTP, and the daily compliance that counts them."""
from datetime import timedelta

import sqlalchemy as sa

from academy.cases import clock
from academy.cases import operations as ops
from academy.cases.models import Patrol, Visit
from academy.extensions import db
from tests.fixtures.cases import MONDAY_10, report
from tests.support import csrf_token, log_in


def test_worker_starts_and_ends_a_patrol_and_records_a_visit(client, cases_world):
    log_in(client, "worker")
    token = csrf_token(client, "/patrols")
    assert client.post("/patrols/start", data={"csrf_token": token, "grid": cases_world.grid.id}).status_code == 302
    again = client.post("/patrols/start", data={"csrf_token": token, "grid": cases_world.grid.id})
    assert again.status_code == 400 and db.session.scalar(sa.select(sa.func.count(Patrol.id))) == 1
    patrol = db.session.scalar(sa.select(Patrol))
    assert client.post(f"/patrols/{patrol.id}/end", data={"csrf_token": token, "note": "All quiet"}).status_code == 302
    assert client.post(f"/patrols/{patrol.id}/end", data={"csrf_token": token}).status_code == 400
    visit = {"csrf_token": token, "grid": cases_world.grid.id, "household": "Building 3, Room 201", "purpose": "care"}
    assert client.post("/visits", data=visit).status_code == 302
    assert client.post("/visits", data=dict(visit, household="")).status_code == 400
    assert client.post("/visits", data=dict(visit, purpose="party")).status_code == 400
    assert db.session.scalar(sa.select(sa.func.count(Visit.id))) == 1


def test_case_reported_on_a_patrol_points_to_it(cases_world):
    patrol = ops.start_patrol(cases_world.worker, cases_world.grid, cases_world.trainee)
    case = report(cases_world, patrol_id=patrol.id)
    assert case.patrol_id == patrol.id


def test_compliance_counts_patrols_minutes_and_visits(client, cases_world):
    w = cases_world
    for start in (0, 5):
        with clock.frozen_time(MONDAY_10 + timedelta(hours=start)):
            patrol = ops.start_patrol(w.worker, w.grid, w.trainee)
        with clock.frozen_time(MONDAY_10 + timedelta(hours=start, minutes=90)):
            ops.end_patrol(patrol, w.trainee)
    with clock.frozen_time(MONDAY_10 + timedelta(hours=3)):
        ops.record_visit(w.worker, w.grid, w.trainee, "Room 101", ops.record_visit.__globals__["VisitPurpose"].ROUTINE)
    log_in(client, "leader")
    page = client.get("/patrols/compliance", query_string={"day": "2026-03-02"}).get_data(as_text=True)
    row = page.split(w.worker.name)[1].split("</tr>")[0]
    assert "<td>2</td><td>3.0</td><td>1</td>" in row.replace("\n", "")
    other_day = client.get("/patrols/compliance", query_string={"day": "2026-03-03"}).get_data(as_text=True)
    assert "<td>0</td><td>0.0</td><td>0</td>" in other_day.split(w.worker.name)[1]
    assert client.get("/patrols/compliance", query_string={"day": "not-a-day"}).status_code == 200
