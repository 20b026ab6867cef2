"""Syllabus pages: drafts, units through the form (with bad input), review, diff, branches, demo."""
from __future__ import annotations

import sqlalchemy as sa

from academy.extensions import db
from academy.permissions import Role
from citydata.demo import syllabus as syllabus_demo
from courses.syllabus import operations as ops
from courses.syllabus.models import Branch, SyllabusUnit, SyllabusVersion, VersionStatus
from tests.support import log_in, post_form


def test_instructor_builds_a_draft_and_committee_sends_it_back(client, make_user):
    make_user("teacher", Role.INSTRUCTOR)
    expert = make_user("expert", Role.VIEWER)
    ops.add_committee_member(expert, None)
    log_in(client, "teacher")
    response = post_form(client, "/syllabus/versions", {"title": "2026 syllabus", "notes": ""}, token_from="/syllabus")
    assert response.status_code == 302
    version = db.session.scalar(sa.select(SyllabusVersion))
    response = post_form(client, f"/syllabus/versions/{version.id}/units/new",
                         {"code": "M1", "title": "Policy", "parent_id": "0", "theory_hours": "2", "practice_hours": "0",
                          "position": "0"}, token_from="/syllabus")
    assert response.status_code == 302
    response = post_form(client, f"/syllabus/versions/{version.id}/submit", token_from="/syllabus")
    assert response.status_code == 302
    other = client.application.test_client()
    log_in(other, "expert")
    response = post_form(other, f"/syllabus/versions/{version.id}/review", {"decision": "send_back", "comment": "More practice"},
                         token_from="/syllabus")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(SyllabusVersion, version.id).status == VersionStatus.DRAFT
    assert "More practice" in client.get(f"/syllabus/versions/{version.id}").get_data(as_text=True)


def test_bad_unit_input_changes_nothing(client, make_user):
    author = make_user("teacher", Role.INSTRUCTOR)
    version = ops.create_version(author, title="Draft")
    log_in(client, "teacher")
    bad = [
        {"code": "<script>", "title": "x", "parent_id": "0", "theory_hours": "1", "practice_hours": "0"},
        {"code": "M1", "title": "x" * 201, "parent_id": "0", "theory_hours": "1", "practice_hours": "0"},
        {"code": "M1", "title": "x", "parent_id": "0", "theory_hours": "-3", "practice_hours": "0"},
        {"code": "M1", "title": "x", "parent_id": "0", "theory_hours": "abc", "practice_hours": "0"},
        {"code": "M1", "title": "x", "parent_id": "999999", "theory_hours": "1", "practice_hours": "0"},
    ]
    for data in bad:
        response = post_form(client, f"/syllabus/versions/{version.id}/units/new", data, token_from="/syllabus")
        assert response.status_code == 400, data
    assert db.session.scalar(sa.select(sa.func.count(SyllabusUnit.id))) == 0


def test_publish_without_approvals_is_refused(client, make_user):
    author = make_user("teacher", Role.INSTRUCTOR)
    version = ops.create_version(author, title="Draft")
    ops.add_unit(version, author, code="M1", title="x", objectives="", theory_hours=1, practice_hours=0,
                 assessment_standard="", case_categories=[], position=0)
    ops.submit_for_review(version, author)
    log_in(client, "teacher")
    response = post_form(client, f"/syllabus/versions/{version.id}/publish", token_from="/syllabus")
    assert response.status_code == 409
    assert "approvals" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(SyllabusVersion, version.id).status == VersionStatus.UNDER_REVIEW


def test_trainees_do_not_see_drafts(client, make_user):
    author = make_user("teacher", Role.INSTRUCTOR)
    make_user("learner", Role.TRAINEE)
    version = ops.create_version(author, title="Secret draft")
    log_in(client, "learner")
    assert client.get(f"/syllabus/versions/{version.id}").status_code == 404
    assert "Secret draft" not in client.get("/syllabus").get_data(as_text=True)


def test_diff_page(client, make_user, make_syllabus):
    first = make_syllabus()
    make_user("teacher", Role.INSTRUCTOR)
    second = ops.create_version(None, title="Next")
    ops.remove_unit(next(u for u in second.units if u.code == "M1.2"), None)
    log_in(client, "teacher")
    page = client.get(f"/syllabus/diff?old={first.id}&new={second.id}").get_data(as_text=True)
    assert "M1.2" in page.split('data-testid="removed"')[1].split("</ul>")[0]
    assert client.get("/syllabus/diff?old=abc&new=1").status_code == 404


def test_branch_must_serve_a_district(make_area):
    street = make_area("320102001")
    try:
        ops.create_branch(None, code="X", name="x", area=street)
    except ops.SyllabusError:
        pass
    else:
        raise AssertionError("a branch on a street was accepted")
    assert db.session.scalar(sa.select(sa.func.count(Branch.id))) == 0


def test_demo_builds_the_first_syllabus_without_registry_data(make_user):
    demo = {"users": {"admin": make_user("a1", Role.ADMIN), "instructor": make_user("i1", Role.INSTRUCTOR)}}
    syllabus_demo.create_demo_syllabus(demo)
    version = demo["syllabus"]
    assert version.current is True and version.status == VersionStatus.PUBLISHED
    assert {u.code for u in version.modules} == {"M1", "M2", "M3", "M4", "M5", "M6", "M7"}
    assert all(u.assessment_standard for u in version.units if u.parent_id is not None)
    assert len(demo["branches"]) == 2
