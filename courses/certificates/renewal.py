"""Renewal: a window before expiry (the type's ``renewal_window_days``, 90 by default) in which the
worker sees what is still missing, and in which meeting the renewal rule issues the successor.

The successor runs on from the old certificate's end (renewing early loses no time): valid until
the old date plus the type's validity. The old one is marked superseded in the same step. Renewal
is automatic for every renewable type; a certificate that lapses must be earned again by the rule.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask_babel import gettext as _

from academy.database import city_today
from academy.extensions import db
from academy.permissions import scope_clause
from academy.registry.models import Area, Worker
from courses.certificates import lifecycle, rules
from courses.certificates.core import add_months, create_certificate
from courses.certificates.models import Certificate, CertificateStatus

LAPSED_DAYS = 365  # how far back the "lapsed" reminder list looks
MAX_WINDOW_DAYS = 3660  # the longest renewal window a type may have


def window_opens(certificate: Certificate) -> date | None:
    if certificate.valid_until is None:
        return None
    return certificate.valid_until - timedelta(days=certificate.type.renewal_window_days)


def in_window(certificate: Certificate, today: date | None = None) -> bool:
    today = today or city_today()
    opens = window_opens(certificate)
    return opens is not None and certificate.is_valid_on(today) and opens <= today


@dataclass
class RenewalState:
    """What the worker sees about one certificate: is it time to renew, and what is missing."""

    certificate: Certificate
    in_window: bool
    opens_on: date | None
    evaluation: rules.Evaluation | None

    @property
    def renewable(self) -> bool:
        return self.certificate.type.renewable


def renewal_state(certificate: Certificate, today: date | None = None, ahead: bool = False) -> RenewalState:
    """``ahead``: weigh the renewal rule before the window opens too (the certificate's own page
    shows what renewal will need; the lists weigh it only inside the window)."""
    today = today or city_today()
    inside = in_window(certificate, today)
    weigh = (inside or (ahead and certificate.is_valid_on(today))) and certificate.type.renewable
    evaluation = rules.evaluate_renewal(certificate) if weigh else None
    return RenewalState(certificate, inside, window_opens(certificate), evaluation)


def renew(certificate: Certificate, by, evaluation: rules.Evaluation) -> Certificate:
    """Issue the successor and mark ``certificate`` superseded. Flushes."""
    cert_type = certificate.type
    successor = create_certificate(
        cert_type, certificate.worker, by, evaluation, since=rules.start_of(certificate.issued_on), manual=False,
        reason=_("Renewal of %(number)s", number=certificate.number), previous=certificate,
        valid_until=add_months(certificate.valid_until, cert_type.validity_months))
    lifecycle.move(certificate, CertificateStatus.SUPERSEDED, by, _("Renewed as %(number)s", number=successor.number))
    return successor


def renew_worker(worker: Worker, by=None, today: date | None = None) -> list[Certificate]:
    """Renew each of the worker's certificates that is in its window and meets its renewal rule."""
    today = today or city_today()
    renewed = []
    for certificate in lifecycle.standing_certificates(worker):
        if not certificate.type.renewable or not in_window(certificate, today):
            continue
        evaluation = rules.evaluate_renewal(certificate)
        if evaluation.met:
            renewed.append(renew(certificate, by, evaluation))
    return renewed


def _scoped(query, scopes):
    return query.join(Certificate.worker).join(Worker.area).where(scope_clause(Area.code, scopes))


def in_window_query(scopes, today: date | None = None) -> list[Certificate]:
    """Valid certificates whose renewal window has opened, soonest expiry first, in ``scopes``.
    The window is per type, so it is checked here rather than in SQL (portable date arithmetic)."""
    today = today or city_today()
    query = (sa.select(Certificate).join(Certificate.type)
             .where(Certificate.status == CertificateStatus.VALID, Certificate.valid_until.is_not(None),
                    Certificate.valid_until >= today,
                    Certificate.valid_until <= today + timedelta(days=MAX_WINDOW_DAYS)))
    candidates = db.session.scalars(_scoped(query, scopes).order_by(Certificate.valid_until, Certificate.number)).all()
    return [c for c in candidates if in_window(c, today)]


def lapsed_query(scopes, today: date | None = None) -> list[Certificate]:
    """Certificates that ran out in the last year and were not followed by one of the same type
    that still stands (a renewal, or the type earned again)."""
    today = today or city_today()
    ran_out = sa.or_(Certificate.status == CertificateStatus.EXPIRED,
                     sa.and_(Certificate.status == CertificateStatus.VALID, Certificate.valid_until < today))
    query = sa.select(Certificate).where(ran_out, Certificate.valid_until >= today - timedelta(days=LAPSED_DAYS),
                                         Certificate.valid_until < today)
    rows = db.session.scalars(_scoped(query, scopes).order_by(Certificate.valid_until.desc())).all()
    standing = db.session.execute(sa.select(Certificate.worker_id, Certificate.type_id, Certificate.valid_until).where(
        Certificate.worker_id.in_({c.worker_id for c in rows}), Certificate.status.in_(lifecycle.STANDING)))
    followed = {(w, t) for w, t, until in standing if until is None or until >= today}
    return [c for c in rows if (c.worker_id, c.type_id) not in followed]
