"""Training statistics: figures by branch academy and district, the city's days, the district's
workers (hours against the requirement, certificate holders), the .xlsx export."""
from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from openpyxl import load_workbook

from academy.permissions import Role
from courses.certificates import issuing
from courses.enrollment import annual, statistics
from courses.enrollment import operations as ops
from courses.enrollment.models import CourseKind
from tests.fixtures.certificates import create_cert_type
from tests.support import log_in


def test_statistics_by_branch_and_district(make_course, make_worker):
    course = make_course()
    a = ops.request_enrollment(course, make_worker("320102"), None)
    ops.request_enrollment(course, make_worker("320104"), None)
    withdrawn = ops.request_enrollment(course, make_worker("320102"), None)
    ops.withdraw(withdrawn, None)
    a.online_hours = Decimal("4")
    ops.record_result(a, None, passed=True)
    today = statistics.city_today()
    tables = statistics.training_statistics(today - timedelta(days=1), today, None)
    (branch,) = tables["branch"]
    assert (branch.person_times, branch.completed, branch.completion_rate, branch.hours) == (2, 1, 50, Decimal("4"))
    assert (branch.pass_rate, branch.workers_trained) == (100, 2)
    assert sorted(r.person_times for r in tables["district"] if r.person_times) == [1, 1]
    scoped = statistics.training_statistics(today - timedelta(days=1), today, ["320104"])
    assert scoped["branch"][0].person_times == 1
    assert [r.key for r in scoped["district"]] == ["320104"]
    empty = statistics.training_statistics(today + timedelta(days=1), today + timedelta(days=2), None)
    assert empty["branch"] == []


def test_a_day_is_the_citys_day():
    """16:30 UTC on 31 December is 00:30 on 1 January in Shanghai: the new year's first day."""
    since, until = statistics.bounds(datetime(2027, 1, 1).date(), datetime(2027, 1, 1).date())
    assert since == datetime(2026, 12, 31, 16, tzinfo=UTC) and until == datetime(2027, 1, 1, 16, tzinfo=UTC)


def test_district_workers_hours_against_the_requirement_and_certificates(make_course, make_worker):
    annual.set_requirement("3201", Decimal("1"), None)
    course = make_course(kind=CourseKind.IN_SERVICE)
    ahead, behind = make_worker("320105"), make_worker("320105")
    done = ops.request_enrollment(course, ahead, None)
    ops.record_result(done, None, passed=True)
    failed = ops.request_enrollment(course, behind, None)
    ops.record_result(failed, None, passed=False)
    issuing.issue_by_hand(create_cert_type(course=course, exam=False, completed=True, automatic=False), ahead, None,
                          reason="test")
    today = statistics.city_today()
    (row,) = statistics.training_statistics(today - timedelta(days=1), today, ["320105"])["district"]
    assert (row.person_times, row.completed, row.failed, row.pass_rate) == (2, 1, 1, 50)
    earned = annual.hours_by_worker([ahead.id, behind.id], today.year)
    assert earned[ahead.id] >= 1 and not earned.get(behind.id)  # the completed course credits its units' hours
    assert (row.serving, row.meeting, row.required) == (2, 1, Decimal("1"))
    assert row.hours_per_worker == (earned[ahead.id] / 2).quantize(Decimal("0.1"))
    assert (row.certified, row.certified_rate) == (1, 50)


def test_the_export_has_the_tables_of_the_page(app, make_course, make_worker, make_user):
    course = make_course()
    ops.request_enrollment(course, make_worker("320106"), None)
    client = app.test_client()
    log_in(client, make_user("stats-hr", Role.HR).username)
    today = statistics.city_today()
    response = client.get(f"/training/stats.xlsx?start={today - timedelta(days=1)}&end={today}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data))
    branch, district = book.worksheets
    assert branch.cell(1, 2).value == "Person-times trained" and branch.cell(2, 2).value == 1
    assert district.cell(1, 12).value == "Certificate-holding rate"
    assert client.get("/training/stats.xlsx?start=2026-05-01&end=2026-01-01").status_code == 400
