"""Who may see a job: the person who asked for it, or an administrator."""
from __future__ import annotations

from flask import abort
from flask_login import current_user

from academy.jobs.models import Job
from academy.permissions import Role, ensure, get_or_404, has_role


def own_job(job_id: str, kind: str) -> Job:
    """The job ``job_id`` of ``kind`` for the current user: 404 when there is none of that kind,
    403 when somebody else asked for it (administrators see every job)."""
    job = get_or_404(Job, job_id)
    if job.kind != kind:
        abort(404)
    ensure(job.created_by_id == current_user.id or has_role(current_user, Role.ADMIN))
    return job
