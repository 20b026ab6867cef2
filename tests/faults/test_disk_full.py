"""The files folder full while an upload or a generated file is written: a clear answer, no record
of the file, no half-written file, and nothing already written by the same request left behind.

FILES_DIR is a tmpfs of a few hundred KB mounted for the test (root, or CAP_SYS_ADMIN, is needed to
mount it; the CI machines run the suite as root)."""
from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
import sqlalchemy as sa

from academy.accounts.models import User
from academy.accounts.operations import create_user, grant_role
from academy.cases.models import Case, CasePhoto
from academy.extensions import db
from academy.jobs import Job, JobStatus, run_pending_jobs
from academy.permissions import Role
from courses.lessons.models import LessonFile
from tests.faults.conftest import make_app
from tests.fixtures.cases import build_world
from tests.fixtures.courses import create_course, create_lesson, published_syllabus
from tests.support import PASSWORD, csrf_token, log_in, post_form

pytestmark = [pytest.mark.fault, pytest.mark.own_database]
JPEG = b"\xff\xd8\xff\xe0" + b"\x01" * (60 * 1024)


@pytest.fixture
def small_disk(tmp_path):
    mount = tmp_path / "files"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=400k", "tmpfs", str(mount)], capture_output=True)
    assert done.returncode == 0, f"the disk-full tests mount a tmpfs and need root: {done.stderr.decode()}"
    yield mount
    subprocess.run(["umount", "-l", str(mount)], check=True)


def fill(folder: Path, leave: int) -> None:
    """Fill the file system of ``folder`` until about ``leave`` bytes are free."""
    import os

    stats = os.statvfs(folder)
    free = stats.f_bavail * stats.f_frsize
    (folder / "filler").write_bytes(b"\0" * max(0, free - leave))


def files_in(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p.name != "filler")


@pytest.fixture
def instance(tmp_path, small_disk):
    app = make_app(f"sqlite:///{tmp_path / 'academy.db'}", tmp_path / "instance", FILES_DIR=str(small_disk))
    with app.app_context():
        published_syllabus()
        teacher = create_user("teacher-disk", PASSWORD, by=None)
        grant_role(teacher, Role.INSTRUCTOR, by=None)
        lesson = create_lesson(create_course(instructors=[teacher]))
        world = build_world(lambda name, role, area=None: _user(name, role, area))
        app.config["TEST_WORLD"] = {"lesson": lesson.id, "category": world.category.id, "grid": world.grid.id}
        db.session.commit()
    for folder in ("lessons", "cases", "imports"):
        (small_disk / folder).mkdir(exist_ok=True)
    yield app
    with app.app_context():
        db.engine.dispose()


def _user(name, role, area):
    user = create_user(name, PASSWORD, by=None)
    grant_role(user, role, by=None, area_code=area, area_label=area or "")
    return user


def count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_lesson_upload_on_a_full_disk(instance, small_disk):
    fill(small_disk, leave=20 * 1024)
    client = instance.test_client()
    log_in(client, "teacher-disk")
    lesson = instance.config["TEST_WORLD"]["lesson"]
    pdf = b"%PDF-1.4\n" + b"1" * (100 * 1024)
    response = post_form(client, f"/lessons/{lesson}/files", {"file": (io.BytesIO(pdf), "notes.pdf")},
                         token_from=f"/lessons/{lesson}/edit", content_type="multipart/form-data")
    assert response.status_code == 507
    assert "storage is full" in response.get_data(as_text=True)
    assert count(instance, LessonFile) == 0
    assert files_in(small_disk) == []  # no half-written file, no temporary one
    (small_disk / "filler").unlink()  # space again: the same upload goes through
    again = post_form(client, f"/lessons/{lesson}/files", {"file": (io.BytesIO(pdf), "notes.pdf")},
                      token_from=f"/lessons/{lesson}/edit", content_type="multipart/form-data")
    assert again.status_code == 302 and count(instance, LessonFile) == 1


