"""Who may see a job: the person who asked for it, or an administrator."""
from __future__ import annotations

from pathlib import Path

from flask import abort, current_app
from flask_login import current_user

from academy.jobs.models import Job, JobStatus, job_folder
from academy.permissions import Role, ensure, get_or_404, has_role


def own_job(job_id: str, kind: str) -> Job:
    """The job ``job_id`` of ``kind`` for the current user: 404 when there is none of that kind,
    403 when somebody else asked for it (administrators see every job)."""
    job = get_or_404(Job, job_id)
    if job.kind != kind:
        abort(404)
    ensure(job.created_by_id == current_user.id or has_role(current_user, Role.ADMIN))
    return job


def finished_job_file(job: Job, files: dict[str, str], kind: str) -> tuple[Path, str]:
    """The path and name of the result file ``kind`` of a finished job (404: no such kind, the job
    not done, or the file gone); the path is checked to lie under FILES_DIR."""
    name = files.get(kind)
    if name is None or job.status != JobStatus.DONE:
        abort(404)
    path = job_folder(job.id) / name
    ensure(path.resolve().is_relative_to(Path(current_app.config["FILES_DIR"]).resolve()))
    if not path.is_file():
        abort(404)
    return path, name
