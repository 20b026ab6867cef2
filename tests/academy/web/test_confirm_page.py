"""Bulk actions confirmed without JavaScript: a POST without ``confirmed=1`` writes nothing and answers a
page that states the count (from the same preview as the dialog's) and posts the same fields again,
confirmed; that second POST acts. A selection of nobody is refused on that page, with no button."""
from __future__ import annotations

import re
from html import unescape

import sqlalchemy as sa

from academy.extensions import db
from academy.jobs import Job
from academy.permissions import Role
from academy.registry.models import WorkerStatus
from courses.certificates import queries
from courses.enrollment.models import Enrollment
from tests.fixtures.certificates import sit_exam
from tests.support import csrf_token, log_in, post_form

SELECT_ALL = {"type_id": "0", "status": "", "course_id": "0", "exam_id": "0", "branch_id": "0", "language": "holder"}


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def _repost(client, page: str, token_from: str):
    """Press the confirmation page's button: post its form's fields as a browser would."""
    form = page.split('data-testid="confirm-page-count"')[1]
    action = unescape(re.search(r'<form method="post" action="([^"]+)"', form).group(1))
    fields = [(unescape(n), unescape(v)) for n, v in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form)]
    data: dict[str, list[str]] = {}
    for name, value in fields:
        data.setdefault(name, []).append(value)
    data["csrf_token"] = [csrf_token(client, token_from)]
    return client.post(action, data=data)


def test_bulk_enrolment_asks_with_the_count_then_enrols(client, make_user, make_course, make_worker):
    course = make_course()
    for _ in range(3):
        make_worker("320102", status=WorkerStatus.RECRUITED)
    make_worker("320104", status=WorkerStatus.RECRUITED)
    make_user("hr1", Role.HR, area="320102")
    log_in(client, "hr1")
    url = f"/courses/{course.id}/bulk"
    response = post_form(client, url, {"area_code": "320102", "employment": "", "status": "recruited"},
                         token_from=url, headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and _count(Enrollment) == 0
    assert f"Enrol 3 grid workers in {course.title}?" in unescape(page)
    assert 'name="confirmed" value="1"' in page and 'data-testid="confirm-page-ok"' in page
    assert _repost(client, page, url).status_code == 200
    assert _count(Enrollment) == 3


def test_a_certificate_batch_asks_then_prints(client, make_user, exam_course, make_cert_type, make_trainee):
    course, exam = exam_course
    make_cert_type(course=course)
    for name in ("王小芳", "Li Lei"):
        user, worker = make_trainee(course, name=name)
        sit_exam(exam, right=5, user=user, worker=worker)
    assert len(queries.certificates_of(worker)) == 1
    make_user("hrdesk", Role.HR, area="320102")
    log_in(client, "hrdesk")
    jobs_before = db.session.scalar(sa.select(sa.func.count()).where(Job.kind == "certificates.batch"))
    response = post_form(client, "/certificates/batches", SELECT_ALL | {"course_id": str(course.id)},
                         token_from="/certificates/batches", headers={"Accept-Language": "zh-CN"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "打印 2 份证书" in page
    assert db.session.scalar(sa.select(sa.func.count()).where(Job.kind == "certificates.batch")) == jobs_before
    done = _repost(client, page, "/certificates/batches")
    assert done.status_code == 302 and "/certificates/batches/" in done.headers["Location"]
    assert db.session.scalar(sa.select(sa.func.count()).where(Job.kind == "certificates.batch")) == jobs_before + 1


def test_a_selection_of_nobody_is_refused_on_the_page_without_a_button(client, make_user, make_course):
    course = make_course()
    make_user("hr1", Role.HR, area="320102")
    log_in(client, "hr1")
    url = f"/courses/{course.id}/bulk"
    response = post_form(client, url, {"area_code": "320102", "employment": "", "status": "exited"},
                         token_from=url, headers={"Accept-Language": "en"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "Nothing matches this selection." in page
    assert 'data-testid="confirm-page-ok"' not in page and _count(Enrollment) == 0


def test_confirmed_must_be_exactly_one(client, make_user, make_course, make_worker):
    course = make_course()
    make_worker("320102", status=WorkerStatus.RECRUITED)
    make_user("hr1", Role.HR, area="320102")
    log_in(client, "hr1")
    url = f"/courses/{course.id}/bulk"
    for value in ("yes", "1.0", "NaN", "9" * 40, "1\x00", "1" * 10_000):
        response = post_form(client, url, {"area_code": "320102", "employment": "", "status": "", "confirmed": value},
                             token_from=url)
        assert response.status_code in (200, 400) and _count(Enrollment) == 0, value
