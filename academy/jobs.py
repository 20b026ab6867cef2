"""Background jobs with a progress figure and a result file: RQ on Redis, or a worker thread.

A job is a row (kind, parameters, status, result) and a handler registered for its kind with
``@job_handler``. Operations call ``enqueue_job``, which only flushes the row; the job is handed
to a runner after the request commits, so a rolled-back request never starts one. The runner
commits once, after the handler returns: a failing job leaves nothing half-written.

Live progress goes to Redis when it is configured (web and RQ workers share it) and to memory in
the embedded mode (the worker thread lives in the web process). It is kept out of the database
on purpose: on SQLite a job that holds the write lock could not update its own progress row.
"""
from __future__ import annotations

import enum
import json
import logging
import queue
import threading
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from academy.database import UTCDateTime, utcnow
from academy.extensions import db

log = logging.getLogger(__name__)

HANDLERS: dict[str, Callable] = {}
_PENDING_KEY = "academy.jobs_to_start"
_memory_progress: dict[str, dict] = {}
_worker_app: Flask | None = None


class JobStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(db.Model):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(sa.String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    kind: Mapped[str] = mapped_column(sa.String(60), index=True)
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[JobStatus] = mapped_column(sa.Enum(JobStatus, native_enum=False, length=20), default=JobStatus.QUEUED)
    message: Mapped[str] = mapped_column(sa.String(500), default="")
    result: Mapped[dict | None] = mapped_column(sa.JSON)
    result_name: Mapped[str | None] = mapped_column(sa.String(200))
    error: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def finished(self) -> bool:
        return self.status in (JobStatus.DONE, JobStatus.FAILED)

    def result_path(self) -> Path | None:
        if not self.result_name:
            return None
        return job_folder(self.id) / self.result_name


def job_handler(kind: str) -> Callable:
    """Register ``func(ctx, **params)`` as the handler of jobs of ``kind``."""

    def register(func: Callable) -> Callable:
        HANDLERS[kind] = func
        return func

    return register


def job_folder(job_id: str) -> Path:
    return Path(current_app.config["FILES_DIR"]) / "jobs" / job_id


def enqueue_job(kind: str, params: dict, by=None) -> Job:
    """Create a queued job; it starts once the current transaction commits. Flushes."""
    if kind not in HANDLERS:
        raise KeyError(f"no handler for job kind {kind!r}")
    job = Job(kind=kind, params=params, created_by_id=getattr(by, "id", None))
    db.session.add(job)
    db.session.flush()
    db.session.info.setdefault(_PENDING_KEY, []).append(job.id)
    return job


class JobContext:
    """What a handler gets: its job, a progress reporter and a place for its result file."""

    def __init__(self, job: Job) -> None:
        self.job = job

    def progress(self, percent: float, message: str = "") -> None:
        set_progress(self.job.id, percent, message)

    def result_file(self, name: str) -> Path:
        folder = job_folder(self.job.id)
        folder.mkdir(parents=True, exist_ok=True)
        self.job.result_name = name
        return folder / name


def _redis():
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    from redis import Redis

    return Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)


def set_progress(job_id: str, percent: float, message: str = "") -> None:
    value = {"percent": round(max(0.0, min(100.0, percent)), 1), "message": message[:200]}
    conn = _redis()
    if conn is not None:
        try:
            conn.set(f"academy:job:{job_id}:progress", json.dumps(value), ex=86400)
            return
        except Exception:  # progress is a courtesy; the job goes on without it
            log.warning("could not store progress of job %s in Redis", job_id)
    _memory_progress[job_id] = value


def get_progress(job: Job) -> dict:
    """The job's live progress: 100 % once finished, else the last figure reported."""
    if job.finished:
        return {"percent": 100.0 if job.status == JobStatus.DONE else 0.0, "message": job.message}
    conn = _redis()
    if conn is not None:
        try:
            raw = conn.get(f"academy:job:{job.id}:progress")
            if raw:
                return json.loads(raw)
        except Exception:
            log.warning("could not read progress of job %s from Redis", job.id)
    return _memory_progress.get(job.id, {"percent": 0.0, "message": job.message})


