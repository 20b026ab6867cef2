"""A trainee answers a numerical and a matching question on a phone, reloads and finds both answers
and the matches' order as they were; an instructor previews Moodle's GIFT examples before importing.
Screenshots at 360 and 1440 px in both languages go to test-artifacts/questions/."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from academy.accounts.models import User
from academy.accounts.operations import create_user, grant_role
from academy.extensions import db
from academy.permissions import Role
from courses.exams.grading import QuestionType as T
from courses.exams.models import Attempt
from tests.courses.exams.test_gift_moodle import EXAMPLES
from tests.fixtures.courses import create_course
from tests.fixtures.exams import create_exam, create_taker
from tests.support import PASSWORD, log_in_page

pytestmark = pytest.mark.browser
WIDTHS = (360, 1440)


def _set_locale(live_app, locale: str) -> None:
    with live_app.app_context():
        for user in db.session.scalars(sa.select(User)):
            user.locale = locale
        db.session.commit()


def _shots(page, live_app, folder, name: str) -> None:
    for locale in ("zh_CN", "en"):
        _set_locale(live_app, locale)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.reload()
            page.screenshot(path=str(folder / f"{name}-{locale}-{width}.png"), full_page=True)
            overflow = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
            assert not overflow, f"{name} overflows at {width} px ({locale})"


@pytest.fixture
def folder(artifacts_dir):
    path = artifacts_dir / "questions"
    path.mkdir(exist_ok=True)
    return path


def test_numerical_and_matching_answers_survive_a_reload(live_app, live_server, page, folder):
    with live_app.app_context():
        course = create_course()
        exam = create_exam(course, rules=((T.MATCHING, 1, "3"), (T.NUMERICAL, 1, "4")), shuffle_questions=False)
        create_taker(course, username="matcher")
        db.session.commit()
        exam_id = exam.id
    _set_locale(live_app, "zh_CN")
    log_in_page(page, live_server, "matcher")
    page.goto(f"{live_server}/exams/{exam_id}")
    page.click("[data-testid=start-exam]")
    page.wait_for_url(re.compile(r".*/attempts/\d+$"))
    first = page.locator("[data-testid=match-1-1] option").all_inner_texts()
    page.locator("[data-testid=match-1-1]").select_option(label="津")
    page.locator("[data-testid=match-1-2]").select_option(label="京")
    page.click("[data-testid=goto-2]")
    page.locator("[data-testid=number-2]").fill("1822.5")
    page.click("[data-testid=goto-1]")  # a change of question saves
    expect(page.locator("[data-testid=save-status]")).to_contain_text(re.compile(r"\d:\d\d"))
    page.reload()
    assert page.locator("[data-testid=match-1-1] option").all_inner_texts() == first  # the same order
    assert page.locator("[data-testid=match-1-1] option:checked").inner_text() == "津"
    assert page.locator("[data-testid=match-1-2] option:checked").inner_text() == "京"
    with live_app.app_context():
        attempt = db.session.scalars(sa.select(Attempt)).one()
        assert [i.response for i in attempt.items][1] == "1822.5"
    _shots(page, live_app, folder, "exam-matching")
    page.click("[data-testid=goto-2]")
    _shots(page, live_app, folder, "exam-numerical")


def test_the_import_preview_shows_each_question_before_anything_is_written(live_app, live_server, page, folder):
    with live_app.app_context():
        teacher = create_user("previewer", PASSWORD, by=None)
        grant_role(teacher, Role.INSTRUCTOR, by=None)
        db.session.commit()
    _set_locale(live_app, "zh_CN")
    log_in_page(page, live_server, "previewer")
    page.goto(f"{live_server}/exams/bank/import")
    page.set_input_files("input[type=file]", str(EXAMPLES))
    page.click("input[name=submit]")
    page.wait_for_selector("[data-testid=preview-question]")
    assert page.locator("[data-testid=preview-question]").count() == 43
    assert not page.locator("input[name=confirm-activate]").is_checked()
    for locale in ("zh_CN", "en"):  # the preview is a POST answer: it is drawn again in each language
        _set_locale(live_app, locale)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(f"{live_server}/exams/bank/import")
            page.set_input_files("input[type=file]", str(EXAMPLES))
            page.click("input[name=submit]")
            page.wait_for_selector("[data-testid=preview-question]")
            page.screenshot(path=str(folder / f"import-preview-{locale}-{width}.png"), full_page=True)
    page.click("[data-testid=confirm-import]")
    page.wait_for_url(re.compile(r".*/exams/bank$"))
