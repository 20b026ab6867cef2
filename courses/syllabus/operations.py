"""Syllabus operations: draft versions and their units, committee review, publishing, branches, trainers.

Every operation takes the acting user ``by``, checks the domain rules (raising ``SyllabusError``
with a message for the user), changes the models, writes the audit log and flushes. The version
workflow's transitions are in ``TRANSITIONS`` and nowhere else; ``WORKFLOW`` (``academy.workflow``) applies them.
"""
from __future__ import annotations

from decimal import Decimal

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from academy import audit
from academy.database import lock_for_update, utcnow
from academy.errors import DomainError
from academy.extensions import db
from academy.registry.models import Area, AreaLevel
from academy.workflow import Move, Workflow, moves_of, value_of
from courses.syllabus import queries
from courses.syllabus.models import (
    Branch,
    CommitteeMember,
    ReviewDecision,
    SyllabusUnit,
    SyllabusVersion,
    Trainer,
    VersionReview,
    VersionStatus,
    VersionTransition,
)

TRANSITIONS = {
    (VersionStatus.DRAFT, VersionStatus.UNDER_REVIEW),       # submitted to the committee
    (VersionStatus.UNDER_REVIEW, VersionStatus.DRAFT),       # sent back with comments
    (VersionStatus.UNDER_REVIEW, VersionStatus.PUBLISHED),   # enough approvals
    (VersionStatus.PUBLISHED, VersionStatus.RETIRED),        # replaced by the next published version
}
UNIT_FIELDS = ["code", "title", "objectives", "theory_hours", "practice_hours", "assessment_standard",
               "case_categories", "position"]


class SyllabusError(DomainError):
    """A syllabus rule refused the change; the message is for the user."""


def required_approvals() -> int:
    return int(current_app.config.get("SYLLABUS_REQUIRED_APPROVALS", 2))


def _audit(done: Move) -> None:
    version = done.obj
    audit.record(done.by, f"syllabus.{done.to.value}", version, summary=f"v{version.number} {done.reason}"[:500],
                 before={"status": done.before.value}, after={"status": done.to.value})


WORKFLOW = Workflow(
    of=SyllabusVersion, state="status", moves=moves_of(TRANSITIONS), log=VersionTransition, after=_audit,
    refuse=lambda version, before, to: SyllabusError(_("A version cannot go from %(a)s to %(b)s.",
                                                       a=value_of(before), b=value_of(to))))


def _move(version: SyllabusVersion, to: VersionStatus, by, reason: str = "") -> None:
    """Kept by name for the demo and the tests' fixtures, which publish a version directly."""
    WORKFLOW.move(version, to, by=by, reason=reason)


def create_version(by, *, title: str, notes: str = "") -> SyllabusVersion:
    """A new draft, its units copied from the current version (if any). Flushes."""
    number = (db.session.scalar(sa.select(sa.func.max(SyllabusVersion.number))) or 0) + 1
    base = queries.current_version()
    version = SyllabusVersion(number=number, title=title, notes=notes, status=VersionStatus.DRAFT,
                              based_on_id=base.id if base else None, created_by_id=getattr(by, "id", None))
    db.session.add(version)
    db.session.flush()
    if base is not None:
        copies: dict[int, SyllabusUnit] = {}
        for unit in sorted(base.units, key=lambda u: u.parent_id is not None):
            copy = SyllabusUnit(version=version, **{name: getattr(unit, name) for name in UNIT_FIELDS})
            copy.case_categories = list(unit.case_categories or [])
            copy.parent = copies.get(unit.parent_id)
            copies[unit.id] = copy
            db.session.add(copy)
        db.session.flush()
    WORKFLOW.record(version, None, VersionStatus.DRAFT, by)
    audit.record(by, "syllabus.create", version, summary=f"v{number} {title}"[:500])
    return version


