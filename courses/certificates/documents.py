"""From a certificate row to the ``CertificateDocument`` a PDF shows, in the holder's language.

The holder's language is his log-in's language when he has chosen English, else Chinese. The
verification URL is absolute, on the base the caller got from ``academy.web.urls.public_base``
(a batch job is given it when it is queued, as it runs outside any request).
"""
from __future__ import annotations

import base64

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from academy.accounts.models import User
from academy.extensions import db
from academy.registry import photos
from courses.certificates.document import CertificateDocument
from courses.certificates.models import Certificate

DEFAULT_ACADEMY_NAME = "网格学院"


def verify_url(number: str, base_url: str) -> str:
    return f"{base_url.rstrip('/')}/verify/{number}"


def holder_language(certificate: Certificate) -> str:
    user_id = certificate.worker.user_id
    user = db.session.get(User, user_id) if user_id else None
    return "en" if user is not None and (user.locale or "") == "en" else "zh_CN"


def _evidence_lines(certificate: Certificate) -> tuple[str, ...]:
    lines = []
    if certificate.course is not None:
        lines.append(_("Course: %(title)s", title=certificate.course.title))  # the title people know, not its code
    if certificate.exam_percent is not None:
        lines.append(_("Final exam %(p)s %%", p=certificate.exam_percent))
    if certificate.hours is not None:
        lines.append(_("%(h)s hours of training", h=certificate.hours))
    if certificate.score is not None:
        lines.append(_("Assessment score %(s).1f", s=certificate.score))
    return tuple(lines)


def holder_photo(worker) -> str:
    """The photo on the holder's record as a ``data:`` URL for the PDF, "" when there is none."""
    data = photos.photo_bytes(worker.photo_name)
    return "data:image/jpeg;base64," + base64.b64encode(data).decode() if data else ""


def build_document(certificate: Certificate, base_url: str, language: str | None = None) -> CertificateDocument:
    """The facts of ``certificate`` for its PDF, translated into ``language`` (default: the holder's)."""
    language = language or holder_language(certificate)
    config = current_app.config
    with force_locale(language):
        academy = (config.get("CERTIFICATES_ACADEMY_NAME_EN") if language == "en" else None) or \
            config.get("CERTIFICATES_ACADEMY_NAME") or DEFAULT_ACADEMY_NAME
        branch = certificate.branch.name if certificate.branch is not None else academy
        return CertificateDocument(
            number=certificate.number, holder_name=certificate.worker.name, holder_number=certificate.worker.number,
            type_code=certificate.type.code, type_name=certificate.type.display_name(language),
            issued_on=certificate.issued_on, valid_until=certificate.valid_until, branch_name=branch,
            academy_name=academy, verify_url=verify_url(certificate.number, base_url), language=language,
            template=certificate.type.pdf_template or "default", evidence=_evidence_lines(certificate),
            photo=holder_photo(certificate.worker))
