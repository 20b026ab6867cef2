"""持证上岗: only a worker on duty covers a grid (issue 16).

A full-time or leader assignment of a worker not on duty is held ("awaiting qualification") and
counts as no coverage; going on duty makes it effective, a suspension holds it again, an exit ends
it. The coverage page's numbers on a small city, and the import holding what it creates."""
from __future__ import annotations

import re
from datetime import date

import sqlalchemy as sa

from academy.audit import AuditEntry
from academy.database import city_today
from academy.extensions import db
from academy.permissions import Role
from academy.registry import operations
from academy.registry.coverage import coverage_report
from academy.registry.models import AssignmentRole, Employment, WorkerStatus
from tests.support import log_in

START = date(2025, 1, 1)


def findings(scopes=("320102",)):
    return {finding.key: finding for finding in coverage_report(list(scopes))["findings"]}


def uncovered_codes(scopes=("320102",)) -> list[str]:
    return [row["label"].split()[0] for row in findings(scopes)["uncovered"].rows]


def staffing(code: str = "320102"):
    return {row.code: row for row in coverage_report(None)["staffing"]}[code]


def audited(action: str, assignment) -> int:
    return db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
        AuditEntry.action == action, AuditEntry.object_id == str(assignment.id)))


def test_an_unqualified_worker_is_held_and_going_on_duty_makes_it_effective(make_grid, make_worker, hr_user):
    grid = make_grid("320102001001")
    worker = make_worker("320102", status=WorkerStatus.IN_TRAINING)
    assignment = operations.assign_worker(worker, grid, hr_user, role=AssignmentRole.FULL_TIME, starts_on=START)
    assert assignment.awaiting_qualification
    assert uncovered_codes() == [grid.code]
    assert [row["label"].split()[0] for row in findings()["awaiting"].rows] == [worker.number]
    assert (staffing().full_time, staffing().vacancies) == (0, 1)

    operations.put_on_duty(worker, None, "certificate issued")
    assert not assignment.awaiting_qualification
    assert audited("assignment.effective", assignment) == 1
    assert uncovered_codes() == [] and findings()["awaiting"].count == 0
    assert (staffing().full_time, staffing().vacancies) == (1, 0)


def test_a_leader_is_held_and_helpers_are_not(make_grid, make_worker, hr_user):
    grid = make_grid("320102001001")
    leader = make_worker("320102", status=WorkerStatus.RECRUITED)
    helper = make_worker("320102", status=WorkerStatus.RECRUITED, employment=Employment.PART_TIME)
    led = operations.assign_worker(leader, grid, hr_user, role=AssignmentRole.LEADER, starts_on=START)
    helped = operations.assign_worker(helper, grid, hr_user, role=AssignmentRole.PART_TIME, starts_on=START)
    assert led.awaiting_qualification and not helped.awaiting_qualification
    assert uncovered_codes() == [grid.code]


def test_a_suspension_uncovers_the_grid_and_a_return_covers_it_again(make_grid, make_worker, hr_user):
    grid = make_grid("320102001001")
    worker = make_worker("320102")
    assignment = operations.assign_worker(worker, grid, hr_user, role=AssignmentRole.FULL_TIME, starts_on=START)
    assert not assignment.awaiting_qualification and uncovered_codes() == []

    operations.change_status(worker, WorkerStatus.SUSPENDED, hr_user, "disciplinary review")
    assert assignment.awaiting_qualification and assignment.ends_on is None  # held, not ended
    assert audited("assignment.held", assignment) == 1
    assert uncovered_codes() == [grid.code] and staffing().full_time == 0

    operations.put_on_duty(worker, None, "review closed")
    assert not assignment.awaiting_qualification and uncovered_codes() == []


