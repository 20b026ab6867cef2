"""HR's pages: types kept by city-wide HR, bad and hostile input refused with nothing changed, issuing
by hand only when the rule is met, revocation, lists within HR's area; the trainee's own pages."""
from __future__ import annotations

import sqlalchemy as sa

from academy.database import city_today
from academy.extensions import db
from academy.permissions import Role
from courses.certificates import queries
from courses.certificates.models import Certificate, CertificateType
from tests.fixtures.certificates import sit_exam
from tests.support import log_in, post_form

GOOD_TYPE = {"code": "ONDUTY", "prefix": "SG", "name": "网格员上岗资格证", "name_en": "On-duty qualification",
             "kind": "on_duty", "validity_months": "36", "min_hours": "8", "min_score": "", "renewal_hours": "24",
             "renewal_min_score": "", "renewal_window_days": "90", "automatic": "y", "pdf_template": "default",
             "active": "y"}


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_city_hr_keeps_types_and_bad_input_changes_nothing(client, make_user, exam_course):
    make_user("cityhr", Role.HR)
    log_in(client, "cityhr")
    created = post_form(client, "/certificates/types/new", GOOD_TYPE, token_from="/certificates/types/new")
    assert created.status_code == 302
    cert_type = db.session.scalar(sa.select(CertificateType))
    assert (cert_type.code, cert_type.validity_months, cert_type.min_hours) == ("ONDUTY", 36, 8)
    bad = [{"code": "on duty!"}, {"code": "ONDUTY"}, {"prefix": "sg1"}, {"prefix": "TOOLONGX"}, {"kind": "wizard"},
           {"validity_months": "0"}, {"validity_months": "9999"}, {"min_hours": "-1"}, {"min_hours": "abc"},
           {"min_score": "101"}, {"renewal_window_days": "0"}, {"pdf_template": "../../base"},
           {"name": ""}, {"name": "名" * 101}, {"code": "A" * 500}]
    for change in bad:
        response = post_form(client, "/certificates/types/new", GOOD_TYPE | change, token_from="/certificates/types/new")
        assert response.status_code == 400, change
    assert _count(CertificateType) == 1
    course, _exam = exam_course
    url = f"/certificates/types/{cert_type.id}/requirements"
    edit = f"/certificates/types/{cert_type.id}/edit"
    for data in ({"kind": "exam", "course_id": "999999"}, {"kind": "exam", "course_id": "x"},
                 {"kind": "nope", "course_id": str(course.id)}, {"kind": "exam", "course_id": str(course.id), "min_percent": "150"}):
        assert post_form(client, url, data, token_from=edit).status_code == 303
    assert cert_type.requirements == []
    assert post_form(client, url, {"kind": "exam", "course_id": str(course.id), "min_percent": "75"},
                     token_from=edit).status_code == 302
    assert post_form(client, url, {"kind": "exam", "course_id": str(course.id)}, token_from=edit).status_code == 303
    db.session.expire_all()
    assert [(r.course_id, str(r.min_percent)) for r in cert_type.requirements] == [(course.id, "75.00")]


def test_district_hr_reads_types_but_does_not_keep_them(client, make_user):
    make_user("disthr", Role.HR, area="320102")
    log_in(client, "disthr")
    assert client.get("/certificates/types").status_code == 200
    assert post_form(client, "/certificates/types/new", GOOD_TYPE, token_from="/certificates").status_code == 403
    assert _count(CertificateType) == 0


def test_issue_by_hand_only_when_the_rule_is_met(client, make_user, exam_course, make_cert_type, make_trainee):
    course, exam = exam_course
    cert_type = make_cert_type(course=course, automatic=False)
    user, worker = make_trainee(course)
    far_user, far_worker = make_trainee(course, area="320104")
    make_user("hrdesk", Role.HR, area="320102")
    log_in(client, "hrdesk")
    form = {"worker_number": worker.number, "type_id": str(cert_type.id), "reason": "补发：系统迁移"}
    refused = post_form(client, "/certificates/issue", form, token_from="/certificates/issue")
    assert refused.status_code == 400 and "does not meet the rule" in refused.get_data(as_text=True)
    sit_exam(exam, right=5, user=user, worker=worker)
    sit_exam(exam, right=5, user=far_user, worker=far_worker)
    assert queries.certificates_of(worker) == []  # not automatic: HR issues
    for bad in ({"reason": ""}, {"reason": "x" * 501}, {"worker_number": "42"}, {"worker_number": far_worker.number},
                {"type_id": "999"}, {"type_id": "<b>"}):
        assert post_form(client, "/certificates/issue", form | bad, token_from="/certificates/issue").status_code == 400
    assert _count(Certificate) == 0
    done = post_form(client, "/certificates/issue", form, token_from="/certificates/issue")
    assert done.status_code == 302
    [certificate] = queries.certificates_of(worker)
    assert certificate.manual and certificate.reason == "补发：系统迁移" and certificate.attempt_id is not None
    again = post_form(client, "/certificates/issue", form, token_from="/certificates/issue")
    assert again.status_code == 400 and "already holds" in again.get_data(as_text=True)


