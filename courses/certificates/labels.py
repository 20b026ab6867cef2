"""What each certificate status, kind and requirement is called, in both languages, and the badge of
each status. Views, forms and templates read them here, so forms need not import the views."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from academy.labels import Words, family
from courses.certificates.models import CertificateKind, CertificateStatus, RequirementKind

STATUS_LABELS = {CertificateStatus.VALID: _l("valid"), CertificateStatus.EXPIRED: _l("expired"),
                 CertificateStatus.SUSPENDED: _l("suspended"), CertificateStatus.REVOKED: _l("revoked"),
                 CertificateStatus.SUPERSEDED: _l("superseded (renewed)")}
KIND_LABELS = {CertificateKind.ON_DUTY: _l("On-duty qualification"),
               CertificateKind.COMPLETION: _l("Course completion"), CertificateKind.SPECIALIST: _l("Specialist")}
REQUIREMENT_LABELS = {RequirementKind.COURSE: _l("Course completed"), RequirementKind.EXAM: _l("Final exam passed")}
# The certificate list's sort select (its orders: ``queries.CERTIFICATE_ORDERS``), the list's own first.
SORT_LABELS = {
    "number": lazy_pgettext("sort", "Certificate number"),
    "holder": lazy_pgettext("sort", "Holder"),
    "issued_newest": lazy_pgettext("sort", "Issued, newest first"),
    "valid_until": lazy_pgettext("sort", "Expiring soonest first"),
}
STATUS_BADGES = {CertificateStatus.VALID: "success", CertificateStatus.EXPIRED: "secondary",
                 CertificateStatus.SUSPENDED: "warning", CertificateStatus.REVOKED: "danger",
                 CertificateStatus.SUPERSEDED: "info"}
# Bootstrap Icons beside each status's word and colour (colour alone is not enough).
STATUS_ICONS = {CertificateStatus.VALID: "patch-check-fill", CertificateStatus.EXPIRED: "clock-history",
                CertificateStatus.SUSPENDED: "pause-circle-fill", CertificateStatus.REVOKED: "x-octagon-fill",
                CertificateStatus.SUPERSEDED: "arrow-repeat"}


def _certificate_event(status) -> str:
    return _("Certificate %(status)s", status=status)


# "certificate." + the status a certificate moved to (lifecycle), and the other events.
EVENT_LABELS = {
    **family(STATUS_LABELS, _certificate_event, "certificate.", key=lambda status: status.value),
    "certificate.issue": _l("Certificate issued"), "certificate_type.create": _l("Certificate type created"),
    "certificate_type.update": _l("Certificate type changed"),
    "verification_key.issue": _l("Verification key issued to an integrator"),
    "verification_key.revoke": _l("Verification key revoked"),
    "certificate_type.requirement_add": _l("Requirement added to a certificate type"),
    "certificate_type.requirement_remove": _l("Requirement removed from a certificate type"),
    "certificates.batch_print": _l("Certificates printed in a batch"),
}
FIELD_LABELS = {
    "type": _l("Certificate type"), "valid_until": _l("Valid until"), "manual": _l("Issued by hand"),
    "evidence": _l("Evidence"), "min_percent": _l("Minimum percentage"), "course_id": _l("Course"),
    "selection": _l("Selection"), "prefix": _l("Number prefix"), "name_en": _l("English name"),
    "validity_months": _l("Valid for (months)"), "min_hours": _l("Minimum credited hours"),
    "min_score": _l("Minimum score"), "renewal_hours": _l("Credited hours to renew"),
    "renewal_min_score": _l("Minimum score to renew"), "renewal_window_days": _l("Renewal window (days)"),
    "automatic": _l("Issued automatically"), "pdf_template": _l("Certificate layout"), "kind": _l("Kind"),
}
WORDS = Words(enums={CertificateStatus: STATUS_LABELS, CertificateKind: KIND_LABELS, RequirementKind: REQUIREMENT_LABELS},
              events=EVENT_LABELS, fields=FIELD_LABELS,
              objects={"Certificate": _l("Certificate"), "CertificateType": _l("Certificate type")},
              links={"Certificate": ("certificates.certificate", "certificate_id")})
