"""HR enrols two workers in a programme through the counting confirmation; one completes the first
course (recorded through the operations); HR sees him on the second course and the other still on
the first (issue 19, "Programmes")."""
from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from academy.accounts.models import User
from academy.accounts.operations import create_user, grant_role
from academy.extensions import db
from academy.permissions import Role
from academy.registry.models import Worker
from courses.enrollment import operations as enrollment_ops
from courses.enrollment.models import Course
from courses.enrollment.queries import enrollment_of
from courses.programmes import operations
from courses.programmes.models import ProgrammeGoal
from tests.fixtures.courses import create_course
from tests.fixtures.registry import create_worker, get_or_create_area
from tests.support import PASSWORD, log_in_page

pytestmark = pytest.mark.browser


@pytest.fixture
def world(live_app):
    with live_app.app_context():
        first, second = create_course(code="GA-PRE-1"), create_course(code="GA-PRE-2")
        first.title, second.title = "岗前培训", "调解专题"
        programme = operations.save_programme(None, None, code="GP-PRE", title="新录用网格员岗前培训项目",
                                              goal=ProgrammeGoal.PRE_SERVICE, description="", courses=[first, second])
        get_or_create_area("320102001", "玄武街道")
        workers = [create_worker("320102001", name=name) for name in ("王芳", "李明")]
        hr = create_user("hrp", PASSWORD, by=None)
        grant_role(hr, Role.HR, by=None, area_code="320102", area_label="玄武区")
        for user in db.session.scalars(sa.select(User)):
            user.locale = "en"
        db.session.commit()
        return programme.id, first.id, [w.id for w in workers]


def test_hr_enrols_two_workers_and_sees_one_move_on_to_course_two(live_app, live_server, world, page):
    programme_id, first_id, worker_ids = world
    log_in_page(page, live_server, "hrp")
    page.goto(f"{live_server}/programmes/{programme_id}")
    page.locator("[data-testid=programme-enrol] summary").click()
    page.select_option("select[name=area_code]", "320102001")
    page.click("[data-testid=programme-enrol-submit]")
    dialog = page.locator("[data-testid=confirm-dialog]")
    # The count arrives from the server after the dialog opens ("Counting…" first).
    expect(dialog.locator("[data-testid=confirm-count]")).to_contain_text("Enrol 2 grid workers in the programme")
    dialog.locator("[data-testid=confirm-ok]").click()
    page.wait_for_selector("text=2 enrolled in the programme")
    rows = page.locator("[data-testid=place]")
    assert rows.count() == 2 and all("1. 岗前培训" in rows.nth(i).inner_text() for i in range(2))

    with live_app.app_context():
        enrollment = enrollment_of(db.session.get(Course, first_id), db.session.get(Worker, worker_ids[0]))
        enrollment_ops.record_result(enrollment, None, passed=True, note="classroom only")
        db.session.commit()

    page.goto(f"{live_server}/programmes/{programme_id}")
    text = {rows.nth(i).locator("td").first.inner_text(): rows.nth(i).inner_text() for i in range(rows.count())}
    wang = next(v for k, v in text.items() if "王芳" in k)
    li = next(v for k, v in text.items() if "李明" in k)
    assert "2. 调解专题" in wang and "Enrolled" in wang
    assert "1. 岗前培训" in li and "调解专题" in li  # still on course 1; course 2 is his next
    toggle = page.locator("[data-testid=filters-toggle]")
    if toggle.is_visible():  # on a phone the filters open behind one button
        toggle.click()
    page.select_option("select[name=position]", "1")
    page.locator("[data-testid=filters] button[type=submit]").click()
    page.wait_for_url("**position=1**")
    page.wait_for_selector("[data-testid=places-total]")
    assert page.locator("[data-testid=place]").count() == 1 and "王芳" in page.locator("[data-testid=place]").inner_text()
