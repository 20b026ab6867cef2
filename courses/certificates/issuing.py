"""Issuing certificates: numbers, the rule check, automatic issuing and HR's issuing by hand.

Where automatic issuing is triggered (each runs ``check_worker`` for the worker concerned):
- an exam attempt becomes graded, is graded by hand or regraded (the exams' ``attempt_graded`` slot);
- hours or a course result are recorded (``training_recorded``: lesson progress, attendance, results);
- a suspended worker returns (``worker_status_changed``, see ``lifecycle``);
- the nightly ``flask academy certificates-sweep`` for anything a trigger missed.
A trigger never breaks the action that fired it: its work runs in a savepoint, and a failure is
logged and left to the sweep.

Numbers, dates and making the certificate itself are in ``core``, shared with ``renewal``.
"""
from __future__ import annotations

import logging

import sqlalchemy as sa
from flask_babel import gettext as _

from academy.database import city_today, lock_for_update
from academy.extensions import db
from academy.registry.models import Worker, WorkerStatus
from courses.certificates import lifecycle, renewal, rules
from courses.certificates.core import create_certificate
from courses.certificates.models import (
    Certificate,
    CertificateError,
    CertificateStatus,
    CertificateType,
    Requirement,
    RequirementKind,
)

log = logging.getLogger(__name__)

def _lock_worker(worker: Worker) -> Worker:
    """One issuing at a time per worker: a second trigger waits, then finds the certificate made."""
    query = sa.select(Worker).where(Worker.id == worker.id).execution_options(populate_existing=True)
    return db.session.scalar(lock_for_update(query, db.session))


def current_certificate(cert_type: CertificateType, worker: Worker) -> Certificate | None:
    """The worker's certificate of the type that still stands (valid or suspended, not past its date)."""
    today = city_today()
    query = sa.select(Certificate).where(
        Certificate.type_id == cert_type.id, Certificate.worker_id == worker.id,
        Certificate.status.in_((CertificateStatus.VALID, CertificateStatus.SUSPENDED)),
        sa.or_(Certificate.valid_until.is_(None), Certificate.valid_until >= today)).order_by(Certificate.id.desc())
    return db.session.scalars(query).first()


def issue_if_met(cert_type: CertificateType, worker: Worker, by, *, manual: bool = False,
                 reason: str = "") -> Certificate | None:
    """Issue ``cert_type`` to ``worker`` if he meets its rule and holds none that still stands. Flushes."""
    worker = _lock_worker(worker)
    if worker.status == WorkerStatus.EXITED or not cert_type.active:
        return None
    if current_certificate(cert_type, worker) is not None:
        return None
    since = rules.evidence_cutoff(cert_type, worker)
    evaluation = rules.evaluate(cert_type, worker, since)
    if not evaluation.met:
        return None
    return create_certificate(cert_type, worker, by, evaluation, since=since, manual=manual, reason=reason)


def issue_by_hand(cert_type: CertificateType, worker: Worker, by, *, reason: str) -> Certificate:
    """HR issues a certificate with a reason; refused unless the worker meets the rule. Flushes."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("Give a reason for issuing by hand."))
    if worker.status == WorkerStatus.EXITED:
        raise CertificateError(_("%(name)s has left the service.", name=worker.name))
    if not cert_type.active:
        raise CertificateError(_("This certificate type is no longer issued."))
    if current_certificate(cert_type, _lock_worker(worker)) is not None:
        raise CertificateError(_("%(name)s already holds this certificate.", name=worker.name))
    evaluation = rules.evaluate(cert_type, worker, rules.evidence_cutoff(cert_type, worker))
    if not evaluation.met:
        missing = "; ".join(f"{c.label} ({c.detail})" for c in evaluation.missing) or _("the type has no rule yet")
        raise CertificateError(_("%(name)s does not meet the rule: %(missing)s", name=worker.name, missing=missing))
    return issue_if_met(cert_type, worker, by, manual=True, reason=reason)


def automatic_types(course_id: int | None = None) -> list[CertificateType]:
    """Types issued automatically (only those whose rule names ``course_id``'s exam, if given)."""
    query = sa.select(CertificateType).where(CertificateType.active.is_(True), CertificateType.automatic.is_(True))
    if course_id is not None:
        query = query.where(CertificateType.id.in_(sa.select(Requirement.type_id).where(
            Requirement.course_id == course_id, Requirement.kind == RequirementKind.EXAM)))
    return db.session.scalars(query.order_by(CertificateType.id)).all()


def check_worker(worker: Worker, by=None, *, types: list[CertificateType] | None = None,
                 renew: bool = True) -> list[Certificate]:
    """Issue every automatic certificate the worker has now earned, and renew those in their window."""
    chosen = automatic_types() if types is None else types
    issued = [c for c in (issue_if_met(t, worker, by) for t in chosen) if c is not None]
    return issued + (renewal.renew_worker(worker, by) if renew else [])


def safely(work, *args) -> None:
    """Run a trigger's work in a savepoint; a failure is logged and left to the sweep, never raised
    into the exam submit or lesson heartbeat that fired it."""
    try:
        with db.session.begin_nested():
            work(*args)
    except Exception:  # noqa: BLE001 (the sweep catches up on whatever failed here)
        log.exception("certificate trigger %s failed; the sweep will catch up", getattr(work, "__name__", work))


def on_training_recorded(_app, *, worker: Worker, by=None) -> None:
    """Receives enrollment's ``training_recorded``: hours or a course result changed for ``worker``."""
    safely(check_worker, worker, by)


def on_attempt_graded(_app, *, attempt, by=None) -> None:
    """Receives the exams' ``attempt_graded``: a graded or regraded attempt may earn a certificate whose rule
    names its exam, or undo one it was evidence for. (Renewal asks for hours and scores, not exams.)"""
    def work(attempt, by):
        lifecycle.revalidate_after_regrade(attempt, by)
        if not attempt.passed:
            return  # a failed attempt earns nothing
        types = automatic_types(course_id=attempt.exam.course_id)
        if types:
            check_worker(attempt.worker, by, types=types, renew=False)

    safely(work, attempt, by)