def _require_draft(version: SyllabusVersion) -> None:
    if version.status != VersionStatus.DRAFT:
        raise SyllabusError(_("Only a draft can be changed; this version is %(s)s.", s=version.status.value))


def _check_unit(version: SyllabusVersion, unit: SyllabusUnit | None, values: dict) -> None:
    clash = db.session.scalar(sa.select(SyllabusUnit.id).where(
        SyllabusUnit.version_id == version.id, SyllabusUnit.code == values["code"]))
    if clash is not None and (unit is None or clash != unit.id):
        raise SyllabusError(_("Unit code %(code)s is already used in this version.", code=values["code"]))
    parent = values.get("parent")
    if parent is not None:
        if parent.version_id != version.id or parent.parent_id is not None:
            raise SyllabusError(_("A unit can only sit inside a module of the same version."))
        if unit is not None and (parent.id == unit.id or unit.children):
            raise SyllabusError(_("A module with units cannot move inside another module."))
    for name in ("theory_hours", "practice_hours"):
        if values[name] is None or values[name] < 0 or values[name] > Decimal("999"):
            raise SyllabusError(_("Hours must be between 0 and 999."))


def add_unit(version: SyllabusVersion, by, **values) -> SyllabusUnit:
    """Add a module (no parent) or a unit to a draft. Flushes."""
    _require_draft(version)
    _check_unit(version, None, values)
    unit = SyllabusUnit(version=version, parent=values.pop("parent", None), **values)
    db.session.add(unit)
    db.session.flush()
    audit.record(by, "syllabus.unit_add", unit, summary=f"v{version.number} {unit.code}", after=unit.comparable())
    return unit


def update_unit(unit: SyllabusUnit, by, **values) -> None:
    """Change a unit of a draft. Flushes."""
    _require_draft(unit.version)
    _check_unit(unit.version, unit, values)
    before = unit.comparable()
    unit.parent = values.pop("parent", None)
    for name, value in values.items():
        setattr(unit, name, value)
    db.session.flush()
    audit.record(by, "syllabus.unit_update", unit, summary=unit.code, before=before, after=unit.comparable())


def remove_unit(unit: SyllabusUnit, by) -> None:
    """Remove a unit (and a module's units) from a draft. Flushes."""
    version = unit.version
    _require_draft(version)
    for child in list(unit.children):
        version.units.remove(child)
    version.units.remove(unit)
    db.session.flush()
    audit.record(by, "syllabus.unit_remove", version, summary=unit.code, before=unit.comparable())


def submit_for_review(version: SyllabusVersion, by) -> None:
    """Hand a draft with at least one unit to the expert committee. Flushes."""
    if not version.units:
        raise SyllabusError(_("A version without units cannot be reviewed."))
    _move(version, VersionStatus.UNDER_REVIEW, by)
    db.session.flush()


def review_version(version: SyllabusVersion, by, *, decision: ReviewDecision, comment: str = "") -> VersionReview:
    """A committee member approves, or sends the version back to draft with a comment. Flushes."""
    if not queries.is_committee_member(by):
        raise SyllabusError(_("Only members of the expert committee review syllabus versions."))
    if version.status != VersionStatus.UNDER_REVIEW:
        raise SyllabusError(_("This version is not under review."))
    if decision == ReviewDecision.SEND_BACK and not comment.strip():
        raise SyllabusError(_("Say what must change when sending a version back."))
    if decision == ReviewDecision.APPROVE and any(r.reviewer_id == by.id for r in version.approvals()):
        raise SyllabusError(_("You have already approved this version."))
    review = VersionReview(version=version, reviewer_id=by.id, round=version.review_round,
                           decision=decision, comment=comment.strip())
    db.session.add(review)
    audit.record(by, f"syllabus.review_{decision.value}", version, summary=comment[:500])
    if decision == ReviewDecision.SEND_BACK:
        _move(version, VersionStatus.DRAFT, by, reason=comment.strip())
        version.review_round += 1
    db.session.flush()
    return review


