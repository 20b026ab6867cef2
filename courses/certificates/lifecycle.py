"""A certificate's life, and the worker's duty status that follows it.

- Issuing an on-duty qualification lets the registry put the worker on duty (``put_on_duty``).
- Expiry and revocation take the worker off duty (``take_off_duty``) unless another valid on-duty
  certificate covers him; the status change this made is kept on the certificate, so that a new
  certificate can put back on duty a worker whom only a lapse had suspended.
- The worker's own suspension or exit (by HR, in the registry) suspends his on-duty certificates;
  when a suspended worker returns they are valid again if still in date (else expired), and he goes
  back on duty. Completion and specialist certificates record training and do not follow the status.
- A regrade that takes the exam evidence of a certificate below the rule revokes it.

Every step is a ``CertificateTransition`` row and an audit entry; nothing here commits.
"""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from academy import audit
from academy.database import city_today
from academy.extensions import db
from academy.registry import operations
from academy.registry.models import Worker, WorkerStatus, WorkerStatusChange
from academy.workflow import Move, Workflow, value_of
from courses.certificates import rules
from courses.certificates.models import (
    Certificate,
    CertificateError,
    CertificateKind,
    CertificateStatus,
    CertificateTransition,
    CertificateType,
)
from courses.certificates.status_notices import certificate_status_changed

STANDING = (CertificateStatus.VALID, CertificateStatus.SUSPENDED)


def _stamp_and_audit(done: Move) -> None:
    certificate, reason = done.obj, done.reason
    certificate.status_since = done.at
    audit.record(done.by, f"certificate.{done.to.value}", certificate, summary=f"{certificate.number}: {reason}"[:500],
                 before={"status": done.before}, after={"status": done.to, "reason": reason})
    if done.to != CertificateStatus.VALID:  # back to valid after a suspension is no news to announce
        certificate_status_changed(certificate, done.to, done.at)


WORKFLOW = Workflow(
    of=Certificate, state="status",
    moves={
        None: frozenset({CertificateStatus.VALID}),
        CertificateStatus.VALID: frozenset({CertificateStatus.EXPIRED, CertificateStatus.SUSPENDED, CertificateStatus.REVOKED, CertificateStatus.SUPERSEDED}),
        CertificateStatus.SUSPENDED: frozenset({CertificateStatus.VALID, CertificateStatus.EXPIRED, CertificateStatus.REVOKED}),
        CertificateStatus.EXPIRED: frozenset(),
        CertificateStatus.REVOKED: frozenset(),
        CertificateStatus.SUPERSEDED: frozenset(),
    },
    log=CertificateTransition,
    refuse=lambda certificate, before, to: CertificateError(
        _("This certificate cannot change from %(a)s to %(b)s.", a=value_of(before), b=value_of(to))),
    after=_stamp_and_audit,
)


def record_transition(certificate: Certificate, from_status, to_status, by, reason: str) -> None:
    """The first row of a certificate issued in its first state (no move to check)."""
    WORKFLOW.record(certificate, from_status, to_status, by, reason)


def move(certificate: Certificate, to: CertificateStatus, by, reason: str) -> None:
    """Move a certificate along ``WORKFLOW``; logged and audited. Flushes."""
    WORKFLOW.move(certificate, to, by=by, reason=reason)


def standing_certificates(worker: Worker, *, duty_only: bool = False) -> list[Certificate]:
    query = sa.select(Certificate).where(Certificate.worker_id == worker.id, Certificate.status.in_(STANDING))
    if duty_only:
        query = query.join(Certificate.type).where(CertificateType.kind == CertificateKind.ON_DUTY)
    return db.session.scalars(query.order_by(Certificate.id)).all()


def holds_valid_duty_certificate(worker: Worker, today: date | None = None, exclude: Certificate | None = None) -> bool:
    today = today or city_today()
    return any(c.is_valid_on(today) and c is not exclude for c in standing_certificates(worker, duty_only=True))


def _latest_status_change_id(worker: Worker) -> int | None:
    return db.session.scalar(sa.select(sa.func.max(WorkerStatusChange.id)).where(WorkerStatusChange.worker_id == worker.id))


def _suspended_by_a_lapse(worker: Worker) -> bool:
    """Was the worker's current suspension made by a certificate's end (and not by HR)?"""
    latest = _latest_status_change_id(worker)
    return latest is not None and db.session.scalar(sa.select(Certificate.id).where(
        Certificate.worker_id == worker.id, Certificate.off_duty_change_id == latest)) is not None


