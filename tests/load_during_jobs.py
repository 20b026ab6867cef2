"""People working while a certificate batch prints: the scenario shared by the lock test and the
benchmark (``benchmarks/job_locks.py``).

An application on a committed SQLite file is served over real sockets (werkzeug, threaded); a
batch of ``count`` certificates is handed to the embedded job runner; meanwhile three kinds of
people keep working, each in a thread of its own: log-ins, autosaves of an exam attempt, and
submits of attempts (one per trainee). Every request's status and time is kept, and so is every
write transaction the job's thread holds (its write lock on SQLite), measured from its BEGIN to
its COMMIT or ROLLBACK by engine events.
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy import event
from werkzeug.serving import make_server

from academy.accounts.operations import create_user, grant_role
from academy.database import current_begin_mode, utcnow
from academy.extensions import db
from academy.jobs import Job, JobStatus, enqueue_job
from academy.permissions import Role
from courses.certificates import batch
from courses.certificates.models import Certificate, CertificateStatus
from courses.exams.grading import QuestionType as T
from courses.exams.operations import attempts as attempt_ops
from tests.faults.conftest import Browser
from tests.fixtures.certificates import create_cert_type
from tests.fixtures.exams import create_exam, create_taker
from tests.support import PASSWORD

SITTERS, WALKERS = 6, 4
PACE = 0.2  # seconds between one person's requests: people, not a load generator starving the renderer


@dataclass
class Outcome:
    """What happened: (kind, status, seconds) of every request, and the job's write-lock holds."""

    requests: list[tuple[str, int, float, float]] = field(default_factory=list)  # kind, status, seconds, ended
    holds: list[float] = field(default_factory=list)
    job_seconds: float = 0.0
    job_status: JobStatus | None = None
    job_ended: float = 0.0

    def of(self, kind: str, during: bool = False) -> list[tuple[int, float]]:
        """(status, seconds) of ``kind``'s requests; ``during``: only those that ended before the batch."""
        return [(status, seconds) for k, status, seconds, ended in self.requests
                if k == kind and (not during or ended < self.job_ended)]


def prepare(app, count: int) -> tuple[list[int], list[int]]:
    """The people, an exam with an attempt open for each sitter, and ``count`` valid certificates.
    Returns (certificate ids, attempt ids)."""
    with app.app_context():
        for n in range(WALKERS):
            grant_role(create_user(f"walker{n}", PASSWORD, by=None), Role.VIEWER, by=None)
        exam = create_exam(rules=((T.TRUE_FALSE, 4, "2"),))
        attempts = []
        for n in range(SITTERS):
            user, worker = create_taker(exam.course, username=f"sitter{n}")
            attempts.append(attempt_ops.start_attempt(exam, worker, user).id)
        cert_type = create_cert_type()
        today = date.today()
        rows = [{"number": f"SG-LOCK-{n:06d}", "type_id": cert_type.id, "worker_id": worker.id,
                 "status": CertificateStatus.VALID, "issued_on": today, "valid_until": today + timedelta(days=1000),
                 "status_since": utcnow(), "evidence": {}} for n in range(count)]
        db.session.execute(sa.insert(Certificate), rows)  # many at once, as a register carried over is
        db.session.commit()
        ids = list(db.session.scalars(sa.select(Certificate.id).order_by(Certificate.number)))
        return ids, attempts


def _watch_job_writes(engine, outcome: Outcome) -> callable:
    """Record how long each write transaction of a job thread lasts; returns the remover."""
    started: dict[int, float] = {}

    def begin(connection):
        if threading.current_thread().name.startswith("academy-jobs-") and current_begin_mode() == "IMMEDIATE":
            started[id(connection)] = time.perf_counter()

    def end(connection):
        began = started.pop(id(connection), None)
        if began is not None:
            outcome.holds.append(time.perf_counter() - began)

    hooks = (("begin", begin), ("commit", end), ("rollback", end))
    for name, hook in hooks:
        event.listen(engine, name, hook)
    return lambda: [event.remove(engine, name, hook) for name, hook in hooks]


