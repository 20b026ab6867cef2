"""Reading the syllabus: versions, the current one, committee members, branches, trainers, diffs.

Every read the syllabus pages make, and those other packages share (``current_version``).
"""
from __future__ import annotations

import sqlalchemy as sa

from academy.accounts.models import User
from academy.extensions import db
from courses.syllabus.models import Branch, CommitteeMember, SyllabusVersion, Trainer


def current_version() -> SyllabusVersion | None:
    """The one published version in force, if any."""
    return db.session.scalar(sa.select(SyllabusVersion).where(SyllabusVersion.current.is_(True)))


def is_committee_member(user) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(sa.select(CommitteeMember.id).where(CommitteeMember.user_id == user.id)) is not None


def versions(newest_first: bool = False) -> list[SyllabusVersion]:
    """Every version by number."""
    order = SyllabusVersion.number.desc() if newest_first else SyllabusVersion.number
    return db.session.scalars(sa.select(SyllabusVersion).order_by(order)).all()


def diff_versions(old: SyllabusVersion, new: SyllabusVersion) -> dict[str, list]:
    """Units added, removed and changed (with the changed fields) between two versions, by code."""
    before = {unit.code: unit for unit in old.units}
    after = {unit.code: unit for unit in new.units}
    changed = []
    for code in sorted(before.keys() & after.keys()):
        a, b = before[code].comparable(), after[code].comparable()
        fields = [(name, a[name], b[name]) for name in a if a[name] != b[name]]
        if fields:
            changed.append((after[code], fields))
    return {
        "added": [after[code] for code in sorted(after.keys() - before.keys())],
        "removed": [before[code] for code in sorted(before.keys() - after.keys())],
        "changed": changed,
    }


def unit_titles() -> dict[str, str]:
    """The title of each unit code of the current version (trainers' specialties are codes)."""
    current = current_version()
    return {unit.code: unit.title for unit in current.units} if current else {}


def branches() -> list[Branch]:
    return db.session.scalars(sa.select(Branch).order_by(Branch.code)).all()


def trainers() -> list[Trainer]:
    return db.session.scalars(sa.select(Trainer).join(Trainer.user).order_by(User.username)).all()


def committee_members() -> list[CommitteeMember]:
    return db.session.scalars(sa.select(CommitteeMember).order_by(CommitteeMember.added_at)).all()


def active_users() -> list[User]:
    """Users who may log in, by user name (the choices of the committee and trainer forms)."""
    return db.session.scalars(sa.select(User).where(User.active.is_(True)).order_by(User.username)).all()