def test_a_report_whose_second_photo_does_not_fit_leaves_no_case_and_no_photo(instance, small_disk):
    fill(small_disk, leave=90 * 1024)  # room for one photo, not for two
    client = instance.test_client()
    log_in(client, "worker")
    world = instance.config["TEST_WORLD"]
    data = {"csrf_token": csrf_token(client, "/cases/report"), "category": str(world["category"]),
            "grid": str(world["grid"]), "title": "Fallen tree", "description": "Across the path", "location": "Gate 2",
            "submission_key": "d" * 24, "photos": [(io.BytesIO(JPEG), "a.jpg"), (io.BytesIO(JPEG), "b.jpg")]}
    response = client.post("/cases/report", data=data, content_type="multipart/form-data")
    assert response.status_code == 507 and "storage is full" in response.get_data(as_text=True)
    assert count(instance, Case) == 0 and count(instance, CasePhoto) == 0
    assert files_in(small_disk) == [], "the first photo, already written, is removed with its transaction"


def test_a_job_whose_result_file_does_not_fit_fails_with_a_clear_message(instance, small_disk):
    """A large registry import with problems writes a problem report as its result file."""
    from tests.academy.registry.workbooks import csv_file

    instance.config["JOB_RUNNER"] = "manual"
    with instance.app_context():
        _user("hr-disk", Role.HR, None)
        db.session.commit()
    # Unknown communities, negative households, unknown kinds: the problem report outgrows the upload,
    # whose space the job frees before writing the report.
    rows = [{"code": f"3201029990{n:05d}", "name": f"网格{n}", "kind": "未知", "households": -5,
             "valid_from": "2024-01-01"} for n in range(600)]
    client = instance.test_client()
    log_in(client, "hr-disk")
    response = post_form(client, "/registry/import", {"file": (io.BytesIO(csv_file("grids", rows)), "grids.csv")},
                         token_from="/registry/import", content_type="multipart/form-data")
    assert response.status_code == 302
    fill(small_disk, leave=4 * 1024)  # the upload is stored; now the disk is full
    with instance.app_context():
        assert run_pending_jobs(instance) == 1
        job = db.session.scalar(sa.select(Job))
        assert job.status == JobStatus.FAILED and "storage is full" in job.message, (job.status, job.error, str(job.result)[:300])
        job_id = job.id
    assert files_in(small_disk) == []
    page = client.get(f"/jobs/{job_id}").get_data(as_text=True)
    assert "storage is full" in page


def test_a_certificate_batch_on_a_full_disk_fails_clearly_and_leaves_no_pdf(tmp_path, small_disk):
    """WeasyPrint writes the merged PDF itself: its bare ENOSPC becomes the storage message, and the
    job's half-written files go, giving the disk its space back."""
    from courses.certificates import batch
    from courses.certificates import queries as cert_queries
    from courses.enrollment.models import Enrollment
    from courses.enrollment.operations import record_result
    from tests.fixtures.certificates import create_cert_type, final_exam_course, sit_exam
    from tests.fixtures.registry import create_worker

    app = make_app(f"sqlite:///{tmp_path / 'academy.db'}", tmp_path / "instance", FILES_DIR=str(small_disk),
                   JOB_RUNNER="manual")
    with app.app_context():
        course, exam = final_exam_course()
        create_cert_type(course=course, completed=True)
        for n in range(3):
            user = _user(f"holder{n}", Role.TRAINEE, None)
            worker = create_worker("320102", user=user)
            sit_exam(exam, right=5, user=user, worker=worker)
            enrollment = db.session.scalar(sa.select(Enrollment).where(Enrollment.course_id == course.id,
                                                                       Enrollment.worker_id == worker.id))
            record_result(enrollment, None, passed=True)
        hr = _user("hr-print", Role.HR, None)
        job = batch.request_batch(cert_queries.Selection(course_id=course.id), None, hr, base_url="http://localhost/")
        db.session.commit()
        job_id, course_id, hr_id = job.id, course.id, hr.id
        fill(small_disk, leave=16 * 1024)  # less than one certificate's PDF
        assert run_pending_jobs(app) >= 1  # the batch, and the job sending the holders' notices
        job = db.session.get(Job, job_id)
        assert job.status == JobStatus.FAILED and "storage is full" in job.message, (job.status, job.error)
    assert files_in(small_disk) == [], "no half-written PDF, zip or roster is left in the job's folder"
    (small_disk / "filler").unlink()
    with app.app_context():  # with space again, the same selection prints
        job = batch.request_batch(cert_queries.Selection(course_id=course_id), None, db.session.get(User, hr_id),
                                  base_url="http://localhost/")
        db.session.commit()
        assert run_pending_jobs(app) == 1
        assert db.session.get(Job, job.id).status == JobStatus.DONE
