"""Access rows of the certification module.

The world: a pre-service course (320102) with a final exam and a certificate type asking for it;
``trainee`` (a worker in 320102) passed and holds the certificate; a worker in 320104 holds one too;
``hr`` (320102) has a finished printing batch. City-wide keeping of types is for administrators
here (the table's HR grants are scoped to a district). The verification pages are public.
"""
from __future__ import annotations

import sqlalchemy as sa

from academy.extensions import db
from academy.jobs import Job, JobStatus, job_folder
from courses.certificates import batch, keys
from courses.certificates import queries as cert_queries
from courses.enrollment.models import Enrollment
from courses.enrollment.operations import record_result
from tests.access import Access, everyone
from tests.fixtures.certificates import create_cert_type, final_exam_course, sit_exam
from tests.fixtures.courses import create_course
from tests.fixtures.registry import create_worker

HR = {"admin": 200, "hr": 200, "hr_other": 200}
HOME_HR = {"admin": 200, "hr": 200}
PUBLIC = everyone(200, anonymous=200)


def _finished_batch(world, certificate) -> Job:
    job = Job(kind=batch.KIND, params={"certificate_ids": [certificate.id], "base_url": "http://localhost/",
                                       "language": "holder"}, status=JobStatus.DONE,
              created_by_id=world.users["hr"].id, result_name=batch.FILES["merged"])
    db.session.add(job)
    db.session.flush()
    folder = job_folder(job.id)
    folder.mkdir(parents=True, exist_ok=True)
    for name in batch.FILES.values():
        (folder / name).write_bytes(b"%PDF-1.7 stand-in for the access test\n")
    return job


def build(world) -> None:
    course, exam = final_exam_course()
    cert_type = create_cert_type(course=course, completed=True)
    worker = create_worker("320102", user=world.users["trainee"])
    other_worker = create_worker("320104", user=world.users["trainee_other"])
    for holder, user in ((worker, world.users["trainee"]), (other_worker, world.users["trainee_other"])):
        sit_exam(exam, right=5, user=user, worker=holder)
        enrollment = db.session.scalar(sa.select(Enrollment).where(Enrollment.course_id == course.id,
                                                                   Enrollment.worker_id == holder.id))
        record_result(enrollment, None, passed=True)  # the rule asks for both: the course and its exam
    world["cert_type"], world["cert_course"] = cert_type, course
    world["cert_spare_course"] = create_course()
    world["certificate"] = cert_queries.certificates_of(worker)[0]
    world["other_certificate"] = cert_queries.certificates_of(other_worker)[0]
    world["batch"] = _finished_batch(world, world["certificate"])
    world["verification_key"] = keys.issue_verification_key(None, "HR bureau platform")[0]


def _type(w) -> int:
    return w["cert_type"].id


ACCESS = [
    Access("certificates.certificate_list", "/certificates?status=valid", HR),
    Access("certificates.type_list", "/certificates/types", HR),
    Access("certificates.type_new", "/certificates/types/new", {"admin": 200}),
    Access("certificates.type_edit", lambda w: f"/certificates/types/{_type(w)}/edit", {"admin": 200}),
    Access("certificates.requirement_add", lambda w: f"/certificates/types/{_type(w)}/requirements", {"admin": 302},
           method="POST", data=lambda w: {"kind": "exam", "course_id": str(w["cert_spare_course"].id), "min_percent": "70"}),
    Access("certificates.requirement_remove",
           lambda w: f"/certificates/types/{_type(w)}/requirements/{w['cert_type'].requirements[-1].id}/delete",
           {"admin": 302}, method="POST"),
    # A certificate's page: its holder and HR of his area; to anyone else it does not exist (as the PDF).
    Access("certificates.certificate", lambda w: f"/certificates/{w['certificate'].id}",
           everyone(404, admin=200, hr=200, trainee=200)),
    Access("certificates.certificate", lambda w: f"/certificates/{w['other_certificate'].id}",
           everyone(404, admin=200, hr_other=200, trainee_other=200)),
    Access("certificates.revoke", lambda w: f"/certificates/{w['certificate'].id}/revoke", {"admin": 302, "hr": 302},
           method="POST", data={"reason": "issued in error"}),
    # The holder and HR of his area download the PDF; anyone else is told it does not exist. (Until the
    # renderer, courses/certificates/pdf.py, is merged, those allowed are told it is not installed: 503.)
    Access("certificates.certificate_pdf", lambda w: f"/certificates/{w['certificate'].id}/certificate.pdf",
           everyone(404, **dict.fromkeys(("admin", "hr", "trainee"), 200))),
    Access("certificates.issue", "/certificates/issue", HR),
    Access("certificates.reminders", "/certificates/reminders", HR),
    Access("certificates.mine", "/certificates/mine", everyone(404, trainee=200, trainee_other=200)),
    Access("certificates.batch_new", "/certificates/batches", HR),
    Access("certificates.batch_page", lambda w: f"/certificates/batches/{w['batch'].id}", HOME_HR),
    Access("certificates.batch_file", lambda w: f"/certificates/batches/{w['batch'].id}/roster_xlsx", HOME_HR),
    Access("certificates.verify_search", "/verify", PUBLIC),
    # The POST halves of the form pages, posted empty (see tests/access/table_posts.py): those who may
    # use the form are told what is missing, everyone else is refused as on the page itself.
    Access("certificates.type_new", "/certificates/types/new", {"admin": 400}, method="POST"),
    Access("certificates.type_edit", lambda w: f"/certificates/types/{_type(w)}/edit", {"admin": 400}, method="POST"),
    Access("certificates.issue", "/certificates/issue", {"admin": 400, "hr": 400, "hr_other": 400}, method="POST"),
    Access("certificates.batch_new", "/certificates/batches", {"admin": 400, "hr": 400, "hr_other": 400}, method="POST"),
    Access("certificates.verify", lambda w: f"/verify/{w['certificate'].number}", PUBLIC),
    Access("certificates.verify_json", lambda w: f"/api/certificates/verify/{w['certificate'].number}", PUBLIC),
    Access("certificates.verification_keys", "/certificates/admin/verification-keys", {"admin": 200}),
    Access("certificates.verification_keys", "/certificates/admin/verification-keys", {"admin": 200}, method="POST",
           data={"name": "Employer portal"}),
    Access("certificates.revoke_verification_key",
           lambda w: f"/certificates/admin/verification-keys/{w['verification_key'].id}/revoke", {"admin": 303},
           method="POST"),
]
