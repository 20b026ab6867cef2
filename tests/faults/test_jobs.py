"""Background jobs when their queue or their worker fails: Redis gone when a job is queued (it runs
in the web process instead), and an RQ worker killed half-way through an import (nothing of it is
written; once swept, the same import runs again cleanly, every grid once)."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
import sqlalchemy as sa

from academy.accounts.operations import create_user, grant_role
from academy.config import BASE_DIR
from academy.database import reset_sqlite_begin_mode, set_sqlite_begin_mode
from academy.extensions import db
from academy.jobs import Job, JobStatus, get_progress, sweep_stale_jobs
from academy.permissions import Role
from academy.registry.models import Grid
from tests.academy.registry.workbooks import csv_file
from tests.faults.conftest import kill_tree, make_app
from tests.fixtures.registry import get_or_create_area
from tests.support import PASSWORD, log_in, post_form

pytestmark = [pytest.mark.fault, pytest.mark.own_database]
COMMUNITIES = ("320102002001", "320102002002", "320102002003")


@pytest.fixture
def instance(tmp_path, private_redis):
    """An app on a SQLite file with jobs on the private Redis, an HR user and the area tree."""
    app = make_app(f"sqlite:///{tmp_path / 'academy.db'}", tmp_path / "instance", JOB_RUNNER="auto",
                   REDIS_URL=private_redis.url)
    with app.app_context():
        user = create_user("hr-jobs", PASSWORD, by=None)
        grant_role(user, Role.HR, by=None)
        for code, name in (("3201", "南京市"), ("320102", "玄武区"), ("320102002", "梅园新村街道")):
            get_or_create_area(code, name)
        for code in COMMUNITIES:
            get_or_create_area(code, f"社区{code[-1]}")
        db.session.commit()
    yield app
    with app.app_context():
        db.engine.dispose()


def grids_file(per_community: int) -> bytes:
    rows = [{"code": f"{community}{n:03d}", "name": f"网格{community[-1]}-{n}", "kind": "综合网格", "households": 300,
             "valid_from": "2024-01-01"} for community in COMMUNITIES for n in range(1, per_community + 1)]
    return csv_file("grids", rows)


def upload(client, data: bytes) -> str:
    import io

    response = post_form(client, "/registry/import", {"file": (io.BytesIO(data), "grids.csv")},
                         token_from="/registry/import", content_type="multipart/form-data")
    assert response.status_code == 302 and "/jobs/" in response.headers["Location"], response.status_code
    return response.headers["Location"].rsplit("/", 1)[-1]


def job_of(app, job_id: str) -> Job:
    """The job as stored now; read in a deferred transaction, so it never waits for a writer."""
    token = set_sqlite_begin_mode("DEFERRED")
    try:
        with app.app_context():
            job = db.session.get(Job, job_id)
            db.session.expunge(job)
            return job
    finally:
        reset_sqlite_begin_mode(token)


def wait_for(app, job_id: str, states: set, timeout: float = 120) -> Job:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = job_of(app, job_id)
        if job.status in states:
            return job
        time.sleep(0.02)
    raise TimeoutError(f"job {job_id} still {job.status} after {timeout} s")


def wait_for_progress(app, job_id: str, percent: float, timeout: float = 120) -> None:
    """Until the job reports ``percent`` or more (its live figure, from Redis): a moment known to be
    inside its work, where a fixed pause would be too late on a fast machine and too early on a slow one."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = job_of(app, job_id)
        with app.app_context():
            if get_progress(job)["percent"] >= percent:
                return
        time.sleep(0.005)
    raise TimeoutError(f"job {job_id} did not reach {percent} % in {timeout} s")


def grid_count(app) -> tuple[int, int]:
    with app.app_context(), db.session.no_autoflush:
        codes = db.session.scalars(sa.select(Grid.code)).all()
        return len(codes), len(set(codes))


