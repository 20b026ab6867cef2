"""HR's badges of what waits: his own background jobs not done with (queued, running, failed lately) on
"Background jobs", and the certificates of his areas in their renewal window on "Certificates"."""
from __future__ import annotations

from datetime import timedelta

from academy.database import city_today, utcnow
from academy.extensions import db
from academy.jobs import Job, JobStatus
from academy.permissions import Role
from courses.certificates import core, queries
from tests.fixtures.certificates import sit_exam
from tests.support import log_in, post_form


def _job(user, status: JobStatus, *, days_ago: int = 0, kind: str = "registry.import") -> Job:
    job = Job(kind=kind, params={}, status=status, created_by_id=user.id,
              created_at=utcnow() - timedelta(days=days_ago))
    db.session.add(job)
    db.session.flush()
    return job


def _log_in_again(client, username: str) -> None:
    post_form(client, "/logout", token_from="/")
    log_in(client, username)


def test_hr_sees_his_own_waiting_jobs_counted_and_listed(make_user, client, read_badges, read_workbench):
    hr, other = make_user("hr9", Role.HR, area="320102"), make_user("hr8", Role.HR, area="320104")
    waiting = [_job(hr, JobStatus.QUEUED), _job(hr, JobStatus.RUNNING), _job(hr, JobStatus.FAILED, days_ago=2)]
    _job(hr, JobStatus.DONE)
    _job(hr, JobStatus.FAILED, days_ago=10)  # failed long ago: no longer waiting on him
    _job(other, JobStatus.QUEUED)
    log_in(client, "hr9")
    home = client.get("/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert read_badges(home)["jobs.waiting"] == 3
    number, href = read_workbench(home)["jobs.waiting"]
    assert (number, href) == (3, "/jobs?waiting=1")
    page = client.get(href, headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert page.count('data-testid="job-row"') == 3
    assert all(f"/jobs/{job.id}" in page for job in waiting)
    assert "Registry import" in page and "Failed" in page
    assert client.get("/jobs").get_data(as_text=True).count('data-testid="job-row"') == 5
    _log_in_again(client, "hr8")
    assert read_badges(client.get("/").get_data(as_text=True))["jobs.waiting"] == 1


def test_a_job_of_a_known_kind_links_to_its_own_page(make_user, client):
    hr = make_user("hr9", Role.HR, area="320102")
    job = _job(hr, JobStatus.RUNNING, kind="certificates.batch")
    log_in(client, "hr9")
    page = client.get("/jobs?waiting=1", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert f'href="/certificates/batches/{job.id}"' in page and "证书批次" in page


def test_the_job_list_ignores_a_bad_filter_and_page(make_user, client):
    make_user("hr9", Role.HR, area="320102")
    log_in(client, "hr9")
    for query in ("waiting=2", "waiting=1e999", "waiting=%ED%A0%80", "page=99999999999999999999999", "page=NaN", "page=-1"):
        response = client.get(f"/jobs?{query}")
        assert response.status_code == 200 and 'data-testid="job-list"' in response.get_data(as_text=True)
    assert client.get("/jobs?waiting=1%00").status_code == 400  # a control character: refused, said so


def test_the_certificates_badge_counts_the_renewal_window_of_hrs_own_district(
        exam_course, make_cert_type, make_trainee, make_user, client, read_badges):
    course, exam = exam_course  # in 320102
    make_cert_type(course=course, renewal_hours="4", window=90)
    user, worker = make_trainee(course)
    sit_exam(exam, right=5, user=user, worker=worker)
    [certificate] = queries.certificates_of(worker)
    certificate.valid_until = city_today() + timedelta(days=30)
    certificate.issued_on = core.add_months(certificate.valid_until, -36)
    db.session.flush()
    make_user("hr9", Role.HR, area="320102")
    make_user("hr8", Role.HR, area="320104")
    log_in(client, "hr9")
    assert read_badges(client.get("/").get_data(as_text=True))["certificates.expiring"] == 1
    _log_in_again(client, "hr8")
    assert read_badges(client.get("/").get_data(as_text=True)).get("certificates.expiring", 0) == 0
