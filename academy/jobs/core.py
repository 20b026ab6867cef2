"""Running one job: its handler, its phases, its progress and its end (done or failed).

A job runs in three phases, and the runner, not each handler, keeps them apart:

1. the claim: one short write transaction marks the row RUNNING (a job delivered twice runs once);
2. the read phase: the handler runs in a READ ONLY transaction (``academy.database``): it reads
   what it needs, may end the transaction (``ctx.end_reads()``) and render or parse outside any;
   a write here fails at once instead of taking the write lock, on SQLite and PostgreSQL alike;
3. the write phase: ``ctx.begin_writes()`` (or the runner, once the handler returns) opens a
   write transaction; what the handler writes then and the job's DONE status commit together.

So on SQLite a job holds the write lock only while it writes, never while it reads and renders,
and log-ins, autosaves and submits keep working during a 1,000-certificate batch. A failing job
leaves nothing half-written: its writes roll back and it is marked FAILED in a write of its own.

Live progress goes to Redis when it is configured (web and RQ workers share it) and to memory in
the embedded mode (the worker thread lives in the web process). It is kept out of the database
on purpose: a job writing its progress row would take the write lock it is meant to leave alone.
"""
from __future__ import annotations

import errno
import json
import logging
import shutil
from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context

from academy.database import READ_ONLY, reset_sqlite_begin_mode, set_sqlite_begin_mode, utcnow
from academy.extensions import db
from academy.files import StorageError
from academy.jobs.models import Job, JobStatus, job_folder
from academy.jobs.signals import job_ended
from academy.signals import send

log = logging.getLogger(__name__)

HANDLERS: dict[str, Callable] = {}
LABELS: dict[str, object] = {}  # kind -> what the job is called: its starter is told when it ends
PENDING_KEY = "academy.jobs_to_start"
_memory_progress: dict[str, dict] = {}
_worker_app: Flask | None = None


def job_handler(kind: str, label=None) -> Callable:
    """Register ``func(ctx, **params)`` as the handler of jobs of ``kind``; ``label`` (a lazy string)
    names the job to the person who started it, who is told when it ends (``signals.job_ended``).

    The handler starts in the read phase; it calls ``ctx.begin_writes()`` before its first write
    (a handler that only reads never calls it: the runner writes the job's result after it)."""

    def register(func: Callable) -> Callable:
        HANDLERS[kind] = func
        if label is not None:
            LABELS[kind] = label
        return func

    return register


def enqueue_job(kind: str, params: dict, by=None) -> Job:
    """Create a queued job; it starts once the current transaction commits. Flushes."""
    if kind not in HANDLERS:
        raise KeyError(f"no handler for job kind {kind!r}")
    job = Job(kind=kind, params=params, created_by_id=getattr(by, "id", None))
    db.session.add(job)
    db.session.flush()
    db.session.info.setdefault(PENDING_KEY, []).append(job.id)
    return job


def _end_transaction() -> None:
    """Commit without expiring what was loaded: the read phase wrote nothing, so what it read is
    still what it read, and reloading it row by row inside the write transaction would lengthen it."""
    session = db.session()
    keep, session.expire_on_commit = session.expire_on_commit, False
    try:
        session.commit()
    finally:
        session.expire_on_commit = keep


class JobContext:
    """What a handler gets: its job, a progress reporter, a place for its result file, its phases."""

    def __init__(self, job: Job) -> None:
        self.job = job
        self.result_name: str | None = None
        self.writing = False

    def progress(self, percent: float, message: str = "") -> None:
        set_progress(self.job.id, percent, message)

    def result_file(self, name: str) -> Path:
        """Where to write the job's result, under the job's own folder whatever ``name`` says.

        The name is kept here and written to the job's row in the write phase, never in the read one."""
        safe = Path(name).name.lstrip(".") or "result"
        folder = job_folder(self.job.id)
        folder.mkdir(parents=True, exist_ok=True)
        self.result_name = safe
        return folder / safe

    def end_reads(self) -> None:
        """End the read transaction before long work that needs no database (rendering, parsing):
        on SQLite an open reader also keeps the write-ahead log from being checkpointed."""
        if not self.writing:
            _end_transaction()

    def begin_writes(self) -> None:
        """End the read phase: what follows runs in a write transaction, committed with the job's end."""
        if self.writing:
            return
        _end_transaction()  # a write attempted in the read phase fails here, not silently later
        set_sqlite_begin_mode("IMMEDIATE")
        self.writing = True