def test_with_redis_gone_a_job_runs_in_the_web_process(instance, private_redis):
    private_redis.kill()
    client = instance.test_client()
    log_in(client, "hr-jobs")
    job_id = upload(client, grids_file(200))
    job = wait_for(instance, job_id, {JobStatus.DONE, JobStatus.FAILED})
    assert job.status == JobStatus.DONE, job.error
    assert grid_count(instance) == (600, 600)
    status = client.get(f"/jobs/{job_id}/status.json")
    assert status.status_code == 200 and status.get_json()["finished"] is True
    assert client.get(f"/jobs/{job_id}").status_code == 200


def _rq_worker(app, redis_url: str) -> subprocess.Popen:
    """An RQ worker process (it forks a work horse per job), in a process group of its own."""
    env = {**os.environ, "ACADEMY_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
           "ACADEMY_INSTANCE_PATH": app.config["INSTANCE_PATH"], "ACADEMY_FILES_DIR": app.config["FILES_DIR"],
           "ACADEMY_REDIS_URL": redis_url, "PYTHONPATH": str(BASE_DIR)}
    rq = Path(sys.executable).parent / "rq"
    return subprocess.Popen([str(rq), "worker", "academy", "--burst", "--url", redis_url], cwd=BASE_DIR, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def test_a_worker_killed_half_way_leaves_nothing_and_the_rerun_is_clean(instance, private_redis):
    client = instance.test_client()
    log_in(client, "hr-jobs")
    data = grids_file(800)  # 2,400 grids: long enough to be killed in the middle
    first = upload(client, data)
    worker = _rq_worker(instance, private_redis.url)
    wait_for_progress(instance, first, 30)  # "writing areas and grids": inside the import's one transaction
    kill_tree(worker.pid)  # the worker and the work horse it forked for the job, as when a host dies
    worker.wait(timeout=30)
    assert job_of(instance, first).status == JobStatus.RUNNING, "the job was still running when killed"
    assert grid_count(instance) == (0, 0), "nothing of a killed job is written"
    with instance.app_context():  # what `flask academy jobs-sweep` does once the timeout has passed
        assert sweep_stale_jobs(0) == 1
        db.session.commit()
    swept = job_of(instance, first)
    assert swept.status == JobStatus.FAILED and "interrupted" in swept.error
    assert client.get(f"/jobs/{first}/status.json").get_json()["failed"] is True

    again = upload(client, data)
    rerun = _rq_worker(instance, private_redis.url)
    assert rerun.wait(timeout=300) == 0
    assert job_of(instance, again).status == JobStatus.DONE
    assert grid_count(instance) == (2400, 2400)
    upload(client, data)  # and the same file once more changes nothing
    assert _rq_worker(instance, private_redis.url).wait(timeout=300) == 0
    assert grid_count(instance) == (2400, 2400)


def test_a_queued_job_whose_rq_job_is_gone_is_enqueued_again(instance, private_redis):
    """Redis lost the job (flushed, restarted without persistence): the row stays QUEUED and no worker
    would ever run it. Recovery finds it gone from Redis and enqueues it again; one still waiting
    in Redis is left alone (not enqueued twice)."""
    from redis import Redis
    from rq import Queue

    from academy.jobs import recover

    client = instance.test_client()
    log_in(client, "hr-jobs")
    lost = upload(client, grids_file(200))  # 600 rows: a background job
    connection = Redis.from_url(private_redis.url)
    queue = Queue("academy", connection=connection)
    assert queue.count == 1
    connection.flushdb()  # what a Redis restart without persistence does
    assert job_of(instance, lost).status == JobStatus.QUEUED
    assert recover(instance) == 1
    assert queue.job_ids == [lost]
    assert recover(instance) == 0, "a job waiting in Redis is not enqueued twice"
    assert _rq_worker(instance, private_redis.url).wait(timeout=300) == 0
    assert job_of(instance, lost).status == JobStatus.DONE
    assert grid_count(instance) == (600, 600)
