"""Background jobs in the three ways they run: kept for the test, a worker thread, RQ on Redis."""
from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from redis import Redis
from rq import Queue, SimpleWorker

from academy import audit
from academy.extensions import db
from academy.jobs import HANDLERS, Job, JobStatus, enqueue_job, get_progress, job_handler

REDIS_URL = "redis://127.0.0.1:6379/15"


if "test.note" not in HANDLERS:
    @job_handler("test.note")
    def _note(ctx, text: str):
        ctx.progress(50, "half way")
        ctx.begin_writes()
        audit.record(None, "test.note", summary=text)
        ctx.result_file("note.txt").write_text(text, encoding="utf-8")
        return {"message": f"noted {text}"}

    @job_handler("test.fail")
    def _fail(ctx, text: str):
        ctx.begin_writes()
        audit.record(None, "test.note", summary=text)  # must not survive the failure
        raise RuntimeError("boom")


def _notes(text: str) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(audit.AuditEntry).where(audit.AuditEntry.summary == text))


def _wait_until_finished(job_id: str, seconds: float = 20) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = db.session.get(Job, job_id)
        finished = job.finished
        db.session.rollback()  # end the read: on SQLite it would hold the lock the job needs
        if finished:
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish")


def test_job_starts_only_after_commit_and_keeps_its_result(app, run_jobs):
    job = enqueue_job("test.note", {"text": "hello"})
    assert run_jobs() == 0  # not committed yet: nothing started
    db.session.commit()
    assert run_jobs() == 1
    db.session.expire_all()
    assert job.status == JobStatus.DONE and job.message == "noted hello"
    assert job.result_path().read_text(encoding="utf-8") == "hello"
    assert get_progress(job)["percent"] == 100.0


def test_rolled_back_request_starts_no_job(app, run_jobs):
    enqueue_job("test.note", {"text": "never"})
    db.session.rollback()
    db.session.commit()
    assert run_jobs() == 0


def test_failed_job_leaves_nothing_half_written(app, run_jobs):
    job = enqueue_job("test.fail", {"text": "half"})
    db.session.commit()
    run_jobs()
    db.session.expire_all()
    assert job.status == JobStatus.FAILED and "boom" in job.error
    assert _notes("half") == 0


def test_unknown_job_kind_is_refused(app):
    with pytest.raises(KeyError):
        enqueue_job("no.such.kind", {})


def test_worker_thread_runs_committed_jobs(live_app):
    assert live_app.config["REDIS_URL"] is None
    with live_app.app_context():
        job_id = enqueue_job("test.note", {"text": "threaded"}).id
        db.session.commit()
        job = _wait_until_finished(job_id)
        assert job.status == JobStatus.DONE
        assert _notes("threaded") == 1


def test_rq_worker_runs_jobs_from_redis(live_app):
    connection = Redis.from_url(REDIS_URL)
    connection.flushdb()
    live_app.config["REDIS_URL"] = REDIS_URL
    try:
        with live_app.app_context():
            job_id = enqueue_job("test.note", {"text": "queued"}).id
            db.session.commit()
            queue = Queue("academy", connection=connection)
            assert queue.count == 1
            SimpleWorker([queue], connection=connection).work(burst=True)
            db.session.expire_all()
            job = db.session.get(Job, job_id)
            assert job.status == JobStatus.DONE and _notes("queued") == 1
            assert get_progress(job)["percent"] == 100.0
    finally:
        live_app.config["REDIS_URL"] = None
        connection.flushdb()


def test_unreachable_redis_falls_back_to_the_thread(live_app):
    live_app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    try:
        with live_app.app_context():
            job_id = enqueue_job("test.note", {"text": "fallback"}).id
            db.session.commit()
            assert _wait_until_finished(job_id).status == JobStatus.DONE
    finally:
        live_app.config["REDIS_URL"] = None


def test_job_pages_show_progress_to_the_owner_only(app, client, make_user, run_jobs):
    from academy.permissions import Role
    from tests.support import log_in

    owner = make_user("owner", Role.HR)
    make_user("stranger", Role.HR)
    job = enqueue_job("test.note", {"text": "mine"}, by=owner)
    db.session.commit()
    log_in(client, "owner")
    assert client.get(f"/jobs/{job.id}/status.json").get_json()["status"] == "queued"
    run_jobs()
    status = client.get(f"/jobs/{job.id}/status.json").get_json()
    assert status["finished"] and status["percent"] == 100.0 and status["has_result"]
    assert client.get(f"/jobs/{job.id}/result").get_data(as_text=True) == "mine"
    other = app.test_client()
    log_in(other, "stranger")
    assert other.get(f"/jobs/{job.id}").status_code == 403
    assert client.get("/jobs/not-a-job").status_code == 404


def test_a_rolled_back_savepoint_keeps_the_jobs_queued_before_it(app, run_jobs):
    enqueue_job("test.note", {"text": "kept"})
    savepoint = db.session.begin_nested()
    savepoint.rollback()
    db.session.commit()
    assert run_jobs() == 1


def test_a_job_queued_in_a_savepoint_starts_at_the_real_commit(app, run_jobs):
    """Open311's media job is queued inside the savepoint that files the case: released, the savepoint
    has committed nothing another connection can see, so the job must wait for the commit."""
    with db.session.begin_nested():
        enqueue_job("test.note", {"text": "after the savepoint"})
    assert run_jobs() == 0
    db.session.commit()
    assert run_jobs() == 1 and _notes("after the savepoint") == 1


def test_a_job_delivered_twice_runs_once(app):
    from academy.jobs import _run_in_context

    job = enqueue_job("test.note", {"text": "twice"})
    db.session.commit()
    _run_in_context(job.id)
    _run_in_context(job.id)
    assert _notes("twice") == 1


def test_result_file_names_cannot_leave_the_job_folder(app):
    from academy.jobs import JobContext, job_folder

    job = enqueue_job("test.note", {"text": "x"})
    path = JobContext(job).result_file("../../etc/passwd")
    assert path.parent == job_folder(job.id) and path.name == "passwd"


def test_jobs_whose_worker_died_are_marked_failed(app):
    from datetime import timedelta

    from academy.database import utcnow
    from academy.jobs import sweep_stale_jobs

    job = enqueue_job("test.note", {"text": "orphan"})
    job.status, job.started_at = JobStatus.RUNNING, utcnow() - timedelta(hours=2)
    db.session.flush()
    assert sweep_stale_jobs(3600) == 1
    assert job.status == JobStatus.FAILED and "interrupted" in job.error
