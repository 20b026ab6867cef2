"""Who runs a committed job: RQ on Redis, or the embedded worker thread; and taking jobs up again.

The embedded runner (no Redis) is a few daemon threads in the web process; with Redis, RQ workers
run the jobs and the web process only hands them over. In both, the web process looks every
``JOB_RECOVER_SECONDS`` (and once at its first request) for jobs nobody will run
(``recovery.jobs_to_hand_over``) and hands them over again; ``flask academy jobs-sweep`` does the
same once, for a cron.
"""
from __future__ import annotations

import logging
import queue
import threading
import time

import click
from flask import Flask, current_app, has_app_context
from sqlalchemy.orm import Session

from academy.extensions import on_session
from academy.jobs.core import PENDING_KEY, run_in_context
from academy.jobs.recovery import jobs_to_hand_over, rq_queue

log = logging.getLogger(__name__)


class ThreadRunner:
    """The embedded runner: daemon threads taking job ids from a queue, and a recovery loop."""

    def __init__(self, app: Flask, threads: int) -> None:
        self.app = app
        self.threads = threads
        self.queue: queue.Queue[str] = queue.Queue()
        self.held: set[str] = set()  # submitted and not finished: recovery leaves these alone
        self.started = self.recovering = False
        self.lock = threading.Lock()

    def start(self) -> None:
        """Start the worker threads once (the first job or web request, never a CLI command)."""
        with self.lock:
            if self.started:
                return
            self.started = True
        for n in range(self.threads):
            threading.Thread(target=self._work, name=f"academy-jobs-{n}", daemon=True).start()

    def start_recovery(self) -> None:
        """Start the recovery loop once: at once (what a previous process left), then periodically."""
        with self.lock:
            if self.recovering:
                return
            self.recovering = True
        threading.Thread(target=self._recover_loop, name="academy-jobs-recover", daemon=True).start()

    def _recover_loop(self) -> None:
        while True:
            recover(self.app)
            time.sleep(self.app.config["JOB_RECOVER_SECONDS"])

    def submit(self, job_id: str) -> None:
        self.start()
        with self.lock:
            if job_id in self.held:
                return
            self.held.add(job_id)
        self.queue.put(job_id)

    def _work(self) -> None:
        while True:
            job_id = self.queue.get()
            try:
                with self.app.app_context():
                    run_in_context(job_id)
            except Exception:
                log.exception("job runner thread failed on %s", job_id)
            finally:
                with self.lock:
                    self.held.discard(job_id)
                self.queue.task_done()


def recover(app: Flask) -> int:
    """Fail the dead running jobs and hand the forgotten queued ones over again; how many were."""
    runner = app.extensions.get("academy.job_runner")
    try:
        with app.app_context():
            lost = jobs_to_hand_over(app, set(runner.held) if runner else set())
            for job_id in lost:
                dispatch(app, job_id)
            if lost:
                log.warning("took up %d queued jobs again", len(lost))
            return len(lost)
    except Exception as error:  # no tables yet (before `flask db upgrade`), or the database is away
        log.info("job recovery skipped: %s", type(error).__name__)
        return 0


def dispatch(app: Flask, job_id: str) -> None:
    """Hand a committed job to RQ, or to the worker thread when Redis is absent or down.

    ``JOB_RUNNER = "manual"`` (tests that share one connection) keeps the ids for
    ``run_pending_jobs`` instead, so the job runs where the test can see its transaction.
    """
    if app.config.get("JOB_RUNNER") == "manual":
        if job_id not in app.extensions["academy.pending_jobs"]:
            app.extensions["academy.pending_jobs"].append(job_id)
        return
    if app.config.get("REDIS_URL"):
        try:
            rq_queue(app).enqueue("academy.jobs.run_job", job_id, job_id=job_id,
                                  job_timeout=app.config["JOB_TIMEOUT_SECONDS"])
            return
        except Exception:
            log.exception("Redis unreachable; running job %s in this process", job_id)
    if click.get_current_context(silent=True) is not None:
        # A CLI command ends before a thread of its own could finish the job (killed half-way, it
        # would sit RUNNING until the timeout): it stays queued, and the server takes it up.
        log.info("job %s left queued for the server's runner", job_id)
        return
    app.extensions["academy.job_runner"].submit(job_id)


def _after_commit(session: Session) -> None:
    # SQLAlchemy sends after_commit when a savepoint is released too: the jobs queued so far wait
    # for the real commit, or a runner would look for rows nobody else can see yet (PostgreSQL).
    if session.in_nested_transaction():
        return
    pending = session.info.pop(PENDING_KEY, [])
    if pending and has_app_context():
        app = current_app._get_current_object()
        for job_id in pending:
            dispatch(app, job_id)


def _after_soft_rollback(session: Session, previous_transaction) -> None:
    # A rolled-back savepoint leaves the outer transaction, and the jobs it queued, alive.
    if previous_transaction.parent is None and not previous_transaction.nested:
        session.info.pop(PENDING_KEY, None)


def run_pending_jobs(app: Flask) -> int:
    """Run the jobs kept by the manual runner, in this context; returns how many ran."""
    pending = app.extensions["academy.pending_jobs"]
    count = 0
    while pending:
        run_in_context(pending.pop(0))
        count += 1
    return count


def init_app(app: Flask) -> None:
    """The job list of the manual runner, the thread runner, and the hand-over after each commit."""
    app.extensions["academy.pending_jobs"] = []
    on_session("after_commit", _after_commit)
    on_session("after_soft_rollback", _after_soft_rollback)
    if app.config.get("JOB_RUNNER") != "manual":
        runner = ThreadRunner(app, app.config.get("JOB_WORKER_THREADS", 1))
        app.extensions["academy.job_runner"] = runner
        # The web process takes up, at its first request and periodically, what nobody will run.
        app.before_request(runner.start_recovery)
