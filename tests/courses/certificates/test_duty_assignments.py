"""The on-duty certificate and the grid (持证上岗, issue 16): a trainee's full-time assignment waits
for his qualification; issuing it makes the assignment effective and the grid covered; revoking it
holds the assignment again and uncovers the grid."""
from __future__ import annotations

from datetime import date

from flask import current_app

from academy.registry import operations
from academy.registry.coverage import coverage_report
from academy.registry.models import AssignmentRole, WorkerStatus
from courses.certificates import lifecycle, queries
from tests.fixtures.certificates import sit_exam


def uncovered(grid) -> bool:
    with current_app.test_request_context():  # the findings link their rows
        report = coverage_report([grid.code[:6]])
    return grid.code in str(next(f for f in report["findings"] if f.key == "uncovered").rows)


def test_the_certificate_puts_the_held_assignment_in_force(exam_course, make_cert_type, make_trainee, make_grid):
    course, exam = exam_course
    make_cert_type(course=course)
    user, worker = make_trainee(course)
    grid = make_grid("320102001001")
    assignment = operations.assign_worker(worker, grid, None, role=AssignmentRole.FULL_TIME, starts_on=date(2025, 1, 1))
    assert worker.status == WorkerStatus.IN_TRAINING and assignment.awaiting_qualification and uncovered(grid)

    sit_exam(exam, right=5, user=user, worker=worker)
    [certificate] = queries.certificates_of(worker)
    assert worker.status == WorkerStatus.ON_DUTY
    assert not assignment.awaiting_qualification and not uncovered(grid)

    lifecycle.revoke_certificate(certificate, None, reason="issued in error")
    assert worker.status == WorkerStatus.SUSPENDED
    assert assignment.awaiting_qualification and assignment.ends_on is None and uncovered(grid)
