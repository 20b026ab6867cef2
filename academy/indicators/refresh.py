"""Keeping snapshots fresh: the background job, and the cheap trigger when cases change.

Every case operation sends ``cases.signals.case_changed``, and every patrol or visit logged sends
``cases.signals.fieldwork_recorded``; receiving either marks the session, and when it commits one
refresh job of the current month is queued, unless one is already waiting (one a runner will
take: ``jobs.waiting_job_exists``) or one was queued by this process within the debounce window.
So a busy hour of reporting costs one recomputation a minute, not one per case.
"""
from __future__ import annotations

import logging
import time

from flask import Flask, current_app, has_app_context
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from academy.cases.signals import case_changed, fieldwork_recorded
from academy.extensions import db, on_session
from academy.indicators import settings
from academy.indicators.operations import compute_refresh, store_refresh
from academy.indicators.periods import current_month, parse_period
from academy.jobs import Job, enqueue_job, job_handler, waiting_job_exists
from academy.signals import connect

log = logging.getLogger(__name__)
JOB_KIND = "indicators.refresh"
_DIRTY = "indicators.dirty"
_last_queued: dict[int, float] = {}


@job_handler(JOB_KIND, label=_l("Refresh the indicators"))
def refresh_job(ctx, periods: list[str], **_ignored) -> dict:
    """Refresh the named periods' snapshots: every count computed in the read phase, then all
    periods written in one short write transaction (committed with the job's end)."""
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


def mark_stale(_app, **_event) -> None:
    """Receives ``case_changed`` and ``fieldwork_recorded``: this transaction's commit queues a refresh."""
    db.session.info[_DIRTY] = True


def _before_commit(session: Session) -> None:
    if not session.info.pop(_DIRTY, False) or not has_app_context() or not settings.auto_refresh():
        return
    app_id, now = id(current_app._get_current_object()), time.monotonic()
    if now - _last_queued.get(app_id, -1e9) < settings.refresh_debounce_seconds():
        return
    if not waiting_job_exists(session, JOB_KIND):  # a stuck refresh does not count: it would never run
        enqueue_job(JOB_KIND, {"periods": [current_month().key], "reason": "cases changed"})
    _last_queued[app_id] = now



def _after_soft_rollback(session: Session, previous_transaction) -> None:
    # The changes are gone, so is the reason to refresh; a rolled-back savepoint leaves both.
    if previous_transaction.parent is None and not previous_transaction.nested:
        session.info.pop(_DIRTY, None)


def init_app(app: Flask) -> None:
    """Mark the session when cases or fieldwork change, and queue the refresh when it commits."""
    connect(app, case_changed, mark_stale)
    connect(app, fieldwork_recorded, mark_stale)
    on_session("before_commit", _before_commit)
    on_session("after_soft_rollback", _after_soft_rollback)
