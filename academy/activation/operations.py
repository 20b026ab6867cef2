"""Operations of first sign-in and recovery: issue codes, activate an account, reset by SMS.

Every refusal that could tell a stranger something (a wrong, expired, used or revoked code, a
worker number that is not the code's, a wrong ID tail, an exited worker) is the same
``ActivationError`` with the same neutral message, raised before anything changes. Operations
flush and audit; the request cycle commits.
"""
from __future__ import annotations

import hmac
import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from academy import audit, crypto
from academy.accounts.models import User
from academy.accounts.operations import change_password, create_user, grant_role
from academy.activation import codes, queries
from academy.activation.models import AccessCode, ActivationError, CodePurpose
from academy.activation.sms import SmsError, provider
from academy.database import utcnow
from academy.extensions import db
from academy.permissions import Role
from academy.registry import idnumbers
from academy.registry.models import Worker, WorkerStatus

log = logging.getLogger(__name__)
RESET_MINUTES = 10
ID_TAIL = 6


def neutral_refusal() -> ActivationError:
    return ActivationError(_("These details do not match a valid code. Check the code, your worker number and "
                             "the last 6 characters of your ID number."))


def activation_expiry(now: datetime) -> datetime:
    """When a code issued ``now`` expires (``ACADEMY_ACTIVATION_DAYS``, 30 by default)."""
    return now + timedelta(days=int(current_app.config.get("ACTIVATION_DAYS", 30)))


def store_activation_codes(issued: dict[int, str], by, now: datetime, expires: datetime) -> None:
    """Keep the hashes of new activation codes (``{worker id: code}``), revoking each worker's live
    one: a letter printed before stops working. One UPDATE and one INSERT per 500 workers. Flushes."""
    ids = list(issued)
    for start in range(0, len(ids), 500):  # a bounded IN list on every backend
        part = ids[start:start + 500]
        db.session.execute(sa.update(AccessCode).where(queries.live_codes(part, CodePurpose.ACTIVATION, now))
                           .values(revoked_at=now).execution_options(synchronize_session=False))
        db.session.execute(sa.insert(AccessCode), [
            {"worker_id": worker_id, "purpose": CodePurpose.ACTIVATION, "code_hash": codes.code_hash(issued[worker_id]),
             "created_at": now, "expires_at": expires, "created_by_id": getattr(by, "id", None)} for worker_id in part])
    db.session.flush()
    audit.record(by, "activation.codes_issued", None, summary=f"{len(ids)} workers",
                 after={"workers": len(ids), "expires_at": expires.isoformat()})


def _id_tail_matches(worker: Worker, tail: str) -> bool:
    """Compare the last 6 characters of the worker's ID number in constant time."""
    try:
        number = crypto.decrypt(worker.id_number_encrypted)
    except ValueError:
        return False
    typed = idnumbers.normalise(tail or "")[-ID_TAIL:].upper().rjust(ID_TAIL, "#")
    return hmac.compare_digest(number[-ID_TAIL:].upper().encode(), typed.encode())


def _proven_worker(code: str, purpose: CodePurpose, worker: Worker | None, now: datetime) -> AccessCode:
    """The live code of ``purpose`` that belongs to ``worker``, or the neutral refusal."""
    row = queries.code_by_hash(codes.code_hash(code), purpose) if codes.normalise(code) else None
    if row is None or worker is None or row.worker_id != worker.id or not row.is_live(now) \
            or worker.status == WorkerStatus.EXITED:
        raise neutral_refusal()
    return row


def _account_for(worker: Worker, password: str) -> User:
    """The worker's log-in with ``password`` set: his linked one, or a new one named by his worker number."""
    user = queries.user_of(worker)
    if user is None:
        user = create_user(worker.number, password, by=None, display_name=worker.name)
        grant_role(user, Role.TRAINEE, by=None)
        worker.user_id = user.id
        db.session.flush()
        return user
    if not user.active:
        raise neutral_refusal()
    change_password(user, password, by=user)
    return user


def activate_account(code: str, worker_number: str, id_tail: str, password: str, now: datetime | None = None) -> User:
    """Use an activation code: prove the worker (number + ID tail), set his password, return his
    log-in (created when he has none). Flushes."""
    now = now or utcnow()
    worker = queries.worker_by_number(worker_number or "")
    row = _proven_worker(code, CodePurpose.ACTIVATION, worker, now)
    if not _id_tail_matches(worker, id_tail):
        raise neutral_refusal()
    user = _account_for(worker, password)
    row.used_at = now
    db.session.flush()
    audit.record(user, "activation.activate", worker, summary=worker.number)
    return user


def request_reset(identifier: str, now: datetime | None = None) -> bool:
    """Send a 6-digit reset code to the registered phone of the worker ``identifier`` names (number
    or phone), within the per-person hourly limit; returns whether one was sent. The caller's
    answer never depends on it. Flushes."""
    now = now or utcnow()
    worker = queries.worker_for_identifier(identifier)
    user = queries.user_of(worker) if worker is not None else None
    if user is None or not user.active or not worker.phone or worker.status == WorkerStatus.EXITED:
        return False
    if queries.reset_codes_since(worker, now - timedelta(hours=1)) >= current_app.config.get("SMS_CODES_PER_HOUR", 3):
        return False
    code = codes.new_reset_code()
    text = _("Grid Academy: your password reset code is %(code)s, valid for %(n)d minutes. Never tell it to anyone.",
             code=code, n=RESET_MINUTES)
    try:
        provider().send_code(worker.phone, code, text)
    except SmsError as error:
        log.warning("reset code for worker %s not sent: %s", worker.id, error)
        return False
    db.session.execute(sa.update(AccessCode).where(queries.live_codes([worker.id], CodePurpose.RESET, now))
                       .values(revoked_at=now).execution_options(synchronize_session=False))
    db.session.add(AccessCode(worker_id=worker.id, purpose=CodePurpose.RESET, code_hash=codes.code_hash(code),
                              created_at=now, expires_at=now + timedelta(minutes=RESET_MINUTES)))
    db.session.flush()
    audit.record(None, "activation.reset_code_sent", worker, summary=worker.number)
    return True


def reset_password(identifier: str, code: str, password: str, now: datetime | None = None) -> User:
    """Use a reset code: the worker ``identifier`` names gets ``password``; returns his log-in. Flushes."""
    now = now or utcnow()
    worker = queries.worker_for_identifier(identifier)
    row = _proven_worker(code, CodePurpose.RESET, worker, now)
    user = queries.user_of(worker)
    if user is None or not user.active:
        raise neutral_refusal()
    change_password(user, password, by=user)
    row.used_at = now
    db.session.flush()
    audit.record(user, "activation.reset_password", worker, summary=worker.number)
    return user