def _redis():
    url = current_app.config.get("REDIS_URL")
    if not url:
        return None
    from redis import Redis  # only where Redis is configured

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
        run_in_context(job_id)
        return
    if _worker_app is None:
        from academy import create_app  # an RQ work horse has no app until its first job

        _worker_app = create_app()
    with _worker_app.app_context():
        run_in_context(job_id)


def _claim(job_id: str) -> bool:
    """Mark a queued job running; False if another runner took it first (a job delivered twice)."""
    token = set_sqlite_begin_mode("IMMEDIATE")
    try:
        claimed = db.session.execute(
            sa.update(Job).where(Job.id == job_id, Job.status == JobStatus.QUEUED)
            .values(status=JobStatus.RUNNING, started_at=utcnow())
        ).rowcount
        db.session.commit()
    finally:
        reset_sqlite_begin_mode(token)
    return claimed == 1


# The errors that mean the storage, not the job, failed: the user is told so (StorageError's message).
_STORAGE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS}


def _as_storage_error(error: BaseException) -> BaseException:
    """A file a handler wrote itself (a PDF renderer, a zip) fails with a bare OSError."""
    if isinstance(error, OSError) and not isinstance(error, StorageError) and error.errno in _STORAGE_ERRNOS:
        return StorageError(error.errno, error.strerror or str(error))
    return error


def discard_files(job_id: str) -> None:
    """A failed job's folder holds at best part of its result, which is never offered: remove it
    (and give a full disk its space back)."""
    shutil.rmtree(job_folder(job_id), ignore_errors=True)


def _finish_failed(job_id: str, error: BaseException) -> None:
    """Roll back whatever the job wrote and mark it failed, in a short write transaction of its own."""
    db.session.rollback()
    error = _as_storage_error(error)
    discard_files(job_id)
    token = set_sqlite_begin_mode("IMMEDIATE")
    try:
        job = db.session.get(Job, job_id)
        job.status, job.error = JobStatus.FAILED, f"{type(error).__name__}: {error}"[:2000]
        job.message = str(getattr(error, "user_message", "") or "")[:500]
        job.finished_at = utcnow()
        send(job_ended, job=job, label=LABELS.get(job.kind))
        db.session.commit()
    finally:
        reset_sqlite_begin_mode(token)


def _finish_done(ctx: JobContext, result) -> None:
    """Write the job's result in the write phase (opened here if the handler only read), and commit."""
    ctx.begin_writes()
    job = ctx.job
    job.result = result if isinstance(result, dict) else None
    job.message = str(result.get("message", "") if isinstance(result, dict) else "")[:500]
    if ctx.result_name:
        job.result_name = ctx.result_name
    job.status, job.finished_at = JobStatus.DONE, utcnow()
    send(job_ended, job=job, label=LABELS.get(job.kind))
    db.session.commit()  # the job's work and its DONE status land together, or not at all


def run_in_context(job_id: str) -> None:
    """Claim, read, write, finish: the phases above, in the current application context."""
    if not _claim(job_id):
        return
    token = set_sqlite_begin_mode(READ_ONLY)
    try:
        job = db.session.get(Job, job_id)
        ctx = JobContext(job)
        _finish_done(ctx, HANDLERS[job.kind](ctx, **job.params))
    except Exception as exc:  # a job's failure is reported on its page, not raised into a worker
        log.exception("job %s failed", job_id)
        _finish_failed(job_id, exc)
    finally:
        reset_sqlite_begin_mode(token)
