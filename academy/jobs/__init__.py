"""Background jobs with a progress figure and a result file: RQ on Redis, or a worker thread.

A job is a row (kind, parameters, status, result) and a handler registered for its kind with
``@job_handler``. Operations call ``enqueue_job``, which only flushes the row; the job is handed
to a runner after the request commits, so a rolled-back request never starts one.

- ``models``: the row; ``core``: running one job in its phases (a read phase that cannot write,
  then one short write transaction), its progress and its end; ``runners``: RQ or the embedded
  thread, and the periodic recovery; ``recovery``: which jobs nobody will run.
"""
from academy.jobs.core import (
    HANDLERS,
    JobContext,
    discard_files,
    enqueue_job,
    get_progress,
    job_handler,
    run_in_context,
    run_job,
    set_progress,
)
from academy.jobs.models import Job, JobStatus, job_folder
from academy.jobs.recovery import queued_job_ids, sweep_stale_jobs, waiting_job_exists
from academy.jobs.runners import ThreadRunner, dispatch, init_app, recover, run_pending_jobs

_run_in_context = run_in_context  # the name the tests of a job delivered twice know it by

__all__ = [
    "HANDLERS", "Job", "JobContext", "JobStatus", "ThreadRunner", "discard_files", "dispatch", "enqueue_job",
    "get_progress", "init_app", "job_folder", "job_handler", "queued_job_ids", "recover", "run_in_context",
    "run_job", "run_pending_jobs", "set_progress", "sweep_stale_jobs", "waiting_job_exists",
]
