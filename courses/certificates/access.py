"""Who may do what with certificates: the object checks (``can_*``) of the package."""
from __future__ import annotations

from academy.permissions import Role, area_scopes, in_scope
from academy.registry.queries import worker_of_user
from courses.certificates.models import Certificate


def can_manage(user, certificate: Certificate) -> bool:
    """HR of the worker's area (and admins) manage a certificate: see, download, revoke."""
    return in_scope(user, certificate.worker.area.code, Role.HR)


def is_holder(user, certificate: Certificate) -> bool:
    """The user is the worker the certificate was issued to."""
    worker = worker_of_user(user)
    return worker is not None and worker.id == certificate.worker_id


def can_view(user, certificate: Certificate) -> bool:
    """The holder and those who manage it see the certificate's page and download its PDF."""
    return is_holder(user, certificate) or can_manage(user, certificate)


def can_keep_types(user) -> bool:
    """City-wide HR and administrators keep certificate types (a type is one rule for the whole city)."""
    return area_scopes(user, Role.HR) is None
