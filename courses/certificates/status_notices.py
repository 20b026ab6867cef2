"""What a holder is told when his certificate changes: issued, suspended, revoked, expired
(``academy.notifications``). Kept apart from ``notices`` (the daily pass), which reads the renewal
rules that themselves depend on the lifecycle that calls this."""
from __future__ import annotations

from datetime import datetime

from academy.accounts.models import User
from academy.extensions import db
from academy.notifications.operations import link_to, notify
from courses.certificates.models import Certificate, CertificateStatus

KINDS = {
    CertificateStatus.VALID: "certificate.issued",
    CertificateStatus.SUSPENDED: "certificate.suspended",
    CertificateStatus.REVOKED: "certificate.revoked",
    CertificateStatus.EXPIRED: "certificate.expired",
}


def certificate_status_changed(certificate: Certificate, status: CertificateStatus, at: datetime) -> None:
    """Tell the holder, once per change (the key names the change's time). Flushes."""
    kind = KINDS.get(status)
    user = db.session.get(User, certificate.worker.user_id) if certificate.worker.user_id else None
    if kind is None or user is None:
        return
    until = certificate.valid_until.isoformat() if certificate.valid_until else "—"
    notify(kind, [user], {"number": certificate.number, "until": until},
           key=f"{kind}:{certificate.id}:{at.isoformat()}", link=link_to("certificates.mine"))
