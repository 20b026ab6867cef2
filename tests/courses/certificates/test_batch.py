"""HR prints a batch: the selection is fixed when asked, the job reports progress and yields one
merged PDF, a .zip of single PDFs and a roster (PDF and .xlsx); the PDFs are text a machine reads."""
from __future__ import annotations

import io
import zipfile

import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader

from academy.audit import AuditEntry
from academy.extensions import db
from academy.jobs import Job, JobStatus, get_progress
from academy.permissions import Role
from courses.certificates import lifecycle, queries
from tests.fixtures.certificates import sit_exam
from tests.support import log_in, post_form

SELECT_ALL = {"type_id": "0", "status": "", "course_id": "0", "exam_id": "0", "branch_id": "0", "language": "holder"}


def _holders(exam_course, make_cert_type, make_trainee, names):
    course, exam = exam_course
    make_cert_type(course=course)
    certificates = []
    for name, area in names:
        user, worker = make_trainee(course, area=area, name=name)
        sit_exam(exam, right=5, user=user, worker=worker)
        certificates.append(queries.certificates_of(worker)[0])
    return course, certificates


def test_a_batch_for_a_course(client, run_jobs, make_user, exam_course, make_cert_type, make_trainee, pdf_renderer):
    course, (first, second, revoked, far) = _holders(
        exam_course, make_cert_type, make_trainee,
        [("王小芳", "320102"), ("Li Lei", "320102"), ("Zhao Min", "320102"), ("Far Away", "320104")])
    lifecycle.revoke_certificate(revoked, None, reason="withdrawn")
    make_user("hrdesk", Role.HR, area="320102")
    log_in(client, "hrdesk")
    response = post_form(client, "/certificates/batches", SELECT_ALL | {"course_id": str(course.id), "confirmed": "1"},
                         token_from="/certificates/batches")
    assert response.status_code == 302
    job = db.session.scalar(sa.select(Job).where(Job.kind == "certificates.batch"))  # beside the holders' notices
    # The valid ones in HR's district, in number order, fixed when HR asked.
    assert job.params["certificate_ids"] == [c.id for c in sorted((first, second), key=lambda c: c.number)]
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "certificates.batch_print")) is not None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'data-testid="batch-progress"' in page and "batch-merged" not in page
    assert run_jobs() >= 1  # the batch, and the jobs sending the holders' notices (issued, revoked)
    db.session.expire_all()
    assert job.status == JobStatus.DONE and get_progress(job)["percent"] == 100.0
    page = client.get(f"/certificates/batches/{job.id}").get_data(as_text=True)
    assert 'data-testid="batch-merged"' in page
    merged = client.get(f"/certificates/batches/{job.id}/merged")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(merged.data)).pages)
    for certificate in (first, second):
        assert certificate.number in text and certificate.worker.name in text
        assert f"/verify/{certificate.number}" in text
    assert revoked.number not in text and far.number not in text
    archive = zipfile.ZipFile(io.BytesIO(client.get(f"/certificates/batches/{job.id}/zip").data))
    assert sorted(archive.namelist()) == sorted(f"{c.number}.pdf" for c in (first, second))
    book = load_workbook(io.BytesIO(client.get(f"/certificates/batches/{job.id}/roster_xlsx").data))
    numbers = {row[0] for row in book.active.iter_rows(values_only=True)}
    assert {first.number, second.number} <= numbers and revoked.number not in numbers
    assert client.get(f"/certificates/batches/{job.id}/roster_pdf").status_code == 200
    assert client.get(f"/certificates/batches/{job.id}/../../secret").status_code == 404
    assert client.get(f"/certificates/batches/{job.id}/nothing").status_code == 404


def test_the_single_pdf_for_the_holder_and_for_hr(app, make_user, exam_course, make_cert_type, make_trainee,
                                                   pdf_renderer):
    from academy.accounts.models import User

    _course, (certificate,) = _holders(exam_course, make_cert_type, make_trainee, [("Wang Fang", "320102")])
    make_user("hrdesk", Role.HR, area="320102")
    make_user("farhr", Role.HR, area="320104")
    url = f"/certificates/{certificate.id}/certificate.pdf"
    for username, status in ((db.session.get(User, certificate.worker.user_id).username, 200), ("hrdesk", 200),
                             ("farhr", 404)):
        client = app.test_client()
        log_in(client, username)
        response = client.get(url)
        assert response.status_code == status, username
        if status == 200:
            text = PdfReader(io.BytesIO(response.data)).pages[0].extract_text()
            assert certificate.number in text and "Wang Fang" in text
            assert response.headers["Content-Disposition"] == f'attachment; filename="{certificate.number}.pdf"'
