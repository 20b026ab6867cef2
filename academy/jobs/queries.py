"""Reads of the job rows that pages share: the jobs a person asked for, and those still waiting on him.

"Waiting" means what the person who asked may still have to act on: a job queued or running (its
result is not there yet), or one that failed in the last ``FAILED_RECENT`` (to ask again)."""
from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from academy.database import utcnow
from academy.extensions import db
from academy.jobs.models import Job, JobStatus

FAILED_RECENT = timedelta(days=7)
LISTED = timedelta(days=30)


def _waiting_clause():
    return sa.or_(Job.status.in_((JobStatus.QUEUED, JobStatus.RUNNING)),
                  sa.and_(Job.status == JobStatus.FAILED, Job.created_at >= utcnow() - FAILED_RECENT))


def waiting_count(user) -> int:
    """How many of ``user``'s own jobs are queued, running or failed lately."""
    query = sa.select(sa.func.count(Job.id)).where(Job.created_by_id == user.id, _waiting_clause())
    return db.session.scalar(query) or 0


def jobs_of(user, *, waiting: bool = False) -> sa.Select:
    """``user``'s jobs of the last 30 days (or only the waiting ones), newest first."""
    query = sa.select(Job).where(Job.created_by_id == user.id, Job.created_at >= utcnow() - LISTED)
    if waiting:
        query = query.where(_waiting_clause())
    return query.order_by(Job.created_at.desc(), Job.id)
