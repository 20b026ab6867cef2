"""Reads of fieldwork: a worker's patrols and visits, his running patrol, and the daily patrol
compliance of workers against the standard of two patrols a day."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from academy.cases.models import Patrol, Visit
from academy.extensions import db
from academy.permissions import scope_clause
from academy.registry.models import Area, Worker

PATROLS_PER_DAY = 2  # 一日双巡
PATROL_MINUTES_PER_DAY = 180


def open_patrol(worker: Worker) -> Patrol | None:
    """The patrol ``worker`` has started and not yet ended, if any."""
    return db.session.scalar(sa.select(Patrol).where(Patrol.worker_id == worker.id, Patrol.ended_at.is_(None)))


def recent_patrols(worker: Worker, limit: int = 20) -> list[Patrol]:
    """The worker's latest patrols, the newest first."""
    return list(db.session.scalars(sa.select(Patrol).where(Patrol.worker_id == worker.id)
                                   .order_by(Patrol.started_at.desc()).limit(limit)))


def recent_visits(worker: Worker, limit: int = 20) -> list[Visit]:
    """The worker's latest household visits, the newest first."""
    return list(db.session.scalars(sa.select(Visit).where(Visit.worker_id == worker.id)
                                   .order_by(Visit.visited_at.desc()).limit(limit)))


@dataclass
class DayCompliance:
    worker: Worker
    patrols: int
    minutes: int
    visits: int

    @property
    def meets_standard(self) -> bool:
        return self.patrols >= PATROLS_PER_DAY


def compliance(day: date, zone, worker_scopes: list[str] | None, worker_ids: list[int] | None = None) -> list[DayCompliance]:
    """Per worker in scope: finished patrols, patrol minutes and visits on ``day`` (local)."""
    start = datetime.combine(day, datetime.min.time(), zone)
    end = start + timedelta(days=1)
    workers = sa.select(Worker).join(Area, Worker.area_id == Area.id).where(
        scope_clause(Area.code, worker_scopes), Worker.exited_on.is_(None)).order_by(Worker.name).limit(500)
    if worker_ids is not None:
        workers = workers.where(Worker.id.in_(worker_ids or [-1]))
    patrols = dict((wid, (n, m)) for wid, n, m in db.session.execute(
        sa.select(Patrol.worker_id, sa.func.count(Patrol.id), sa.func.coalesce(sa.func.sum(Patrol.minutes), 0))
        .where(Patrol.started_at >= start, Patrol.started_at < end, Patrol.ended_at.is_not(None))
        .group_by(Patrol.worker_id)))
    visits = dict(db.session.execute(sa.select(Visit.worker_id, sa.func.count(Visit.id)).where(
        Visit.visited_at >= start, Visit.visited_at < end).group_by(Visit.worker_id)).all())
    return [DayCompliance(w, *patrols.get(w.id, (0, 0)), visits.get(w.id, 0)) for w in db.session.scalars(workers)]
