"""Activation letters do not outlive their codes: a letters job's PDFs are deleted once every code
they carry has expired, been used or been replaced by a newer letter.

The files hold codes in clear, so they are kept only while one of them can still open an account.
``flask academy letters-purge`` (from cron, nightly, like the certificates sweep) runs
``purge_spent_letters``; the job row stays, marked with when its files went, so its page can say so.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import current_app

from academy import audit
from academy.activation import queries
from academy.database import utcnow
from academy.jobs import Job, discard_files

log = logging.getLogger(__name__)
KIND = "activation.letters"  # letters.KIND: the job this purge looks after


def issue_times(job: Job) -> tuple[datetime | None, datetime]:
    """When a letters job issued its codes and when they expire (a job from before these were kept
    in its result: its finish time, and the configured validity after it)."""
    result = job.result or {}
    if result.get("issued_at") and result.get("expires_at"):
        return datetime.fromisoformat(result["issued_at"]), datetime.fromisoformat(result["expires_at"])
    finished = job.finished_at or job.created_at
    return None, finished + timedelta(days=int(current_app.config.get("ACTIVATION_DAYS", 30)))


def letters_spent(job: Job, now: datetime) -> bool:
    """Whether no code printed by ``job`` can still be used."""
    issued_at, expires_at = issue_times(job)
    if now >= expires_at:
        return True
    if issued_at is None:
        return False  # which codes are its own is unknown: kept until they expire
    return queries.live_codes_issued_at(job.params.get("worker_ids", []), issued_at, now) == 0


def purge_spent_letters(now: datetime | None = None) -> int:
    """Delete the files of every finished letters job whose codes are spent; returns how many jobs.
    Flushes; the caller commits."""
    now = now or utcnow()
    purged = 0
    for job in queries.letter_jobs_with_files(KIND):
        if not letters_spent(job, now):
            continue
        discard_files(job.id)
        job.result = {**(job.result or {}), "purged_at": now.isoformat()}
        audit.record(None, "activation.letters_purged", job, summary=f"{len(job.params.get('worker_ids', []))} letters")
        purged += 1
    if purged:
        log.info("deleted the files of %d spent letters jobs", purged)
    return purged


def purged_at(job: Job) -> datetime | None:
    """When the job's files were deleted, or None while they are kept."""
    value = (job.result or {}).get("purged_at")
    return datetime.fromisoformat(value) if value else None
