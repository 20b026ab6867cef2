"""What each certificate status, kind and requirement is called, in both languages, and the badge of
each status. Views, forms and templates read them here, so forms need not import the views."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from courses.certificates.models import CertificateKind, CertificateStatus, RequirementKind

STATUS_LABELS = {CertificateStatus.VALID: _l("valid"), CertificateStatus.EXPIRED: _l("expired"),
                 CertificateStatus.SUSPENDED: _l("suspended"), CertificateStatus.REVOKED: _l("revoked"),
                 CertificateStatus.SUPERSEDED: _l("superseded (renewed)")}
KIND_LABELS = {CertificateKind.ON_DUTY: _l("On-duty qualification (上岗资格证)"),
               CertificateKind.COMPLETION: _l("Course completion"), CertificateKind.SPECIALIST: _l("Specialist")}
REQUIREMENT_LABELS = {RequirementKind.COURSE: _l("Course completed"), RequirementKind.EXAM: _l("Final exam passed")}
STATUS_BADGES = {CertificateStatus.VALID: "success", CertificateStatus.EXPIRED: "secondary",
                 CertificateStatus.SUSPENDED: "warning", CertificateStatus.REVOKED: "danger",
                 CertificateStatus.SUPERSEDED: "info"}
