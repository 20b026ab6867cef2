"""What each job status is called on the job's progress page, in the user's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from academy.jobs.models import JobStatus

JOB_STATUS_LABELS = {
    JobStatus.QUEUED: _l("Waiting to start"),
    JobStatus.RUNNING: _l("Running"),
    JobStatus.DONE: _l("Finished"),
    JobStatus.FAILED: _l("Failed"),
}


REFUSED_LABEL = _l("Refused")


def job_status_label(status: str) -> str:
    """The translated name of a job status given by its value or member."""
    return str(JOB_STATUS_LABELS[JobStatus(status)])


def job_state_label(job) -> str:
    """What a job's page calls its state: its status, or "refused" for one that refused its input."""
    return str(REFUSED_LABEL) if job.refused else job_status_label(job.status)