def _timed(outcome: Outcome, lock: threading.Lock, kind: str, send) -> None:
    began = time.perf_counter()
    status = send()
    ended = time.perf_counter()
    with lock:
        outcome.requests.append((kind, status, ended - began, ended))


def _people(port: int, attempts: list[int], running: threading.Event, outcome: Outcome) -> list[threading.Thread]:
    """The three kinds of work, each looping until the batch is over."""
    lock = threading.Lock()

    def log_ins():
        n = 0
        while running.is_set():
            browser = Browser(port)
            token = browser.token("/login")
            _timed(outcome, lock, "log-in", lambda b=browser, t=token, u=f"walker{n % WALKERS}": b.request(
                "POST", "/login", f"csrf_token={t}&username={u}&password={PASSWORD}".encode(),
                "application/x-www-form-urlencoded")[0])
            n += 1
            _pause(running, PACE)

    def autosaves():
        sitter = Browser(port)
        sitter.log_in("sitter0")
        state = json.loads(sitter.request("GET", f"/attempts/{attempts[0]}/state.json")[1])
        items = [int(key) for key in state["answers"]]
        seq = 0
        while running.is_set():
            seq += 1
            body = json.dumps({"seq": seq, "answers": {str(i): ["T" if seq % 2 else "F"] for i in items}}).encode()
            _timed(outcome, lock, "autosave", lambda b=body: sitter.request(
                "POST", f"/attempts/{attempts[0]}/save", b, "application/json",
                headers={"X-CSRFToken": state["csrf_token"]})[0])
            _pause(running, PACE)

    def submits():
        for n, attempt_id in enumerate(attempts[1:], start=1):
            if not running.wait(0) or (n > 1 and not _pause(running, 0.5)):
                return
            sitter = Browser(port)
            sitter.log_in(f"sitter{n}")
            _timed(outcome, lock, "submit", lambda s=sitter, a=attempt_id: s.post_form(
                f"/attempts/{a}/submit", {}, token_from=f"/attempts/{a}")[0])

    return [threading.Thread(target=work, daemon=True) for work in (log_ins, autosaves, submits)]


def _pause(running: threading.Event, seconds: float) -> bool:
    """Sleep ``seconds`` unless the batch ends first; whether it still runs."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and running.is_set():
        time.sleep(0.05)
    return running.is_set()


def _job_state(app, job_id: str) -> JobStatus:
    with app.app_context():
        status = db.session.scalar(sa.select(Job.status).where(Job.id == job_id))
        db.session.rollback()
        return status


def run(app, count: int, timeout: float = 900) -> Outcome:
    """Print a batch of ``count`` certificates while people work; what happened."""
    ids, attempts = prepare(app, count)
    outcome = Outcome()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    with app.app_context():
        remove = _watch_job_writes(db.engine, outcome)
    running = threading.Event()
    running.set()
    people = _people(server.server_port, attempts, running, outcome)
    try:
        with app.app_context():
            job_id = enqueue_job(batch.KIND, {"certificate_ids": ids, "base_url": "http://academy.test",
                                              "language": "zh_CN"}).id
            began = time.perf_counter()
            db.session.commit()  # hands the job to the embedded runner's thread
        for person in people:
            person.start()
        deadline = time.monotonic() + timeout
        while (status := _job_state(app, job_id)) not in (JobStatus.DONE, JobStatus.FAILED):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the batch of {count} did not finish in {timeout} s")
            time.sleep(0.1)
        outcome.job_ended = time.perf_counter()
        outcome.job_seconds, outcome.job_status = outcome.job_ended - began, status
    finally:
        running.clear()
        for person in people:
            person.join(timeout=60)
        remove()
        server.shutdown()
    return outcome
