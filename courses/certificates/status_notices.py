"""What a holder is told when his certificate changes: issued, suspended, revoked, expired
(``academy.notifications``). Kept apart from ``notices`` (the daily pass), which reads the renewal
rules that themselves depend on the lifecycle that calls this."""
from __future__ import annotations

from datetime import datetime

from academy.accounts.models import User
from academy.extensions import db
from academy.notifications.operations import link_to, notify
from academy.notifications.queries import users_covering
from academy.permissions import Role
from courses.certificates.models import Certificate, CertificateStatus

KINDS = {
    CertificateStatus.VALID: "certificate.issued",
    CertificateStatus.SUSPENDED: "certificate.suspended",
    CertificateStatus.REVOKED: "certificate.revoked",
    CertificateStatus.EXPIRED: "certificate.expired",
}
HR_KINDS = {CertificateStatus.SUSPENDED: "certificate.hr_suspended", CertificateStatus.REVOKED: "certificate.hr_revoked"}


def certificate_status_changed(certificate: Certificate, status: CertificateStatus, at: datetime) -> None:
    """Tell the holder, and HR of his area of a suspension or revocation, once per change (the key
    names the change's time). Flushes."""
    _tell_hr(certificate, status, at)
    kind = KINDS.get(status)
    user = db.session.get(User, certificate.worker.user_id) if certificate.worker.user_id else None
    if kind is None or user is None:
        return
    until = certificate.valid_until.isoformat() if certificate.valid_until else "—"
    notify(kind, [user], {"number": certificate.number, "until": until},
           key=f"{kind}:{certificate.id}:{at.isoformat()}", link=link_to("certificates.mine"))


def _tell_hr(certificate: Certificate, status: CertificateStatus, at: datetime) -> None:
    """HR whose scope covers the holder's area get a copy, with a link to the certificate's record."""
    kind = HR_KINDS.get(status)
    if kind is None:
        return
    worker = certificate.worker
    notify(kind, users_covering(Role.HR, worker.area.code), {"number": certificate.number, "name": worker.name},
           key=f"{kind}:{certificate.id}:{at.isoformat()}",
           link=link_to("certificates.certificate", certificate_id=certificate.id))
