"""What the certificates tell their holders (``academy.notifications``), from ``flask academy
notify-due``: the renewal window opened, and 30 days before expiry; each once per certificate and date."""
from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from sqlalchemy import orm

from academy.accounts.models import User
from academy.extensions import db
from academy.notifications.operations import link_to, notify
from courses.certificates.models import Certificate, CertificateStatus
from courses.certificates.renewal import MAX_WINDOW_DAYS, window_opens

EXPIRING_DAYS = 30
BATCH = 500  # certificates a round: memory stays flat for a city's worth of holders


def _holders(certificates: list[Certificate]) -> dict[int, User]:
    user_ids = [c.worker.user_id for c in certificates if c.worker.user_id]
    users = db.session.scalars(sa.select(User).where(User.id.in_(user_ids))) if user_ids else []
    return {user.id: user for user in users}


def _tell(kind: str, certificates: list[Certificate], key: str) -> list:
    made, link = [], link_to("certificates.mine")
    for start in range(0, len(certificates), BATCH):
        part = certificates[start:start + BATCH]
        holders = _holders(part)
        for certificate in part:
            user = holders.get(certificate.worker.user_id)
            context = {"number": certificate.number, "until": certificate.valid_until.isoformat()}
            made += notify(kind, [user] if user else [], context, key=f"{key}:{certificate.id}:{certificate.valid_until}",
                           link=link)
    return made


def notify_due_certificates(day: date) -> list:
    """Holders whose renewal window opens today, and those whose certificate expires in 30 days. Flushes."""
    horizon = day + timedelta(days=MAX_WINDOW_DAYS)
    candidates = db.session.scalars(sa.select(Certificate).where(
        Certificate.status == CertificateStatus.VALID, Certificate.valid_until > day, Certificate.valid_until <= horizon)
        .options(orm.selectinload(Certificate.type), orm.selectinload(Certificate.worker)).order_by(Certificate.id)).all()
    opening = [c for c in candidates if c.type.renewable and window_opens(c) == day]
    expiring = [c for c in candidates if c.valid_until == day + timedelta(days=EXPIRING_DAYS)]
    return _tell("certificate.renewal_window", opening, "certificate.window") + _tell(
        "certificate.expiring", expiring, "certificate.expiring")
