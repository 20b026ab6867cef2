"""Patrols and household visits: a worker starts and ends a patrol of one of his grids, and logs
visits to households with purpose and notes."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _

from academy import audit
from academy.cases import clock
from academy.cases.models import Patrol, Visit, VisitPurpose
from academy.cases.operations.core import CaseError, require_text
from academy.cases.people import grids_of
from academy.cases.queries.fieldwork import open_patrol
from academy.cases.signals import fieldwork_recorded
from academy.database import lock_for_update
from academy.extensions import db
from academy.registry.models import Grid, Worker
from academy.signals import send

MAX_PATROL_MINUTES = 12 * 60  # a patrol left open longer than this is counted as this long


def _own_grid(worker: Worker, grid: Grid) -> None:
    if grid.id not in {g.id for g in grids_of(worker)}:
        raise CaseError(_("You can only patrol or visit in your own grids."))


def start_patrol(worker: Worker, grid: Grid, by) -> Patrol:
    """Start a patrol; a worker walks one patrol at a time."""
    _own_grid(worker, grid)
    db.session.execute(lock_for_update(sa.select(Worker.id).where(Worker.id == worker.id), db.session))
    if open_patrol(worker) is not None:
        raise CaseError(_("Your patrol is still running; end it first."))
    patrol = Patrol(worker_id=worker.id, grid_id=grid.id, started_at=clock.now())
    db.session.add(patrol)
    db.session.flush()
    audit.record(by, "patrol.start", patrol, summary=grid.code)
    send(fieldwork_recorded, record=patrol, by=by)
    return patrol


def end_patrol(patrol: Patrol, by, note: str = "") -> Patrol:
    """End a patrol; its minutes are what the compliance view counts."""
    query = lock_for_update(sa.select(Patrol).where(Patrol.id == patrol.id), db.session)
    patrol = db.session.execute(query.execution_options(populate_existing=True)).scalar_one()
    if patrol.ended_at is not None:
        raise CaseError(_("This patrol has already ended."))
    patrol.ended_at = clock.now()
    patrol.minutes = min(int((patrol.ended_at - patrol.started_at).total_seconds() // 60), MAX_PATROL_MINUTES)
    patrol.note = note.strip()[:500]
    db.session.flush()
    audit.record(by, "patrol.end", patrol, after={"minutes": patrol.minutes})
    send(fieldwork_recorded, record=patrol, by=by)
    return patrol


def record_visit(worker: Worker, grid: Grid, by, household: str, purpose: VisitPurpose, notes: str = "") -> Visit:
    """Log a household visit (入户走访)."""
    _own_grid(worker, grid)
    require_text(household, _("Name the household visited."))
    visit = Visit(worker_id=worker.id, grid_id=grid.id, visited_at=clock.now(), household=household.strip()[:200],
                  purpose=purpose, notes=notes.strip())
    db.session.add(visit)
    db.session.flush()
    audit.record(by, "visit.record", visit, summary=grid.code)
    send(fieldwork_recorded, record=visit, by=by)
    return visit
