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
import errno
import json
import logging
import queue
import shutil
import threading
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from sqlalchemy import event
from sqlalchemy.orm import Mapped, Session, mapped_column

from academy.database import UTCDateTime, reset_sqlite_begin_mode, set_sqlite_begin_mode, utcnow
from academy.extensions import db
from academy.files import StorageError

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


def job_handler(kind: str, *, writes_late: bool = False) -> Callable:
    """Register ``func(ctx, **params)`` as the handler of jobs of ``kind``.

    ``writes_late``: the handler does its long work (parsing, rendering) first and calls
    ``ctx.begin_writes()`` before writing anything. On SQLite it then holds the write lock only
    for the writing, instead of for the whole job while every web request that writes waits.
    """

    def register(func: Callable) -> Callable:
        func.writes_late = writes_late
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
        """Where to write the job's result, under the job's own folder whatever ``name`` says."""
        safe = Path(name).name.lstrip(".") or "result"
        folder = job_folder(self.job.id)
        folder.mkdir(parents=True, exist_ok=True)
        self.job.result_name = safe
        return folder / safe

    def begin_writes(self) -> None:
        """End the read phase of a ``writes_late`` job: what follows runs in a write transaction."""
        db.session.commit()  # nothing was written: this only ends the read transaction
        set_sqlite_begin_mode("IMMEDIATE")


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


def _claim(job_id: str) -> bool:
    """Mark a queued job running; False if another runner took it first (a job delivered twice)."""
    claimed = db.session.execute(
        sa.update(Job).where(Job.id == job_id, Job.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, started_at=utcnow())
    ).rowcount
    db.session.commit()
    return claimed == 1


# The errors that mean the storage, not the job, failed: the user is told so (StorageError's message).
_STORAGE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}


def _as_storage_error(error: BaseException) -> BaseException:
    """A file a handler wrote itself (a PDF renderer, a zip) fails with a bare OSError."""
    if isinstance(error, OSError) and not isinstance(error, StorageError) and error.errno in _STORAGE_ERRNOS:
        return StorageError(error.errno, error.strerror or str(error))
    return error


def _discard_files(job_id: str) -> None:
    """A failed job's folder holds at best part of its result, which is never offered: remove it
    (and give a full disk its space back)."""
    shutil.rmtree(job_folder(job_id), ignore_errors=True)


def _finish_failed(job_id: str, error: BaseException) -> None:
    db.session.rollback()
    error = _as_storage_error(error)
    _discard_files(job_id)
    job = db.session.get(Job, job_id)
    job.status, job.error = JobStatus.FAILED, f"{type(error).__name__}: {error}"[:2000]
    job.message = str(getattr(error, "user_message", "") or "")[:500]
    job.finished_at = utcnow()
    db.session.commit()


def _run_in_context(job_id: str) -> None:
    if not _claim(job_id):
        return
    job = db.session.get(Job, job_id)
    handler = HANDLERS[job.kind]
    token = set_sqlite_begin_mode("DEFERRED" if getattr(handler, "writes_late", False) else "IMMEDIATE")
    try:
        result = handler(JobContext(job), **job.params)
        job.result = result if isinstance(result, dict) else None
        job.message = str((result or {}).get("message", "") if isinstance(result, dict) else "")[:500]
        job.status, job.finished_at = JobStatus.DONE, utcnow()
        db.session.commit()  # the job's work and its DONE status land together, or not at all
    except Exception as exc:  # a job's failure is reported on its page, not raised into a worker
        log.exception("job %s (%s) failed", job_id, job.kind)
        _finish_failed(job_id, exc)
    finally:
        reset_sqlite_begin_mode(token)


def sweep_stale_jobs(max_runtime_seconds: int) -> int:
    """Mark jobs RUNNING for longer than ``max_runtime_seconds`` as failed (their worker died:
    killed, restarted or timed out). Their work was never committed, so running them again is
    safe. Returns how many were marked. Flushes."""
    limit = utcnow() - timedelta(seconds=max_runtime_seconds)
    stale = db.session.scalars(sa.select(Job).where(Job.status == JobStatus.RUNNING, Job.started_at < limit)).all()
    for job in stale:
        job.status, job.finished_at = JobStatus.FAILED, utcnow()
        job.error = "interrupted: the worker stopped before the job finished"
        _discard_files(job.id)
    db.session.flush()
    return len(stale)


def waiting_jobs(older_than_seconds: int) -> list[str]:
    """Ids of jobs still queued after ``older_than_seconds`` (a worker thread lost at restart)."""
    limit = utcnow() - timedelta(seconds=older_than_seconds)
    return list(db.session.scalars(sa.select(Job.id).where(Job.status == JobStatus.QUEUED, Job.created_at < limit)))


class ThreadRunner:
    """The embedded runner: daemon threads taking job ids from a queue."""

    def __init__(self, app: Flask, threads: int) -> None:
        self.app = app
        self.threads = threads
        self.queue: queue.Queue[str] = queue.Queue()
        self.started = False
        self.lock = threading.Lock()

    def start(self) -> None:
        """Start the worker threads once, and take up what a previous process left behind.

        Started by the first job or the first web request, never by a CLI command."""
        with self.lock:
            if self.started:
                return
            self.started = True
        for n in range(self.threads):
            threading.Thread(target=self._work, name=f"academy-jobs-{n}", daemon=True).start()
        threading.Thread(target=self._recover, name="academy-jobs-recover", daemon=True).start()

    def _recover(self) -> None:
        """After a restart: fail the jobs the old process was running, take up the ones it had queued."""
        try:
            with self.app.app_context():
                sweep_stale_jobs(self.app.config["JOB_TIMEOUT_SECONDS"])
                db.session.commit()
                for job_id in waiting_jobs(older_than_seconds=60):
                    self.submit(job_id)
        except Exception as error:  # no tables yet (before `flask db upgrade`), or the database is away
            log.info("job recovery skipped: %s", type(error).__name__)

    def submit(self, job_id: str) -> None:
        self.start()
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
                "academy.jobs.run_job", job_id, job_id=job_id, job_timeout=app.config["JOB_TIMEOUT_SECONDS"]
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


def _after_soft_rollback(session: Session, previous_transaction) -> None:
    # A rolled-back savepoint leaves the outer transaction, and the jobs it queued, alive.
    if previous_transaction.parent is None and not previous_transaction.nested:
        session.info.pop(_PENDING_KEY, None)


event.listen(Session, "after_commit", _after_commit)
event.listen(Session, "after_soft_rollback", _after_soft_rollback)


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
        runner = ThreadRunner(app, app.config.get("JOB_WORKER_THREADS", 1))
        app.extensions["academy.job_runner"] = runner
        if not app.config.get("REDIS_URL"):
            app.before_request(runner.start)  # the web process also takes up jobs left from before
