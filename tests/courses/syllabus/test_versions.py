"""Syllabus versions: the workflow, committee approvals, exactly one current version, the diff."""
from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from academy.audit import AuditEntry
from academy.extensions import db
from academy.permissions import Role
from courses.syllabus import operations as ops
from courses.syllabus import queries
from courses.syllabus.models import ReviewDecision, SyllabusVersion, VersionStatus, VersionTransition


def unit_values(code, **extra):
    values = dict(code=code, title=f"Unit {code}", objectives="", theory_hours=Decimal(1), practice_hours=Decimal(1),
                  assessment_standard="", case_categories=[], position=0)
    values.update(extra)
    return values


@pytest.fixture
def committee(make_user):
    members = [make_user(f"expert{i}", Role.INSTRUCTOR) for i in range(3)]
    for member in members:
        ops.add_committee_member(member, None)
    return members


def new_draft(author, codes=("A", "A.1")):
    version = ops.create_version(author, title="Draft")
    module = ops.add_unit(version, author, **unit_values(codes[0], theory_hours=Decimal(0), practice_hours=Decimal(0)))
    for code in codes[1:]:
        ops.add_unit(version, author, parent=module, **unit_values(code))
    return version


def publish(version, committee, author):
    ops.submit_for_review(version, author)
    for member in committee[:2]:
        ops.review_version(version, member, decision=ReviewDecision.APPROVE)
    ops.publish_version(version, author)


def test_full_workflow_with_send_back_and_new_round(make_user, committee):
    author = make_user("author", Role.INSTRUCTOR)
    version = new_draft(author)
    ops.submit_for_review(version, author)
    ops.review_version(version, committee[0], decision=ReviewDecision.APPROVE)
    with pytest.raises(ops.SyllabusError):  # a send-back needs a comment
        ops.review_version(version, committee[1], decision=ReviewDecision.SEND_BACK, comment="  ")
    ops.review_version(version, committee[1], decision=ReviewDecision.SEND_BACK, comment="Add hours to A.1")
    assert version.status == VersionStatus.DRAFT
    assert version.approvals() == []  # the earlier approval belonged to the previous round
    ops.update_unit(version.units[1], author, parent=version.units[0], **unit_values("A.1", theory_hours=Decimal(4)))
    ops.submit_for_review(version, author)
    ops.review_version(version, committee[0], decision=ReviewDecision.APPROVE)
    with pytest.raises(ops.SyllabusError, match="2 approvals"):
        ops.publish_version(version, author)
    with pytest.raises(ops.SyllabusError):  # one person approves once
        ops.review_version(version, committee[0], decision=ReviewDecision.APPROVE)
    ops.review_version(version, committee[2], decision=ReviewDecision.APPROVE)
    ops.publish_version(version, author)
    assert version.status == VersionStatus.PUBLISHED and version.current is True
    steps = [(t.from_status, t.to_status) for t in db.session.scalars(
        sa.select(VersionTransition).where(VersionTransition.version_id == version.id).order_by(VersionTransition.id))]
    assert steps == [(None, "draft"), ("draft", "under_review"), ("under_review", "draft"),
                     ("draft", "under_review"), ("under_review", "published")]
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "syllabus.published")) == 1


def test_required_approvals_is_configurable(app, make_user, committee):
    author = make_user("author", Role.INSTRUCTOR)
    version = new_draft(author)
    ops.submit_for_review(version, author)
    ops.review_version(version, committee[0], decision=ReviewDecision.APPROVE)
    app.config["SYLLABUS_REQUIRED_APPROVALS"] = 1
    try:
        ops.publish_version(version, author)
    finally:
        app.config["SYLLABUS_REQUIRED_APPROVALS"] = 2
    assert version.current is True


def test_only_committee_members_review(make_user, committee):
    author = make_user("author", Role.INSTRUCTOR)
    version = new_draft(author)
    ops.submit_for_review(version, author)
    with pytest.raises(ops.SyllabusError, match="committee"):
        ops.review_version(version, author, decision=ReviewDecision.APPROVE)


def test_publishing_retires_the_previous_version_and_keeps_one_current(make_user, committee):
    author = make_user("author", Role.INSTRUCTOR)
    first = new_draft(author)
    publish(first, committee, author)
    second = ops.create_version(author, title="Second")
    assert sorted(u.code for u in second.units) == ["A", "A.1"]  # copied from the current version
    assert second.units[1].parent.code == "A" and second.units[1].parent.version_id == second.id
    publish(second, committee, author)
    assert first.status == VersionStatus.RETIRED and first.current is None and first.retired_at is not None
    assert db.session.scalars(sa.select(SyllabusVersion).where(SyllabusVersion.current.is_(True))).all() == [second]
    assert first.units and first.units[0].code == "A"  # the retired version stays readable


def test_only_drafts_change(make_user, committee):
    author = make_user("author", Role.INSTRUCTOR)
    version = new_draft(author)
    ops.submit_for_review(version, author)
    with pytest.raises(ops.SyllabusError):
        ops.add_unit(version, author, **unit_values("B"))
    with pytest.raises(ops.SyllabusError):
        ops.remove_unit(version.units[0], author)


def test_unit_rules(make_user):
    author = make_user("author", Role.INSTRUCTOR)
    version = new_draft(author)
    with pytest.raises(ops.SyllabusError, match="already used"):
        ops.add_unit(version, author, **unit_values("A.1"))
    with pytest.raises(ops.SyllabusError, match="Hours"):
        ops.add_unit(version, author, **unit_values("B", theory_hours=Decimal(-1)))
    unit = version.units[1]
    with pytest.raises(ops.SyllabusError):  # a unit inside a unit: the tree is module -> unit
        ops.add_unit(version, author, parent=unit, **unit_values("C"))
    assert version.total_hours == Decimal(2)
    assert version.units[0].total_hours == Decimal(2)


def test_diff_lists_added_removed_and_changed_units(make_user, committee):
    author = make_user("author", Role.INSTRUCTOR)
    first = new_draft(author, codes=("A", "A.1", "A.2"))
    publish(first, committee, author)
    second = ops.create_version(author, title="Second")
    by_code = {u.code: u for u in second.units}
    ops.remove_unit(by_code["A.2"], author)
    ops.update_unit(by_code["A.1"], author, parent=by_code["A"], **unit_values("A.1", practice_hours=Decimal(3)))
    ops.add_unit(second, author, parent=by_code["A"], **unit_values("A.3"))
    diff = queries.diff_versions(first, second)
    assert [u.code for u in diff["added"]] == ["A.3"]
    assert [u.code for u in diff["removed"]] == ["A.2"]
    assert [(u.code, [f[0] for f in fields]) for u, fields in diff["changed"]] == [("A.1", ["practice_hours"])]


def test_courses_keep_their_version_when_a_new_one_is_published(make_user, committee, make_course):
    author = make_user("author", Role.INSTRUCTOR)
    course = make_course()
    first = course.syllabus_version
    second = ops.create_version(author, title="Second")
    publish(second, committee, author)
    db.session.expire_all()
    assert course.syllabus_version_id == first.id and first.status == VersionStatus.RETIRED
    assert {u.code for u in course.units} == {"M1.1", "M1.2"} and all(u.version_id == first.id for u in course.units)
