"""Who may do what with certificates: the object checks (``can_*``) of the package."""
from __future__ import annotations

from academy.permissions import Role, area_scopes, in_scope
from courses.certificates.models import Certificate


def can_manage(user, certificate: Certificate) -> bool:
    """HR of the worker's area (and admins) manage a certificate: see, download, revoke."""
    return in_scope(user, certificate.worker.area.code, Role.HR)


def can_keep_types(user) -> bool:
    """City-wide HR and administrators keep certificate types (a type is one rule for the whole city)."""
    return area_scopes(user, Role.HR) is None