def publish_version(version: SyllabusVersion, by) -> None:
    """Publish a version with enough approvals; the previous current version retires. Flushes."""
    if version.status != VersionStatus.UNDER_REVIEW:
        raise SyllabusError(_("Only a version under review can be published."))
    needed = required_approvals()
    if len(version.approvals()) < needed:
        raise SyllabusError(_("Publishing needs %(n)d approvals; this version has %(m)d.",
                              n=needed, m=len(version.approvals())))
    # Lock the current version's row so two publishers cannot both retire it.
    previous = db.session.scalar(lock_for_update(
        sa.select(SyllabusVersion).where(SyllabusVersion.current.is_(True)), db.session))
    if previous is not None:
        _move(previous, VersionStatus.RETIRED, by, reason=f"v{version.number}")
        previous.current = None
        previous.retired_at = utcnow()
        db.session.flush()  # free the unique "current" slot before taking it
    _move(version, VersionStatus.PUBLISHED, by)
    version.current = True
    version.published_at = utcnow()
    db.session.flush()


def add_committee_member(user, by, *, title: str = "") -> CommitteeMember:
    """Put a user on the expert committee. Flushes."""
    if queries.is_committee_member(user):
        raise SyllabusError(_("This user is already on the committee."))
    member = CommitteeMember(user_id=user.id, title=title)
    db.session.add(member)
    db.session.flush()
    audit.record(by, "committee.add", member, summary=user.username)
    return member


def create_branch(by, *, code: str, name: str, area: Area) -> Branch:
    """Open a branch academy for a district. Flushes."""
    if area.level != AreaLevel.DISTRICT:
        raise SyllabusError(_("A branch academy serves a district."))
    if db.session.scalar(sa.select(Branch.id).where(Branch.code == code)) is not None:
        raise SyllabusError(_("Branch code %(code)s is taken.", code=code))
    branch = Branch(code=code, name=name, area=area)
    db.session.add(branch)
    db.session.flush()
    audit.record(by, "branch.create", branch, summary=f"{code} {name}")
    return branch


def add_trainer(user, by, *, branch: Branch | None, qualifications: str = "", specialties: list[str] | None = None) -> Trainer:
    """Enter an instructor into the trainer pool. Flushes."""
    if db.session.scalar(sa.select(Trainer.id).where(Trainer.user_id == user.id)) is not None:
        raise SyllabusError(_("This user is already in the trainer pool."))
    trainer = Trainer(user_id=user.id, branch=branch, qualifications=qualifications, specialties=specialties or [])
    db.session.add(trainer)
    db.session.flush()
    audit.record(by, "trainer.add", trainer, summary=user.username, after={"specialties": trainer.specialties})
    return trainer


def _trainer_values(trainer: Trainer) -> dict:
    return {"branch": trainer.branch.code if trainer.branch else "", "qualifications": trainer.qualifications,
            "specialties": list(trainer.specialties or []), "active": trainer.active}


def update_trainer(trainer: Trainer, by, *, branch: Branch | None, qualifications: str, specialties: list[str]) -> None:
    """Change a trainer's branch academy, qualifications and the units he may teach. Flushes."""
    before = _trainer_values(trainer)
    trainer.branch, trainer.qualifications, trainer.specialties = branch, qualifications[:500], list(specialties)
    db.session.flush()
    audit.record(by, "trainer.update", trainer, summary=trainer.user.username, before=before, after=_trainer_values(trainer))


def set_trainer_active(trainer: Trainer, by, *, active: bool) -> None:
    """Take a trainer out of the pool (he stays on record, his courses keep him) or back in. Flushes."""
    if trainer.active == active:
        raise SyllabusError(_("This trainer is already active.") if active else _("This trainer is already inactive."))
    trainer.active = active
    db.session.flush()
    audit.record(by, "trainer.reactivate" if active else "trainer.deactivate", trainer, summary=trainer.user.username,
                 before={"active": not active}, after={"active": active})
