"""A certificate's verification URL, printed in its PDF and shown to its holder, is the site's
configured public address even when the request came with a forged ``Host`` header."""
from __future__ import annotations

import io

import sqlalchemy as sa
from pypdf import PdfReader

from academy.accounts.models import User
from academy.extensions import db
from academy.jobs import Job
from academy.permissions import Role
from courses.certificates import queries
from tests.fixtures.certificates import sit_exam
from tests.support import csrf_token, log_in

PUBLIC = "https://academy.example.cn"
FORGED = {"Host": "evil.example"}


def _certificate(exam_course, make_cert_type, make_trainee):
    course, exam = exam_course
    make_cert_type(course=course)
    user, worker = make_trainee(course, area="320102", name="Wang Fang")
    sit_exam(exam, right=5, user=user, worker=worker)
    return course, queries.certificates_of(worker)[0]


def _forged_client(app, username: str, form_page: str = "/account"):
    """A logged-in client whose session (and the CSRF token of ``form_page``) also goes to the forged host."""
    client = app.test_client()
    log_in(client, username)
    client.token = csrf_token(client, form_page)
    client.set_cookie("session", client.get_cookie("session").value, domain="evil.example")
    return client


def test_the_pdf_and_the_holders_page_carry_the_public_url(app, monkeypatch, exam_course, make_cert_type,
                                                           make_trainee, pdf_renderer):
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC)
    _course, certificate = _certificate(exam_course, make_cert_type, make_trainee)
    holder = _forged_client(app, db.session.get(User, certificate.worker.user_id).username)
    response = holder.get(f"/certificates/{certificate.id}/certificate.pdf", headers=FORGED)
    assert response.status_code == 200
    text = "".join(PdfReader(io.BytesIO(response.data)).pages[0].extract_text().split())
    assert f"{PUBLIC}/verify/{certificate.number}" in text and "evil.example" not in text
    page = holder.get("/certificates/mine", headers=FORGED).get_data(as_text=True)
    assert f"{PUBLIC}/verify" in page and "evil.example" not in page


def test_a_batch_job_is_given_the_public_url(app, monkeypatch, make_user, exam_course, make_cert_type, make_trainee):
    monkeypatch.setitem(app.config, "PUBLIC_URL", PUBLIC)
    course, _certificate_row = _certificate(exam_course, make_cert_type, make_trainee)
    make_user("hrdesk", Role.HR, area="320102")
    hr = _forged_client(app, "hrdesk", "/certificates/batches")
    form = {"type_id": "0", "status": "", "course_id": str(course.id), "exam_id": "0", "branch_id": "0",
            "language": "holder", "csrf_token": hr.token, "confirmed": "1"}
    assert hr.post("/certificates/batches", data=form, headers=FORGED).status_code == 302
    assert db.session.scalar(sa.select(Job).where(Job.kind == "certificates.batch")).params["base_url"] == PUBLIC
