"""Jobs that nobody will run: found, failed or handed to a runner again.

- A job RUNNING past ``JOB_TIMEOUT_SECONDS`` lost its worker (killed, restarted, timed out); its
  work was never committed, so it is marked failed and may be asked for again.
- A QUEUED job, whatever its age, is taken up again unless it is known to be on its way: in the
  embedded runner, unless this process already holds it; with RQ, unless its RQ job still waits
  or runs in Redis (one queued by the CLI before the server started, or lost with a flushed
  Redis, is enqueued again). A job delivered twice runs once (the claim), so erring towards
  handing a job over again costs nothing.
- ``waiting_job_exists`` is what de-duplication asks ("is a refresh already queued?"): it counts
  only a queued job young enough that a runner will take it, never one stuck past
  ``JOB_QUEUE_TIMEOUT_SECONDS``, so a stuck job never blocks new work of its kind.
"""
from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import timedelta

import sqlalchemy as sa
from flask import Flask, current_app

from academy.database import reset_sqlite_begin_mode, set_sqlite_begin_mode, utcnow
from academy.extensions import db
from academy.jobs.core import discard_files
from academy.jobs.models import Job, JobStatus

log = logging.getLogger(__name__)
RQ_QUEUE = "academy"
_RQ_ALIVE = {"created", "queued", "started", "deferred", "scheduled", "rate_limited", "ready_to_enqueue"}


def sweep_stale_jobs(max_runtime_seconds: int) -> int:
    """Mark jobs RUNNING for longer than ``max_runtime_seconds`` as failed (their worker died:
    killed, restarted or timed out). Their work was never committed, so running them again is
    safe. Returns how many were marked. Flushes."""
    limit = utcnow() - timedelta(seconds=max_runtime_seconds)
    stale = db.session.scalars(sa.select(Job).where(Job.status == JobStatus.RUNNING, Job.started_at < limit)).all()
    for job in stale:
        job.status, job.finished_at = JobStatus.FAILED, utcnow()
        job.error = "interrupted: the worker stopped before the job finished"
        discard_files(job.id)
    db.session.flush()
    return len(stale)


def queued_job_ids() -> list[str]:
    """Every queued job, oldest first, whatever its age."""
    return list(db.session.scalars(sa.select(Job.id).where(Job.status == JobStatus.QUEUED).order_by(Job.created_at)))


def waiting_job_exists(session, kind: str) -> bool:
    """Whether a job of ``kind`` waits that a runner will take: queued, and not stuck past the timeout."""
    limit = utcnow() - timedelta(seconds=current_app.config["JOB_QUEUE_TIMEOUT_SECONDS"])
    return bool(session.scalar(sa.select(sa.func.count(Job.id)).where(
        Job.kind == kind, Job.status == JobStatus.QUEUED, Job.created_at >= limit)))


def rq_queue(app: Flask):
    """The RQ queue when Redis is configured (None in the embedded mode)."""
    url = app.config.get("REDIS_URL")
    if not url:
        return None
    from redis import Redis  # RQ and its client only where Redis is configured
    from rq import Queue

    return Queue(RQ_QUEUE, connection=Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5))


def lost_in_rq(app: Flask, job_ids: Iterable[str]) -> list[str]:
    """The ids whose RQ job is gone from Redis, or ended there without running ours (failed, stopped)."""
    from rq.job import Job as RQJob  # only where Redis is configured

    job_ids = list(job_ids)
    queue = rq_queue(app)
    lost = []
    for job_id, rq_job in zip(job_ids, RQJob.fetch_many(job_ids, connection=queue.connection), strict=True):
        if rq_job is None or rq_job.get_status(refresh=False) not in _RQ_ALIVE:
            lost.append(job_id)
    return lost


def jobs_to_hand_over(app: Flask, held: set[str]) -> list[str]:
    """Sweep the dead running jobs, then list the queued ones no runner will take (see above).

    ``held``: the ids the embedded runner of this process already has. Commits its own short
    transactions: a read, and a write only when something was stale."""
    token = set_sqlite_begin_mode("DEFERRED")  # the look costs no write lock; most times nothing is stale
    try:
        limit = utcnow() - timedelta(seconds=app.config["JOB_TIMEOUT_SECONDS"])
        stale = db.session.scalar(sa.select(sa.func.count(Job.id)).where(
            Job.status == JobStatus.RUNNING, Job.started_at < limit))
        queued = [job_id for job_id in queued_job_ids() if job_id not in held]
        db.session.rollback()
    finally:
        reset_sqlite_begin_mode(token)
    if stale:
        count = sweep_stale_jobs(app.config["JOB_TIMEOUT_SECONDS"])
        db.session.commit()
        log.warning("%d interrupted jobs marked as failed", count)
    if queued and app.config.get("REDIS_URL"):
        try:
            queued = lost_in_rq(app, queued)
        except Exception as error:  # Redis away: the dispatcher falls back to this process's thread
            log.warning("could not look the queued jobs up in Redis: %s", type(error).__name__)
    return queued