def test_a_suspended_worker_covers_nothing_even_when_his_row_says_otherwise(make_grid, make_worker,
                                                                           make_assignment):
    """Rows written before the rule (or by hand) are not trusted: the worker's status decides too."""
    grid = make_grid("320102001001")
    worker = make_worker("320102")
    make_assignment(worker, grid)
    worker.status = WorkerStatus.SUSPENDED  # as an old database holds it, without the flag
    db.session.flush()
    assert uncovered_codes() == [grid.code] and staffing().full_time == 0


def test_an_exit_ends_his_assignments(make_grid, make_worker, hr_user):
    grid = make_grid("320102001001")
    worker = make_worker("320102")
    assignment = operations.assign_worker(worker, grid, hr_user, role=AssignmentRole.FULL_TIME, starts_on=START)
    operations.exit_worker(worker, hr_user, on=city_today(), reason="moved away")
    assert assignment.ends_on == city_today() and assignment.end_reason
    assert uncovered_codes() == [grid.code]


def test_the_coverage_page_counts_only_workers_on_duty(client, make_user, make_grid, make_worker, hr_user):
    """A small city: four grids held by an on-duty, a suspended, an in-training worker and nobody."""
    grids = [make_grid("320102001001", households=300) for _ in range(4)]
    for grid, status in zip(grids[:3], (WorkerStatus.ON_DUTY, WorkerStatus.ON_DUTY, WorkerStatus.IN_TRAINING), strict=True):
        worker = make_worker("320102", status=status)
        operations.assign_worker(worker, grid, hr_user, role=AssignmentRole.FULL_TIME, starts_on=START)
    suspended = grids[1].assignments[0].worker
    operations.change_status(suspended, WorkerStatus.SUSPENDED, hr_user, "review")
    make_user("viewer-p4", Role.VIEWER, area="320102")
    log_in(client, "viewer-p4")
    page = client.get("/registry/coverage").get_data(as_text=True)
    counts = dict(re.findall(r'data-testid="finding-(\w+)">.*?data-testid="finding-count">(\d+)<', page, re.S))
    assert counts["uncovered"] == "3" and counts["awaiting"] == "2"
    staffing_row = re.search(r'data-testid="staffing">.*?<tbody>\s*<tr>(.*?)</tr>', page, re.S).group(1)
    cells = re.findall(r'<td class="text-end[^"]*">([^<]*)</td>', staffing_row)
    assert cells[:3] == ["4", "1", "0.25"] and cells[3].strip() == "3"


def test_the_worker_and_grid_pages_say_awaiting_qualification(client, make_user, make_grid, make_worker, hr_user):
    grid = make_grid("320102001001")
    worker = make_worker("320102", status=WorkerStatus.IN_TRAINING)
    operations.assign_worker(worker, grid, hr_user, role=AssignmentRole.FULL_TIME, starts_on=START)
    make_user("hr-p4", Role.HR, area="320102")
    log_in(client, "hr-p4")
    for url in (f"/registry/workers/{worker.id}", f"/registry/grids/{grid.id}"):
        assert 'data-testid="awaiting-qualification"' in client.get(url).get_data(as_text=True)
    operations.put_on_duty(worker, None, "qualified")
    for url in (f"/registry/workers/{worker.id}", f"/registry/grids/{grid.id}"):
        assert 'data-testid="awaiting-qualification"' not in client.get(url).get_data(as_text=True)


def test_the_label_reads_in_both_languages(client, make_user, make_grid, make_worker, hr_user):
    grid = make_grid("320102001001")
    worker = make_worker("320102", status=WorkerStatus.IN_TRAINING)
    operations.assign_worker(worker, grid, hr_user, role=AssignmentRole.LEADER, starts_on=START)
    make_user("hr-p4", Role.HR, area="320102")
    log_in(client, "hr-p4")
    for language, label in (("zh-CN", "待取得上岗资格"), ("en", "Awaiting qualification")):
        page = client.get(f"/registry/grids/{grid.id}", headers={"Accept-Language": language})
        assert label in page.get_data(as_text=True)
