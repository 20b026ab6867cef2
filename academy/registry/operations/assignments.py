"""Assignments: a worker holding a grid in a role, effective-dated, never deleted.

持证上岗: a full-time or leader assignment of a worker who is not on duty is accepted but held
("awaiting qualification", ``Assignment.awaiting_qualification``) so HR can plan staffing before the
certificate is issued. ``sync_held_assignments`` is the one place that holds and releases them; the
worker lifecycle (``change_status``) calls it on every step, so the certificate that puts a worker on
duty makes his held assignments effective, and a suspension holds them again.
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from academy import audit
from academy.database import city_today, lock_for_update
from academy.extensions import db
from academy.registry.models import Assignment, AssignmentRole, Grid, Worker, WorkerStatus, awaits_qualification
from academy.registry.operations.areas import RegistryError


def overlapping(worker_id: int, grid_id: int, starts_on: date, ends_on: date | None, ignore_id: int | None = None):
    """Assignments of this worker to this grid whose period meets [starts_on, ends_on)."""
    query = sa.select(Assignment).where(
        Assignment.worker_id == worker_id, Assignment.grid_id == grid_id,
        sa.or_(Assignment.ends_on.is_(None), Assignment.ends_on > starts_on),
    )
    if ends_on is not None:
        query = query.where(Assignment.starts_on < ends_on)
    if ignore_id is not None:
        query = query.where(Assignment.id != ignore_id)
    return db.session.scalars(query).all()


def assign_worker(worker: Worker, grid: Grid, by, *, role: AssignmentRole, starts_on: date,
                  ends_on: date | None = None) -> Assignment:
    """Let ``worker`` hold ``grid`` in ``role`` from ``starts_on``. Flushes.

    An exited worker cannot be assigned, and a worker cannot hold the same grid twice at once. A
    full-time or leader assignment of a worker not on duty is held until he goes on duty.
    """
    # Lock the worker row: two requests assigning the same worker queue instead of both passing the check.
    db.session.execute(lock_for_update(sa.select(Worker.id).where(Worker.id == worker.id), db.session))
    if worker.status == WorkerStatus.EXITED:
        raise RegistryError(_("An exited worker cannot be assigned to a grid."))
    if ends_on is not None and ends_on <= starts_on:
        raise RegistryError(_("An assignment's end date must come after its start date."))
    if not grid.active_on(starts_on):
        raise RegistryError(_("The grid is not in force on the start date."))
    if starts_on < worker.hired_on:
        raise RegistryError(_("An assignment cannot start before the worker was hired."))
    if overlapping(worker.id, grid.id, starts_on, ends_on):
        raise RegistryError(_("This worker already holds this grid in that period."))
    held = awaits_qualification(role, worker.status)
    assignment = Assignment(worker=worker, grid=grid, role=role, starts_on=starts_on, ends_on=ends_on,
                            awaiting_qualification=held)
    db.session.add(assignment)
    db.session.flush()
    audit.record(by, "assignment.create", assignment, summary=f"{worker.number} -> {grid.code} ({role.value})",
                 after={"worker": worker.number, "grid": grid.code, "role": role, "starts_on": starts_on,
                        "awaiting_qualification": held})
    return assignment


def sync_held_assignments(worker: Worker, by, reason: str = "") -> int:
    """Hold or release ``worker``'s unended assignments to match his status; returns how many changed.

    Each change is audited (``assignment.held`` / ``assignment.effective``). Flushes."""
    today, changed = city_today(), 0
    for assignment in worker.assignments:
        if assignment.ends_on is not None and assignment.ends_on <= today:
            continue  # history stays as it was
        held = awaits_qualification(assignment.role, worker.status)
        if held == assignment.awaiting_qualification:
            continue
        assignment.awaiting_qualification = held
        changed += 1
        audit.record(by, "assignment.held" if held else "assignment.effective", assignment,
                     summary=f"{worker.number} {assignment.grid.code}: {worker.status.value}",
                     before={"awaiting_qualification": not held},
                     after={"awaiting_qualification": held, "reason": reason})
    db.session.flush()
    return changed


def end_assignment(assignment: Assignment, by, *, on: date, reason: str = "") -> None:
    """End an assignment on ``on`` (exclusive); it stays in the history. Flushes."""
    if assignment.ends_on is not None and assignment.ends_on <= city_today():
        raise RegistryError(_("This assignment has already ended."))
    if on <= assignment.starts_on:
        raise RegistryError(_("An assignment's end date must come after its start date."))
    before = assignment.ends_on
    assignment.ends_on, assignment.end_reason = on, (reason or "").strip()[:200]
    db.session.flush()
    audit.record(by, "assignment.end", assignment, summary=f"{assignment.worker.number} -/- {assignment.grid.code}",
                 before={"ends_on": before}, after={"ends_on": on, "reason": reason})
