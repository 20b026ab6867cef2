"""The trainee's home card "my certificates": what he holds, until when, and whether it is time to renew."""
from __future__ import annotations

from datetime import date

from flask import url_for
from flask_babel import gettext as _

from academy.contributions import NextStep
from academy.database import city_today
from academy.registry.queries import worker_of_user
from academy.web.i18n import locale_code
from courses.certificates import queries, renewal
from courses.certificates.labels import STATUS_LABELS
from courses.certificates.models import Certificate, CertificateStatus


def _line(certificate: Certificate, today: date, language: str) -> str:
    name = certificate.type.display_name(language)
    status = certificate.effective_status(today)
    if status != CertificateStatus.VALID:
        return _("%(name)s · %(status)s", name=name, status=STATUS_LABELS[status])
    if renewal.in_window(certificate, today):
        return _("%(name)s · renewal window open, valid until %(d)s", name=name, d=certificate.valid_until)
    if certificate.valid_until is None:
        return _("%(name)s · valid", name=name)
    return _("%(name)s · valid until %(d)s", name=name, d=certificate.valid_until)


def my_certificates(user) -> NextStep | None:
    """The valid certificates counted; every one of the latest named with its state; amber in a renewal window."""
    worker = worker_of_user(user)
    if worker is None:
        return None
    today, language = city_today(), locale_code()
    held = [c for c in queries.certificates_of(worker) if c.status != CertificateStatus.SUPERSEDED]
    valid = [c for c in held if c.effective_status(today) == CertificateStatus.VALID]
    lines = tuple((_line(c, today, language), url_for("certificates.certificate", certificate_id=c.id))
                  for c in held[:3])
    return NextStep("certificates.mine", _("Valid certificates"), len(valid), url_for("certificates.mine"),
                    icon="patch-check", tone="warning" if any(renewal.in_window(c, today) for c in valid) else "",
                    lines=lines,
                    empty=_("You hold no certificate yet: complete your courses and pass their final exams to earn one."))