def after_issue(certificate: Certificate, by) -> None:
    """An on-duty qualification puts its holder on duty; a worker suspended by HR keeps it suspended."""
    if not certificate.type.gates_duty:
        return
    worker = certificate.worker
    reason = _("Certificate %(number)s issued", number=certificate.number)
    if worker.status in (WorkerStatus.RECRUITED, WorkerStatus.IN_TRAINING):
        operations.put_on_duty(worker, by, reason)
    elif worker.status == WorkerStatus.SUSPENDED:
        if _suspended_by_a_lapse(worker):
            operations.put_on_duty(worker, by, reason)
        else:
            move(certificate, CertificateStatus.SUSPENDED, by, _("The worker is suspended"))


def _off_duty_unless_covered(certificate: Certificate, by, reason: str) -> None:
    if not certificate.type.gates_duty or holds_valid_duty_certificate(certificate.worker, exclude=certificate):
        return
    if operations.take_off_duty(certificate.worker, by, reason):
        certificate.off_duty_change_id = _latest_status_change_id(certificate.worker)
        db.session.flush()


def end_certificate(certificate: Certificate, to: CertificateStatus, by, reason: str) -> None:
    """Expire or revoke; the worker goes off duty if nothing else qualifies him. Flushes."""
    move(certificate, to, by, reason)
    _off_duty_unless_covered(certificate, by, _("Certificate %(number)s %(what)s: %(reason)s", number=certificate.number,
                                                 what=_("expired") if to == CertificateStatus.EXPIRED else _("revoked"), reason=reason))


def revoke_certificate(certificate: Certificate, by, *, reason: str) -> None:
    """HR withdraws a certificate (with a reason); it shows as revoked on the public page at once."""
    reason = (reason or "").strip()
    if not reason:
        raise CertificateError(_("Give a reason for the revocation."))
    if certificate.status not in STANDING:
        raise CertificateError(_("Only a valid or suspended certificate can be revoked."))
    end_certificate(certificate, CertificateStatus.REVOKED, by, reason)


def expire_due(today: date | None = None, by=None) -> int:
    """Mark every certificate past its date as expired (the sweep); returns how many."""
    today = today or city_today()
    due = db.session.scalars(sa.select(Certificate).where(
        Certificate.status.in_(STANDING), Certificate.valid_until.is_not(None), Certificate.valid_until < today)
        .order_by(Certificate.id)).all()
    for certificate in due:
        end_certificate(certificate, CertificateStatus.EXPIRED, by, _("Valid until %(d)s", d=certificate.valid_until))
    return len(due)


def on_worker_status_changed(_app, *, worker: Worker, before: WorkerStatus | None, after: WorkerStatus, by) -> None:
    """Receives the registry's ``worker_status_changed``: follow the worker's suspension, exit and return."""
    if after in (WorkerStatus.SUSPENDED, WorkerStatus.EXITED):
        reason = _("The worker exited") if after == WorkerStatus.EXITED else _("The worker is suspended")
        for certificate in standing_certificates(worker, duty_only=True):
            if certificate.status == CertificateStatus.VALID:
                move(certificate, CertificateStatus.SUSPENDED, by, reason)
    elif before == WorkerStatus.SUSPENDED and after in (WorkerStatus.IN_TRAINING, WorkerStatus.ON_DUTY):
        _restore(worker, by)


def _restore(worker: Worker, by) -> None:
    today = city_today()
    for certificate in standing_certificates(worker):
        if certificate.status != CertificateStatus.SUSPENDED:
            continue
        if certificate.valid_until is not None and certificate.valid_until < today:
            move(certificate, CertificateStatus.EXPIRED, by, _("Expired while the worker was suspended"))
        else:
            move(certificate, CertificateStatus.VALID, by, _("The worker returned"))
    if worker.status != WorkerStatus.ON_DUTY and holds_valid_duty_certificate(worker, today):
        operations.put_on_duty(worker, by, _("Returned with a valid qualification certificate"))


def rests_on(certificate: Certificate, attempt_id: int) -> bool:
    """Is the attempt part of the certificate's evidence?"""
    return certificate.attempt_id == attempt_id or any(
        item.get("attempt_id") == attempt_id for item in (certificate.evidence or {}).get("attempts", []))


def revalidate_after_regrade(attempt, by) -> list[Certificate]:
    """Revoke the worker's standing certificates resting on ``attempt`` whose exam requirements a
    regrade no longer meets (another attempt meeting them keeps the certificate)."""
    revoked = []
    for certificate in standing_certificates(attempt.worker):
        if certificate.previous_id is not None or not rests_on(certificate, attempt.id):
            continue  # a renewal rests on the renewal rule; other certificates on other evidence
        if not rules.evaluate(certificate.type, certificate.worker, certificate.evidence_since, exams_only=True).met:
            end_certificate(certificate, CertificateStatus.REVOKED, by,
                            _("The exam it was issued on was regraded below the required score"))
            revoked.append(certificate)
    return revoked
