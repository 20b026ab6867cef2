"""Every kind of background job keeps the runner's phases: it reads without a write transaction
(a write there fails at once), and writes in one short transaction at its end; and jobs queued
where no runner could take them (the CLI, a runner gone) are taken up again whatever their age.

The kinds are the app's own (``academy.jobs.HANDLERS``, filled by create_app): a new kind fails
``test_every_job_kind_runs_in_phases`` until it has a sample here. Runs on SQLite and PostgreSQL
(``live_app``: committed, the embedded runner's thread)."""
from __future__ import annotations

import time
from datetime import timedelta

import pytest
import sqlalchemy as sa

from academy.activation import letters
from academy.activation.models import AccessCode
from academy.audit import AuditEntry, record
from academy.cases.media import MEDIA_JOB
from academy.cases.models import CaseMedia, MediaState
from academy.database import city_today, utcnow
from academy.extensions import db
from academy.indicators.periods import current_month
from academy.jobs import HANDLERS, Job, JobStatus, enqueue_job, job_handler
from academy.registry.jobs import IMPORT_JOB, upload_folder
from academy.registry.models import Grid
from courses.certificates import batch
from courses.certificates.models import Certificate, CertificateStatus
from courses.lessons.models import Lesson
from courses.masters import operations as masters
from tests.academy.registry.workbooks import csv_file
from tests.fixtures.cases import create_category
from tests.fixtures.certificates import create_cert_type
from tests.fixtures.courses import create_branch, create_course, create_lesson
from tests.fixtures.indicators import make_case
from tests.fixtures.registry import create_worker, get_or_create_area

pytestmark = pytest.mark.concurrency

if "test.writes-while-reading" not in HANDLERS:
    @job_handler("test.writes-while-reading")
    def _careless(ctx, text: str):
        record(None, "test.careless", summary=text)  # no ctx.begin_writes(): the read phase refuses it
        db.session.flush()
        return {"message": "wrote"}


def _certificates() -> dict:
    worker, cert_type = create_worker(), create_cert_type()
    db.session.add(Certificate(number="SG-PHASE-000001", type_id=cert_type.id, worker_id=worker.id,
                               status=CertificateStatus.VALID, issued_on=city_today(),
                               valid_until=city_today() + timedelta(days=365), evidence={}))
    db.session.flush()
    ids = list(db.session.scalars(sa.select(Certificate.id)))
    return {"certificate_ids": ids, "base_url": "http://academy.test", "language": "zh_CN"}


def _registry_import() -> dict:
    for code, name in (("3201", "南京市"), ("320102", "玄武区"), ("320102002", "梅园新村街道"),
                       ("320102002001", "社区1")):
        get_or_create_area(code, name)
    rows = [{"code": f"320102002001{n:03d}", "name": f"网格{n}", "kind": "综合网格", "households": 300,
             "valid_from": "2024-01-01"} for n in range(1, 4)]
    (upload_folder() / "phases.csv").write_bytes(csv_file("grids", rows))
    return {"stored": "phases.csv", "filename": "grids.csv"}


def _media() -> dict:
    """A case sent by an Open311 client with one link to a private address: fetched and refused."""
    case = make_case(category=create_category(), reported=utcnow(), area_code="320102")
    db.session.add(CaseMedia(case_id=case.id, url="http://127.0.0.1/photo.jpg"))
    db.session.flush()
    return {"case_id": case.id}


def _media_refused() -> bool:
    return db.session.scalar(sa.select(CaseMedia.state)) == MediaState.REFUSED


def _letters() -> dict:
    worker = create_worker()
    return {"worker_ids": [worker.id], "activate_url": "http://academy.test/activate"}


def _letters_written() -> bool:
    return db.session.scalar(sa.select(sa.func.count(AccessCode.id))) == 1


def _master() -> dict:
    """A master course with one copy; the master's lesson is renamed, so the push has work to do."""
    master = create_course(code="PHASE-M")
    lesson = create_lesson(master, title="Before")
    masters.mark_master(master, None)
    masters.offer_in_branches(master, None, [create_branch("320104")])
    lesson.title = "After"
    db.session.flush()
    return {"master_id": master.id}


def _copy_synced() -> bool:
    return db.session.scalar(sa.select(Lesson.title).where(Lesson.master_lesson_id.is_not(None))) == "After"


# What each kind is given, and what it must have written once done (read back in a fresh session).
SAMPLES = {
    letters.KIND: (_letters, lambda job: _letters_written() and job.result_path().exists()),
    batch.KIND: (_certificates, lambda job: (job.result_path() is not None and job.result_path().exists())),
    "indicators.refresh": (lambda: {"periods": [current_month().key]},
                           lambda job: current_month().key in job.message),
    IMPORT_JOB: (_registry_import, lambda job: db.session.scalar(sa.select(sa.func.count(Grid.id))) == 3),
    MEDIA_JOB: (_media, lambda job: _media_refused()),
    "notifications.deliver": (lambda: {"ids": []}, lambda job: job.result == {"sent": 0, "failed": 0}),
    masters.JOB_KIND: (_master, lambda job: _copy_synced()),
}


def _wait(job_id: str, seconds: float = 120) -> Job:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = db.session.get(Job, job_id)
        finished = job.finished
        db.session.rollback()  # end the read: on SQLite it would keep the job from its write
        if finished:
            return db.session.get(Job, job_id)
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish")


def test_every_job_kind_runs_in_phases(live_app):
    kinds = {kind for kind in HANDLERS if not kind.startswith("test.")}
    assert kinds == set(SAMPLES), "every job kind needs a sample here (kinds without one: see the difference)"
    with live_app.app_context():
        for kind, (params, written) in SAMPLES.items():
            job_id = enqueue_job(kind, params()).id
            db.session.commit()  # handed to the embedded runner's thread
            job = _wait(job_id)
            assert job.status == JobStatus.DONE, f"{kind}: {job.error}"
            assert written(job), f"{kind} did not write its result"


def test_a_job_writing_while_it_reads_fails_and_writes_nothing(live_app):
    with live_app.app_context():
        job_id = enqueue_job("test.writes-while-reading", {"text": "careless"}).id
        db.session.commit()
        job = _wait(job_id)
        assert job.status == JobStatus.FAILED and "read" in job.error.lower()  # "readonly" / "read-only"
        assert db.session.scalar(sa.select(sa.func.count()).select_from(AuditEntry)
                                 .where(AuditEntry.summary == "careless")) == 0


def test_a_job_queued_by_the_cli_runs_once_the_server_starts(live_app):
    """The CLI leaves it queued (a thread of its own would die with the command); the server's
    first request takes it up at once, however young it is."""
    with live_app.app_context():
        result = live_app.test_cli_runner().invoke(args=["academy", "indicators-refresh", "--queue",
                                                         current_month().key])
        assert result.exit_code == 0, result.output
        job_id = db.session.scalar(sa.select(Job.id))
        time.sleep(0.5)
        assert db.session.get(Job, job_id).status == JobStatus.QUEUED, "no thread of the CLI took it"
        db.session.rollback()
    runner = live_app.extensions["academy.job_runner"]
    runner.recovering = False  # this test's server starts now (the session's app served others before)
    live_app.test_client().get("/login")
    with live_app.app_context():
        assert _wait(job_id).status == JobStatus.DONE
