"""Who may do what with the syllabus: the object checks of its pages."""
from __future__ import annotations

from academy.permissions import Role, has_role
from courses.syllabus import queries
from courses.syllabus.models import SyllabusVersion, VersionStatus


def can_edit(user) -> bool:
    """Instructors write drafts, submit and publish them."""
    return has_role(user, Role.INSTRUCTOR)


def can_manage(user) -> bool:
    """Admins open branch academies and fill the trainer pool."""
    return has_role(user, Role.ADMIN)


def can_see_version(user, version: SyllabusVersion) -> bool:
    """Published and retired versions are for everyone; drafts for instructors and the committee."""
    if version.status in (VersionStatus.PUBLISHED, VersionStatus.RETIRED):
        return True
    return can_edit(user) or queries.is_committee_member(user)
