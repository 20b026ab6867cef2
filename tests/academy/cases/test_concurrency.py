"""Concurrent requests against a real, committing application (PostgreSQL in `make test`):
double submits file one case, concurrent reports get distinct numbers, and a step clicked twice
at once happens once."""
import threading

import sqlalchemy as sa

from academy.cases.models import Case, CaseEvent
from academy.extensions import db
from tests.fixtures.cases import build_world, report
from tests.support import csrf_token, log_in

THREADS = 6


def world_in(live_app, make_user):
    with live_app.app_context():
        world = build_world(make_user)
        ids = {"grid": world.grid.id, "category": world.category.id}
        db.session.commit()
    return world, ids


def run_together(requests):
    """Start every request at the same moment; return their responses."""
    barrier, results = threading.Barrier(len(requests)), [None] * len(requests)

    def worker(i, send):
        barrier.wait()
        results[i] = send()

    threads = [threading.Thread(target=worker, args=(i, send)) for i, send in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return results


def logged_in_clients(live_app, username, n, page):
    clients = []
    for _ in range(n):
        client = live_app.test_client()
        log_in(client, username)
        clients.append((client, csrf_token(client, page)))
    return clients


def form(ids, token, key):
    return {"csrf_token": token, "category": str(ids["category"]), "grid": str(ids["grid"]), "title": "Fallen tree",
            "description": "Across the path", "submission_key": key, "file_anyway": "y"}


def test_double_submit_at_once_files_one_case(live_app, make_user):
    _world, ids = world_in(live_app, make_user)
    clients = logged_in_clients(live_app, "worker", THREADS, "/cases/report")
    responses = run_together([lambda c=c, t=t: c.post("/cases/report", data=form(ids, t, "same" * 6))
                              for c, t in clients])
    assert {r.status_code for r in responses} == {302}
    assert len({r.headers["Location"] for r in responses}) == 1
    with live_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Case.id))) == 1


def test_concurrent_reports_get_distinct_numbers(live_app, make_user):
    _world, ids = world_in(live_app, make_user)
    clients = logged_in_clients(live_app, "worker", THREADS, "/cases/report")
    responses = run_together([lambda c=c, t=t, i=i: c.post("/cases/report", data=form(ids, t, f"key-{i:020d}"))
                              for i, (c, t) in enumerate(clients)])
    assert {r.status_code for r in responses} == {302}
    with live_app.app_context():
        numbers = db.session.scalars(sa.select(Case.number)).all()
    assert len(numbers) == THREADS and len(set(numbers)) == THREADS


def test_a_step_clicked_twice_at_once_happens_once(live_app, make_user):
    world, _ids = world_in(live_app, make_user)
    with live_app.app_context():
        case_id = report(world_reloaded(world)).id
        db.session.commit()
    clients = logged_in_clients(live_app, "dispatch", 2, f"/cases/{case_id}")
    responses = run_together([lambda c=c, t=t: c.post(f"/cases/{case_id}/do/accept", data={"csrf_token": t})
                              for c, t in clients])
    assert sorted(r.status_code for r in responses) == [302, 400]
    with live_app.app_context():
        accepts = db.session.scalar(sa.select(sa.func.count(CaseEvent.id)).where(
            CaseEvent.case_id == case_id, CaseEvent.action == "accept"))
    assert accepts == 1


def world_reloaded(world):
    """The world's rows loaded into the current session (the builder's session has ended)."""
    for name, value in vars(world).items():
        setattr(world, name, db.session.merge(value))
    return world
