"""The nightly pass, ``flask academy certificates-sweep`` (from cron, after midnight):

1. certificates past their date become expired (and their holders go off duty when uncovered);
2. every worker still serving is checked for certificates earned or renewable, in case a trigger
   was missed (a failed trigger, a rule changed by HR, an indicator score that arrived later);
3. the reminder lists are counted: who is in the renewal window, who lapsed;
4. stale rate-limit counters are purged.
Each worker's check runs in its own savepoint: one failure is logged and the sweep goes on.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from academy.database import city_today
from academy.extensions import db
from academy.registry.models import Worker, WorkerStatus
from academy.web import ratelimit
from courses.certificates import issuing, lifecycle, renewal
from courses.enrollment.models import Enrollment

log = logging.getLogger(__name__)


@dataclass
class SweepResult:
    expired: int = 0
    issued: list[str] = field(default_factory=list)
    failed: int = 0
    in_window: int = 0
    lapsed: int = 0


def _candidates():
    """Workers still serving who have any training on record (the only ones a rule can be met by)."""
    trained = sa.select(Enrollment.worker_id)
    return db.session.scalars(sa.select(Worker).where(Worker.status != WorkerStatus.EXITED, Worker.id.in_(trained))
                              .order_by(Worker.id)).all()


def sweep(today: date | None = None, by=None) -> SweepResult:
    """Run the nightly pass; flushes, the caller commits."""
    today = today or city_today()
    result = SweepResult(expired=lifecycle.expire_due(today, by))
    for worker in _candidates():
        try:
            with db.session.begin_nested():
                result.issued += [c.number for c in issuing.check_worker(worker, by)]
        except Exception:  # noqa: BLE001 (one worker's failure must not stop the others)
            log.exception("certificate sweep failed for worker %s", worker.id)
            result.failed += 1
    result.in_window = len(renewal.in_window_query(None, today))
    result.lapsed = len(renewal.lapsed_query(None, today))
    ratelimit.purge_stale()
    return result