def run_job(job_id: str) -> None:
    """Run one job to its end; the entry point of both RQ workers and the worker thread."""
    global _worker_app
    if has_app_context():
        _run_in_context(job_id)
        return
    if _worker_app is None:
        from academy import create_app

        _worker_app = create_app()
    with _worker_app.app_context():
        _run_in_context(job_id)


def _run_in_context(job_id: str) -> None:
    job = db.session.get(Job, job_id)
    if job is None or job.status != JobStatus.QUEUED:
        return  # delivered twice, or already taken by another worker
    job.status, job.started_at = JobStatus.RUNNING, utcnow()
    db.session.commit()
    try:
        result = HANDLERS[job.kind](JobContext(job), **job.params)
        job.result = result if isinstance(result, dict) else None
        job.status = JobStatus.DONE
        job.message = (result or {}).get("message", "") if isinstance(result, dict) else ""
    except Exception as exc:  # a job's failure is reported on its page, not raised into a worker
        log.exception("job %s (%s) failed", job_id, job.kind)
        db.session.rollback()
        job = db.session.get(Job, job_id)
        job.status, job.error = JobStatus.FAILED, f"{type(exc).__name__}: {exc}"[:2000]
        job.message = getattr(exc, "user_message", "") or ""
    job.finished_at = utcnow()
    db.session.commit()


class ThreadRunner:
    """The embedded runner: daemon threads taking job ids from a queue."""

    def __init__(self, app: Flask, threads: int) -> None:
        self.app = app
        self.queue: queue.Queue[str] = queue.Queue()
        for n in range(threads):
            threading.Thread(target=self._work, name=f"academy-jobs-{n}", daemon=True).start()

    def submit(self, job_id: str) -> None:
        self.queue.put(job_id)

    def _work(self) -> None:
        while True:
            job_id = self.queue.get()
            try:
                with self.app.app_context():
                    _run_in_context(job_id)
            except Exception:
                log.exception("job runner thread failed on %s", job_id)
            finally:
                self.queue.task_done()


def _dispatch(app: Flask, job_id: str) -> None:
    """Hand a committed job to RQ, or to the worker thread when Redis is absent or down.

    ``JOB_RUNNER = "manual"`` (tests that share one connection) keeps the ids for
    ``run_pending_jobs`` instead, so the job runs where the test can see its transaction.
    """
    if app.config.get("JOB_RUNNER") == "manual":
        app.extensions["academy.pending_jobs"].append(job_id)
        return
    url = app.config.get("REDIS_URL")
    if url:
        try:
            from redis import Redis
            from rq import Queue

            connection = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
            Queue("academy", connection=connection).enqueue(
                "academy.jobs.run_job", job_id, job_id=job_id, job_timeout=3600
            )
            return
        except Exception:
            log.exception("Redis unreachable; running job %s in this process", job_id)
    app.extensions["academy.job_runner"].submit(job_id)


def _after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING_KEY, [])
    if pending and has_app_context():
        app = current_app._get_current_object()
        for job_id in pending:
            _dispatch(app, job_id)


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING_KEY, None)


event.listen(Session, "after_commit", _after_commit)
event.listen(Session, "after_soft_rollback", lambda session, _tx: _after_rollback(session))


def run_pending_jobs(app: Flask) -> int:
    """Run the jobs kept by the manual runner, in this context; returns how many ran."""
    pending = app.extensions["academy.pending_jobs"]
    count = 0
    while pending:
        _run_in_context(pending.pop(0))
        count += 1
    return count


def init_app(app: Flask) -> None:
    app.extensions["academy.pending_jobs"] = []
    if app.config.get("JOB_RUNNER") != "manual":
        app.extensions["academy.job_runner"] = ThreadRunner(app, app.config.get("JOB_WORKER_THREADS", 1))