def test_hr_revokes_with_a_reason_and_lists_only_his_area(client, make_user, exam_course, make_cert_type, make_trainee):
    course, exam = exam_course
    make_cert_type(course=course)
    holders = [make_trainee(course, name="Near One"), make_trainee(course, area="320104", name="Far One")]
    for user, worker in holders:
        sit_exam(exam, right=5, user=user, worker=worker)
    near, far = (queries.certificates_of(w)[0] for _u, w in holders)
    make_user("hrdesk", Role.HR, area="320102")
    log_in(client, "hrdesk")
    listing = client.get("/certificates", query_string={"status": "valid"}).get_data(as_text=True)
    assert near.number in listing and far.number not in listing
    assert client.get("/certificates", query_string={"issued_from": "2026-13-01"}).status_code == 400
    assert client.get("/certificates", query_string={"type_id": "abc"}).status_code == 400
    assert client.get("/certificates", query_string={"area": "32010'; --"}).status_code == 400
    assert client.get("/certificates", query_string={"q": "%_\\"}).status_code == 200
    page = f"/certificates/{near.id}"
    assert post_form(client, f"{page}/revoke", {"reason": ""}, token_from=page).status_code == 400
    assert post_form(client, f"{page}/revoke", {"reason": "x" * 501}, token_from=page).status_code == 400
    assert client.get(f"/certificates/{far.id}").status_code == 404  # another district's: not shown at all
    assert post_form(client, f"{page}/revoke", {"reason": "考试作弊"}, token_from=page).status_code == 302
    db.session.expire_all()
    assert near.status.value == "revoked" and near.transitions[-1].reason == "考试作弊"
    assert "考试作弊" in client.get(page).get_data(as_text=True)
    twice = post_form(client, f"{page}/revoke", {"reason": "again"}, token_from=page)
    assert twice.status_code == 303 and near.transitions[-1].reason == "考试作弊"


def test_the_trainee_sees_his_certificate_at_home_on_his_page_and_in_his_list(client, exam_course, make_cert_type,
                                                                              make_trainee):
    course, exam = exam_course
    make_cert_type(course=course)
    user, worker = make_trainee(course)
    sit_exam(exam, right=5, user=user, worker=worker)
    [certificate] = queries.certificates_of(worker)
    log_in(client, user.username)
    for url in ("/certificates/mine", f"/registry/workers/{worker.id}"):
        html = client.get(url).get_data(as_text=True)
        assert certificate.number in html and f"/certificates/{certificate.id}/certificate.pdf" in html, url
    # Home: the certificates card counts it and leads to its page (number, share link and the PDF).
    home = client.get("/").get_data(as_text=True)
    assert f'href="/certificates/{certificate.id}"' in home
    page = client.get(f"/certificates/{certificate.id}").get_data(as_text=True)
    assert certificate.number in page and f"/certificates/{certificate.id}/certificate.pdf" in page
    assert client.get("/certificates").status_code == 403


def test_hr_batch_refuses_an_empty_or_bad_selection(client, make_user, exam_course):
    make_user("hrdesk", Role.HR, area="320102")
    log_in(client, "hrdesk")
    from academy.jobs import Job

    for data in ({"language": "holder"}, {"language": "klingon"}, {"issued_from": "2026-05-01", "issued_to": "2026-04-01"},
                 {"course_id": "0 OR 1=1"}):
        assert post_form(client, "/certificates/batches", {"type_id": "0", "course_id": "0", "exam_id": "0",
                                                            "branch_id": "0", "status": ""} | data,
                         token_from="/certificates/batches").status_code == 400
    assert _count(Job) == 0


def test_the_coverage_page_lists_workers_on_duty_without_a_certificate(client, make_user, make_worker):
    worker = make_worker(name="Uncertified")
    make_user("hrdesk", Role.HR, area="320102")
    log_in(client, "hrdesk")
    html = client.get("/registry/coverage").get_data(as_text=True)
    assert "Workers on duty without a valid qualification certificate" in html and worker.number in html


def test_the_sweep_command(app, exam_course, make_cert_type, make_trainee):
    from datetime import timedelta

    course, exam = exam_course
    make_cert_type(course=course)
    user, worker = make_trainee(course)
    sit_exam(exam, right=5, user=user, worker=worker)
    [certificate] = queries.certificates_of(worker)
    certificate.valid_until = city_today() - timedelta(days=1)
    db.session.flush()
    result = app.test_cli_runner().invoke(args=["academy", "certificates-sweep"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("1 expired, 0 issued or renewed, 0 failed; 0 in the renewal window, 1 lapsed.")
    db.session.expire_all()
    assert certificate.status.value == "expired"
