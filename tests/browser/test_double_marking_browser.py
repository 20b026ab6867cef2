"""Double marking from the keyboard on a phone-sized screen: a first mark saved with Enter, a blind
second mark saved with Ctrl+Enter from the feedback box, then the reconciliation of marks too far apart."""
from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from academy.accounts.models import User
from academy.accounts.operations import create_user, grant_role
from academy.extensions import db
from academy.permissions import Role
from courses.exams.grading import QuestionType as T
from courses.exams.models import AttemptItem, AttemptState, ResultRelease
from courses.exams.operations import attempts as ops
from tests.fixtures.courses import create_course
from tests.fixtures.exams import create_exam, create_taker
from tests.support import PASSWORD, log_in_page

pytestmark = pytest.mark.browser


@pytest.fixture
def marked_exam(live_app):
    with live_app.app_context():
        teachers = []
        for name in ("first", "second", "third"):
            teacher = create_user(name, PASSWORD, by=None)
            grant_role(teacher, Role.INSTRUCTOR, by=None)
            teachers.append(teacher)
        course = create_course(instructors=teachers)
        exam = create_exam(course, rules=((T.ESSAY, 1, "10"),), release=ResultRelease.MANUAL, double_marking=True,
                           double_marking_tolerance=Decimal("2"))
        user, worker = create_taker(course)
        attempt = ops.start_attempt(exam, worker, user)
        ops.save_answers(attempt, user, 1, {attempt.items[0].id: "先倾听双方，再依法调解。"})
        ops.close_attempt(attempt, user)
        for person in db.session.scalars(sa.select(User)):
            person.locale = "en"
        db.session.commit()
        return exam.id, attempt.items[0].id


def test_two_blind_marks_and_a_reconciliation_from_the_keyboard(live_app, live_server, marked_exam, browser):
    exam_id, item_id = marked_exam
    pages = {}
    for name in ("first", "second", "third"):
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en")
        pages[name] = context.new_page()
        pages[name].set_default_timeout(15000)
        log_in_page(pages[name], live_server, name)

    first = pages["first"]
    first.goto(f"{live_server}/exams/{exam_id}/grading")
    first.click("[data-testid=queue-item][data-stage=first]")
    expect(first.locator("[data-testid=points]")).to_be_focused()  # the page opens on the points box
    first.keyboard.type("2")
    first.keyboard.press("Enter")
    first.wait_for_selector("[data-testid=waiting-item]")

    second = pages["second"]
    second.goto(f"{live_server}/exams/{exam_id}/grading")
    second.click("[data-testid=queue-item][data-stage=second]")
    expect(second.locator("[data-testid=points]")).to_be_focused()
    assert "Second mark" in second.locator("[data-testid=mark-stage]").inner_text()
    assert second.locator("[data-testid=my-mark]").count() == 0
    second.keyboard.type("9")
    second.keyboard.press("Tab")
    second.keyboard.type("Complete and lawful.")
    second.keyboard.press("Control+Enter")
    second.wait_for_selector("[data-testid=reconcile-item]")

    third = pages["third"]
    third.goto(f"{live_server}/exams/{exam_id}/grading")
    third.click("[data-testid=reconcile-item]")
    expect(third.locator("[data-testid=points]")).to_be_focused()
    assert third.locator("[data-testid=mark-points]").all_inner_texts() == ["2.00", "9.00"]
    third.fill("[data-testid=points]", "7")
    third.keyboard.press("Enter")
    third.wait_for_selector(".alert-success")
    with live_app.app_context():
        item = db.session.get(AttemptItem, item_id)
        assert item.earned == Decimal("7.00") and item.attempt.state is AttemptState.GRADED
    for page in pages.values():
        page.context.close()
