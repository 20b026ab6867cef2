"""Reads of the activation package: codes by their hash, workers by number or phone, HR's selection."""
from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from academy.accounts.models import User
from academy.activation.models import AccessCode, CodePurpose, SmsMessage
from academy.extensions import db
from academy.jobs import Job, JobStatus
from academy.permissions import scope_clause
from academy.registry.models import Area, Worker, WorkerStatus

MAX_LETTERS = 5000  # one job; a city's first day is 3,500


def code_by_hash(digest: str, purpose: CodePurpose) -> AccessCode | None:
    return db.session.scalar(sa.select(AccessCode).where(AccessCode.code_hash == digest,
                                                         AccessCode.purpose == purpose))


def worker_by_number(number: str) -> Worker | None:
    return db.session.scalar(sa.select(Worker).where(Worker.number == number.strip().upper()[:20]))


def worker_for_identifier(text: str) -> Worker | None:
    """The worker a reset names: by worker number, else by registered phone (only when one worker has it)."""
    text = (text or "").strip()[:40]
    if not text:
        return None
    worker = worker_by_number(text)
    if worker is not None:
        return worker
    found = db.session.scalars(sa.select(Worker).where(Worker.phone == text).limit(2)).all()
    return found[0] if len(found) == 1 else None


def user_of(worker: Worker) -> User | None:
    return db.session.get(User, worker.user_id) if worker.user_id else None


def reset_codes_since(worker: Worker, since: datetime) -> int:
    """How many reset codes ``worker`` was sent since ``since`` (the per-person hourly limit)."""
    return db.session.scalar(sa.select(sa.func.count()).select_from(AccessCode).where(
        AccessCode.worker_id == worker.id, AccessCode.purpose == CodePurpose.RESET, AccessCode.created_at >= since))


def live_codes(worker_ids, purpose: CodePurpose, now: datetime) -> sa.ColumnElement:
    """The clause of the live codes of ``purpose`` of these workers (to revoke them)."""
    return sa.and_(AccessCode.worker_id.in_(worker_ids), AccessCode.purpose == purpose,
                   AccessCode.used_at.is_(None), AccessCode.revoked_at.is_(None), AccessCode.expires_at > now)


def letter_workers(scopes, area_code: str = "", status: str = "") -> list[Worker]:
    """Workers HR may print letters for: in his scopes (narrowed to ``area_code``), of ``status``
    (any but exited when empty), by worker number."""
    query = (sa.select(Worker).join(Area, Worker.area_id == Area.id).where(scope_clause(Area.code, scopes))
             .order_by(Worker.number).limit(MAX_LETTERS + 1))
    if area_code:
        query = query.where(Area.code.startswith(area_code, autoescape=True))
    if status:
        query = query.where(Worker.status == WorkerStatus(status))
    else:
        query = query.where(Worker.status != WorkerStatus.EXITED)
    return list(db.session.scalars(query))


def workers_by_ids(ids: list[int]) -> list[Worker]:
    """Workers in the order of ``ids``, their areas loaded with them."""
    rows = []
    for start in range(0, len(ids), 500):  # a bounded IN list on every backend
        rows += db.session.scalars(sa.select(Worker).where(Worker.id.in_(ids[start:start + 500]))
                                   .options(selectinload(Worker.area))).all()
    order = {ident: n for n, ident in enumerate(ids)}
    return sorted(rows, key=lambda w: order[w.id])


def user_locales(user_ids: list[int]) -> dict[int, str]:
    """Each log-in's chosen language (a letter is printed in it), 500 ids per statement."""
    found: dict[int, str] = {}
    for start in range(0, len(user_ids), 500):
        rows = db.session.execute(sa.select(User.id, User.locale).where(User.id.in_(user_ids[start:start + 500])))
        found.update({ident: locale or "" for ident, locale in rows})
    return found


def recent_letter_jobs(user, kind: str, limit: int = 10) -> list[Job]:
    query = sa.select(Job).where(Job.kind == kind).order_by(Job.created_at.desc()).limit(limit)
    if not any(g.role == "admin" for g in user.grants):
        query = query.where(Job.created_by_id == user.id)
    return list(db.session.scalars(query))


def live_codes_issued_at(worker_ids: list[int], issued_at: datetime, now: datetime) -> int:
    """How many activation codes issued at ``issued_at`` (one letters job) to these workers are still live."""
    count = 0
    for start in range(0, len(worker_ids), 500):  # a bounded IN list on every backend
        count += db.session.scalar(sa.select(sa.func.count()).select_from(AccessCode).where(
            live_codes(worker_ids[start:start + 500], CodePurpose.ACTIVATION, now), AccessCode.created_at == issued_at))
    return count


def letter_jobs_with_files(kind: str) -> list[Job]:
    """Finished letters jobs whose files have not been purged (``purge``), oldest first."""
    jobs = db.session.scalars(sa.select(Job).where(Job.kind == kind, Job.status == JobStatus.DONE)
                              .order_by(Job.created_at))
    return [job for job in jobs if not (job.result or {}).get("purged_at")]


def outbox_for(phone: str) -> list[SmsMessage]:
    """The embedded provider's messages to ``phone``, newest first (the demo's "phone")."""
    return list(db.session.scalars(sa.select(SmsMessage).where(SmsMessage.phone == phone)
                                   .order_by(SmsMessage.id.desc())))


def expiry(now: datetime, days: int) -> datetime:
    return now + timedelta(days=days)
