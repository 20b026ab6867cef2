"""Pages of the certification module, on one blueprint: certificate types (``types``), HR's records,
issuing by hand, revocation, downloads and reminders (``records``), batch printing (``batch``), the
trainee's own certificates (``records``), and the public verification (``verify``; its JSON twin,
``courses.certificates.api``, adds its route to ``bp`` and is imported by ``setup``)."""
from __future__ import annotations

from flask import Blueprint
from flask_login import current_user

from academy.permissions import ensure, get_or_404
from courses.certificates import access
from courses.certificates.labels import KIND_LABELS, REQUIREMENT_LABELS, STATUS_BADGES, STATUS_ICONS, STATUS_LABELS
from courses.certificates.models import Certificate, CertificateKind, CertificateStatus, RequirementKind

bp = Blueprint("certificates", __name__)


@bp.app_context_processor
def _labels():
    return {"certificate_status_label": lambda s: STATUS_LABELS[CertificateStatus(s)],
            "certificate_status_badge": lambda s: STATUS_BADGES[CertificateStatus(s)],
            "certificate_status_icon": lambda s: STATUS_ICONS[CertificateStatus(s)],
            "certificate_kind_label": lambda k: KIND_LABELS[CertificateKind(k)],
            "requirement_label": lambda k: REQUIREMENT_LABELS[RequirementKind(k)]}


def managed_certificate(certificate_id) -> Certificate:
    """A certificate the current user manages as HR of its worker's area: 404, else 403."""
    certificate = get_or_404(Certificate, certificate_id)
    ensure(access.can_manage(current_user, certificate))
    return certificate


from courses.certificates.views import batch, keys, records, types, verify  # noqa: E402,F401  (routes on bp)
