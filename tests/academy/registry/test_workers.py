"""Workers: numbers, national ID numbers (validated, encrypted, hashed, masked), the status
lifecycle with put_on_duty/take_off_duty, and assignments with their rules."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from academy.audit import AuditEntry
from academy.database import city_today
from academy.extensions import db
from academy.registry import idnumbers
from academy.registry import operations as ops
from academy.registry.models import (
    AssignmentRole,
    Education,
    Employment,
    Gender,
    PoliticalStatus,
    Worker,
    WorkerStatus,
    WorkerStatusChange,
)

ID = idnumbers.make_number("320102", date(1990, 5, 17), 12)


def record(area, by, id_number=ID, **values):
    defaults = dict(name="王芳", gender=Gender.FEMALE, phone="13912345678", education=Education.BACHELOR,
                    political_status=PoliticalStatus.PARTY_MEMBER, employment=Employment.FULL_TIME,
                    hired_on=date(2023, 3, 1))
    return ops.create_worker(by, id_number=id_number, area=area, **(defaults | values))


def test_a_recorded_worker_gets_a_generated_number_and_starts_recruited(community, hr_user):
    first, second = record(community, hr_user), record(community, hr_user, idnumbers.make_number("320102", date(1991, 1, 2), 7))
    assert first.number != second.number and first.number.startswith("W")
    assert first.status == WorkerStatus.RECRUITED and first.birth_date == date(1990, 5, 17)
    assert [c.to_status for c in first.status_changes] == [WorkerStatus.RECRUITED]


def test_the_id_number_is_encrypted_hashed_and_masked(community, hr_user):
    worker = record(community, hr_user)
    raw = db.session.execute(sa.text("SELECT * FROM workers WHERE id = :id"), {"id": worker.id}).mappings().one()
    assert ID not in " ".join(str(value) for value in raw.values())
    assert worker.id_number_masked == ID[:6] + "********" + ID[-4:]
    assert ops.find_worker_by_id_number(ID.lower()) is worker
    assert ops.reveal_id_number(worker, hr_user) == ID
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "worker.reveal_id_number"))


@pytest.mark.parametrize("bad", ["", "12345", ID[:-1] + ("0" if ID[-1] != "0" else "1"),
                                 idnumbers.make_number("320102", date(2090, 1, 1), 1), "<script>alert(1)</script>"])
def test_invalid_id_numbers_are_refused(community, hr_user, bad):
    with pytest.raises(ops.RegistryError):
        record(community, hr_user, bad)
    assert db.session.scalar(sa.select(sa.func.count(Worker.id))) == 0


def test_the_same_id_number_cannot_be_recorded_twice(community, hr_user):
    record(community, hr_user)
    with pytest.raises(ops.RegistryError, match="already"):
        record(community, hr_user, " " + ID.lower())


def test_hiring_dates_are_checked(community, hr_user):
    with pytest.raises(ops.RegistryError):
        record(community, hr_user, hired_on=city_today() + timedelta(days=3))
    with pytest.raises(ops.RegistryError):
        record(community, hr_user, birth_date=date(1990, 5, 18))


def test_status_changes_follow_the_table_and_are_logged(community, hr_user):
    worker = record(community, hr_user)
    ops.change_status(worker, WorkerStatus.IN_TRAINING, hr_user, "岗前培训")
    assert ops.put_on_duty(worker, hr_user, "证书已发") is True
    assert ops.put_on_duty(worker, hr_user, "again") is False  # already on duty: nothing logged twice
    assert ops.take_off_duty(worker, hr_user, "证书过期") is True
    assert worker.status == WorkerStatus.SUSPENDED
    assert ops.take_off_duty(worker, hr_user, "again") is False
    steps = db.session.scalars(sa.select(WorkerStatusChange).where(WorkerStatusChange.worker_id == worker.id)
                               .order_by(WorkerStatusChange.id)).all()
    assert [(s.from_status, s.to_status) for s in steps] == [
        (None, WorkerStatus.RECRUITED), (WorkerStatus.RECRUITED, WorkerStatus.IN_TRAINING),
        (WorkerStatus.IN_TRAINING, WorkerStatus.ON_DUTY), (WorkerStatus.ON_DUTY, WorkerStatus.SUSPENDED)]
    assert steps[-1].reason == "证书过期" and steps[-1].by_id == hr_user.id
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "worker.status")) == 3


def test_an_exited_worker_returns_only_into_training_and_cannot_be_assigned(community, hr_user, make_grid):
    worker, grid = record(community, hr_user), make_grid("320102002001")
    assignment = ops.assign_worker(worker, grid, hr_user, role=AssignmentRole.FULL_TIME, starts_on=date(2024, 3, 1))
    ops.exit_worker(worker, hr_user, on=city_today(), reason="辞职")
    assert worker.status == WorkerStatus.EXITED and worker.exited_on == city_today()
    assert assignment.ends_on == city_today()
    with pytest.raises(ops.RegistryError):
        ops.put_on_duty(worker, hr_user, "x")
    for status in (WorkerStatus.SUSPENDED, WorkerStatus.RECRUITED):
        with pytest.raises(ops.RegistryError):
            ops.change_status(worker, status, hr_user)
    with pytest.raises(ops.RegistryError, match="exited"):
        ops.assign_worker(worker, grid, hr_user, role=AssignmentRole.FULL_TIME, starts_on=city_today())


def test_a_worker_cannot_hold_the_same_grid_twice_at_once(community, hr_user, make_grid):
    worker, grid, other = record(community, hr_user), make_grid("320102002001"), make_grid("320102002001")
    first = ops.assign_worker(worker, grid, hr_user, role=AssignmentRole.FULL_TIME, starts_on=date(2024, 3, 1))
    with pytest.raises(ops.RegistryError, match="already holds"):
        ops.assign_worker(worker, grid, hr_user, role=AssignmentRole.LEADER, starts_on=date(2025, 1, 1))
    ops.assign_worker(worker, other, hr_user, role=AssignmentRole.FULL_TIME, starts_on=date(2024, 3, 1))
    ops.end_assignment(first, hr_user, on=date(2025, 1, 1), reason="调岗")
    again = ops.assign_worker(worker, grid, hr_user, role=AssignmentRole.LEADER, starts_on=date(2025, 1, 1))
    assert [a.active_on(date(2024, 6, 1)) for a in (first, again)] == [True, False]
    assert [a.active_on(date(2025, 6, 1)) for a in (first, again)] == [False, True]
    with pytest.raises(ops.RegistryError):
        ops.assign_worker(worker, grid, hr_user, role=AssignmentRole.AUXILIARY, starts_on=date(2024, 6, 1))


def test_assignments_respect_the_grid_period_and_hiring(community, hr_user, make_grid):
    worker, grid = record(community, hr_user), make_grid("320102002001")
    with pytest.raises(ops.RegistryError):
        ops.assign_worker(worker, grid, hr_user, role=AssignmentRole.FULL_TIME, starts_on=date(2023, 1, 1))  # before hiring
    ops.retire_grid(grid, hr_user, on=date(2025, 1, 1), reason="拆分")
    with pytest.raises(ops.RegistryError, match="not in force"):
        ops.assign_worker(worker, grid, hr_user, role=AssignmentRole.FULL_TIME, starts_on=date(2025, 2, 1))


def test_updating_a_worker_is_audited_and_keeps_the_birth_date(community, hr_user):
    worker = record(community, hr_user)
    assert ops.update_worker(worker, hr_user, phone="13800000000") == {"phone": "13800000000"}
    with pytest.raises(ops.RegistryError):
        ops.update_worker(worker, hr_user, birth_date=date(1991, 1, 1))
    assert db.session.scalar(sa.select(AuditEntry.after).where(AuditEntry.action == "worker.update")) == {"phone": "13800000000"}


def test_batch_reservations_and_single_numbers_never_collide():
    from academy import numbers

    first = numbers.next_value("registry.test")
    block = numbers.reserve("registry.test", 3)
    assert list(block) == [first + 1, first + 2, first + 3]
    assert numbers.next_value("registry.test") == first + 4
