"""The structured editors in a browser: the scheme's sum of weights follows the rows as they are typed,
the question form shows only the answer fields of the chosen type, and a numerical answer's tolerance
is edited on a phone."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from academy.accounts.models import User
from academy.accounts.operations import create_user, grant_role
from academy.extensions import db
from academy.indicators.operations import ensure_scheme
from academy.permissions import Role
from courses.exams.grading import QuestionType
from courses.exams.models import Question
from courses.exams.operations.bank import create_question
from tests.support import PASSWORD, log_in_page

pytestmark = pytest.mark.browser


@pytest.fixture
def people(live_app):
    with live_app.app_context():
        for name, role in (("edadmin", Role.ADMIN), ("edteacher", Role.INSTRUCTOR)):
            user = create_user(name, PASSWORD, by=None)
            grant_role(user, role, by=None)
            user.locale = "en"
        ensure_scheme()
        db.session.commit()


def test_the_sum_of_weights_follows_the_rows(live_server, people, page):
    log_in_page(page, live_server, "edadmin")
    page.goto(f"{live_server}/indicators/schemes")
    total = page.locator(".js-scheme-sum")
    expect(total).to_have_text("100")
    page.fill("#rows-0-weight", "20")  # the standard scheme's first row weighs 30
    expect(total).to_have_text("90")
    expect(page.get_by_text("The weights must add up to 100.")).to_be_visible()
    page.select_option("#rows-5-indicator", "closure_rate")
    page.fill("#rows-5-weight", "10")
    expect(total).to_have_text("100")
    expect(page.get_by_text("The weights must add up to 100.")).to_be_hidden()
    expect(page.locator("#rows-6-indicator")).to_be_hidden()  # spare rows wait behind the button
    page.get_by_role("button", name="Add an indicator").click()
    expect(page.locator("#rows-6-indicator")).to_be_focused()


def test_the_question_form_shows_the_chosen_types_fields(live_server, people, page):
    log_in_page(page, live_server, "edteacher")
    page.goto(f"{live_server}/exams/bank/new")
    page.select_option("#type", "multiple")
    expect(page.locator("#option_a")).to_be_visible()
    expect(page.locator("input[name=multiple_correct]").first).to_be_visible()
    expect(page.locator("input[name=single_correct]").first).to_be_hidden()
    expect(page.locator("#pair_rows-0-item")).to_be_hidden()
    page.select_option("#type", "matching")
    expect(page.locator("#pair_rows-0-item")).to_be_visible()
    expect(page.locator("#option_a")).to_be_hidden()
    expect(page.locator("#answer")).to_be_hidden()
    page.select_option("#type", "true_false")
    page.check("input[name=true_false][value=F]")
    page.fill("#stem", "网格员每月巡查一次即可。")
    page.click("#submit")
    expect(page).not_to_have_url(re.compile(r"/new$"))
    expect(page.locator(".alert-success")).to_be_visible()


def test_a_numerical_questions_tolerance_is_edited_on_a_phone(live_app, live_server, people, page):
    with live_app.app_context():
        teacher = db.session.scalar(sa.select(User).where(User.username == "edteacher"))
        question = create_question(teacher, type=QuestionType.NUMERICAL, title="", stem="格兰特生于哪一年？", options=[],
                                   correct=[{"value": "1822", "tolerance": "0"}, {"min": "1800", "max": "1850"}],
                                   weights=["100", "25"], answer_feedback=["", "年代对了"], units=[], explanation="", difficulty="medium")
        db.session.commit()
        question_id = question.id
    page.set_viewport_size({"width": 360, "height": 800})
    log_in_page(page, live_server, "edteacher")
    page.goto(f"{live_server}/exams/bank/{question_id}/edit")
    tolerance = page.get_by_label("Tolerance (±)").first
    expect(tolerance).to_have_value("0")
    expect(page.locator("#numeric_rows-1-low")).to_have_value("1800")  # the range is a row too, not text
    expect(page.locator("#numeric_rows-1-weight")).to_be_visible()  # its weight is given: the fold is open
    expect(page.locator("#answer")).to_have_value("")
    tolerance.fill("2")
    page.get_by_role("button", name="Save question").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page.get_by_text("1822 ± 2")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    with live_app.app_context():
        saved = db.session.scalar(sa.select(Question).where(Question.family_id == question_id, Question.latest))
        assert saved.correct == [{"value": "1822", "tolerance": "2"}, {"min": "1800", "max": "1850"}]
        assert saved.weights == ["100", "25"] and saved.answer_feedback == ["", "年代对了"]
