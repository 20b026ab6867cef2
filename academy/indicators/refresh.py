"""Keeping snapshots fresh: the background job, and the cheap trigger when cases change.

Any flush that touches a case, task, extension, verification, return visit, patrol or visit marks
the session; when it commits, one refresh job of the current month is queued, unless one is
already waiting (one a runner will take: ``jobs.waiting_job_exists``) or one was queued by this
process within the debounce window. So a busy hour of
reporting costs one recomputation a minute, not one per case, and case operations stay untouched.
"""
from __future__ import annotations

import logging
import time

from flask import Flask, current_app, has_app_context
from sqlalchemy.orm import Session

from academy.cases.models import Case, CaseTask, Extension, Patrol, ReturnVisit, Verification, Visit
from academy.extensions import on_session
from academy.indicators import settings
from academy.indicators.periods import current_month, parse_period
from academy.jobs import Job, enqueue_job, job_handler, waiting_job_exists

log = logging.getLogger(__name__)
JOB_KIND = "indicators.refresh"
WATCHED = (Case, CaseTask, Extension, ReturnVisit, Verification, Patrol, Visit)
_DIRTY = "indicators.dirty"
_last_queued: dict[int, float] = {}


@job_handler(JOB_KIND)
def refresh_job(ctx, periods: list[str], **_ignored) -> dict:
    """Refresh the named periods' snapshots: every count computed in the read phase, then all
    periods written in one short write transaction (committed with the job's end)."""
    from academy.indicators.operations import compute_refresh, store_refresh

    computed = []
    for n, key in enumerate(periods):
        ctx.progress(90.0 * n / max(len(periods), 1), key)
        computed.append((key, time.perf_counter(), compute_refresh(parse_period(key))))
    ctx.begin_writes()
    done = [f"{key} ({store_refresh(comp, None, started).seconds:.1f} s)" for key, started, comp in computed]
    return {"message": ", ".join(done)}


def request_refresh(by, keys: list[str]) -> Job:
    """Queue a refresh of the periods ``keys`` (checked); it runs after the caller commits."""
    for key in keys:
        parse_period(key)
    return enqueue_job(JOB_KIND, {"periods": keys}, by=by)


def _touched(session: Session) -> bool:
    return any(isinstance(obj, WATCHED) for group in (session.new, session.dirty, session.deleted) for obj in group)


def _after_flush(session: Session, _context) -> None:
    if not session.info.get(_DIRTY) and _touched(session):
        session.info[_DIRTY] = True


def _before_commit(session: Session) -> None:
    if not session.info.pop(_DIRTY, False) or not has_app_context() or not settings.auto_refresh():
        return
    app_id, now = id(current_app._get_current_object()), time.monotonic()
    if now - _last_queued.get(app_id, -1e9) < settings.refresh_debounce_seconds():
        return
    if not waiting_job_exists(session, JOB_KIND):  # a stuck refresh does not count: it would never run
        enqueue_job(JOB_KIND, {"periods": [current_month().key], "reason": "cases changed"})
    _last_queued[app_id] = now



def init_app(_app: Flask) -> None:
    """Watch the flushes of ``db.session`` for changed cases, and queue the refresh when it commits."""
    on_session("after_flush", _after_flush)
    on_session("before_commit", _before_commit)
