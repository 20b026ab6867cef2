"""A trainee studies the course's lesson from his home's card, then sits its exam on a 360 px touch phone
in Chinese: the navigator marks answered and flagged
questions (a flag survives a reload), the page offers no way out but the hand-in, the clock warns at 5
and at 1 minute, the hand-in names the unanswered questions and jumps to them, the result says an
essay waits for a person, and once graded and released marks each answer right, partly right or wrong."""
from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from academy.accounts.models import User
from academy.accounts.operations import create_user, grant_role
from academy.database import utcnow
from academy.extensions import db
from academy.permissions import Role
from courses.exams.grading import QuestionType as T
from courses.exams.models import Attempt, AttemptState, Exam, ResultRelease
from courses.exams.operations import attempts, release_results
from tests.fixtures.courses import create_course, create_lesson
from tests.fixtures.exams import create_exam, create_taker
from tests.support import PASSWORD, log_in_page

pytestmark = pytest.mark.browser
PHONE = {"viewport": {"width": 360, "height": 740}, "locale": "zh-CN", "is_mobile": True, "has_touch": True}
ESSAY = "先倾听双方，再依法调解，最后回访。"


@pytest.fixture
def phone_exam(live_app):
    """Three true/false questions and an essay; results released by the instructor; a trainee in Chinese."""
    with live_app.app_context():
        teacher = create_user("teacher", PASSWORD, by=None)
        grant_role(teacher, Role.INSTRUCTOR, by=None)
        course = create_course(instructors=[teacher])
        exam = create_exam(course, rules=((T.TRUE_FALSE, 3, "5"), (T.ESSAY, 1, "10")), release=ResultRelease.MANUAL,
                           show_answers=True)
        create_lesson(course, title="调解的四个步骤", body="先倾听，再调解，后回访。")
        create_taker(course, username="sitter")
        for user in db.session.scalars(sa.select(User)):
            user.locale = "zh_CN"
        db.session.commit()
        return exam.id


def _fits_the_phone(page) -> None:
    """No sideways scroll at 360 px, and every navigator button and the hand-in at least 44 px."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    for box in page.locator(".js-goto, [data-testid=submit-exam], .js-flag:visible").evaluate_all(
            "els => els.map(e => e.getBoundingClientRect()).map(r => [r.width, r.height])"):
        assert min(box) >= 44, box


def _set_deadline(live_app, attempt_id: int, seconds: int) -> None:
    with live_app.app_context():
        db.session.get(Attempt, attempt_id).deadline_at = utcnow() + timedelta(seconds=seconds)
        db.session.commit()


def _answer(page, n: int, kind: str, choice: str = "T") -> None:
    page.tap(f"[data-testid=goto-{n}]")
    if kind == "true_false":
        page.locator(f"[data-testid=question-{n}] input[value={choice}]").tap()
    else:
        page.locator(f"[data-testid=question-{n}] textarea").fill(ESSAY)


def _study_the_lesson(page) -> None:
    """From the home's card "continue" to the lesson, read, marked done: the course is half done."""
    card = page.locator("[data-testid=next-step][data-step='lessons.next']")
    expect(card).to_contain_text("0%")
    card.locator("[data-testid=next-action]").tap()
    expect(page.locator("h1")).to_contain_text("调解的四个步骤")
    page.tap("[data-testid=mark-done]")
    expect(page.locator(".js-course-percent")).not_to_have_text("0")


def _start(page, live_server, exam_id: int, study: bool = False) -> tuple[int, list[str]]:
    log_in_page(page, live_server, "sitter")
    if study:
        _study_the_lesson(page)
    page.goto(f"{live_server}/exams/{exam_id}")
    assert page.locator("[data-testid=tabbar]").count() == 1  # the phone's tabs, until the attempt starts
    page.tap("[data-testid=start-exam]")
    page.wait_for_url(re.compile(r".*/attempts/\d+$"))
    kinds = page.locator(".js-question").evaluate_all("els => els.map(e => e.getAttribute('data-type'))")
    return int(page.url.rsplit("/", 1)[1]), kinds


def _no_way_out_but_asking(page, attempt_url: str) -> None:
    """The shell's navigation is gone; the brand link and the log-out ask first; staying keeps the attempt."""
    assert page.locator("[data-testid=nav]").count() == 0 and page.locator("[data-testid=breadcrumbs]").count() == 0
    assert page.locator("[data-testid=tabbar]").count() == 0
    asked = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.tap("[data-testid=brand]")
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.tap("[data-testid=account-menu]")
    page.tap("[data-testid=logout]")  # logging out asks too
    assert len(asked) == 2 and all("离开考试" in message for message in asked)
    assert page.url == attempt_url
    page.keyboard.press("Escape")


def _clock_warns(page, live_app, attempt_id: int) -> None:
    """At 5 minutes and at 1 minute left a warning shows, in a live region a screen reader announces."""
    warning = page.locator("[data-testid=time-warning]")
    expect(warning).to_be_hidden()
    for seconds, words in ((290, "还剩 5 分钟"), (55, "还剩 1 分钟")):
        _set_deadline(live_app, attempt_id, seconds)
        page.reload()
        expect(warning).to_contain_text(words)
        assert warning.get_attribute("aria-live") == "assertive"
    _set_deadline(live_app, attempt_id, 20 * 60)
    page.reload()
    expect(warning).to_be_hidden()


def _flag_and_reload(page, live_app, attempt_id: int) -> None:
    """Question 1 answered, question 2 flagged: the navigator says so, and so it is after a reload."""
    page.tap("[data-testid=goto-2]")
    page.tap("[data-testid=flag-2]")
    expect(page.locator("[data-testid=flag-2]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-testid=save-status]")).to_contain_text("保存")
    for _ in range(100):  # the page keeps an unsent flag in local storage until the server has it
        if page.evaluate(f"localStorage.getItem('exam-{attempt_id}-flags')") == "":
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError("the flag was never acknowledged by the server")
    page.reload()
    expect(page.locator("[data-testid=goto-1]")).to_have_attribute("data-state", "answered")
    expect(page.locator("[data-testid=goto-2]")).to_have_attribute("data-state", "unanswered flagged")
    assert "已标记待复查" in page.locator("[data-testid=goto-2]").get_attribute("aria-label")
    with live_app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.flagged == [attempt.items[1].id]


def _told_what_is_unanswered(page) -> None:
    """The hand-in asks, naming the unanswered questions and the flagged one; a number jumps to it."""
    page.tap("[data-testid=submit-exam]")
    dialog = page.locator("[data-testid=handin-dialog]")
    expect(dialog).to_be_visible()
    assert "共 4 题，还有 3 题未答" in dialog.locator("[data-testid=handin-summary]").inner_text()
    assert dialog.locator("[data-testid=handin-unanswered] a").all_inner_texts() == ["2", "3", "4"]
    assert dialog.locator("[data-testid=handin-flagged] a").all_inner_texts() == ["2"]
    dialog.locator("[data-testid=handin-unanswered] a", has_text="3").tap()
    expect(dialog).to_be_hidden()
    expect(page.locator("[data-testid=question-3]")).to_be_visible()


def test_trainee_hands_in_on_a_phone_told_what_is_unanswered_and_sees_the_marked_result(
        live_app, live_server, phone_exam, browser):
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(15000)
    attempt_id, kinds = _start(page, live_server, phone_exam, study=True)
    _no_way_out_but_asking(page, page.url)
    _fits_the_phone(page)
    tf = [n for n, kind in enumerate(kinds, start=1) if kind == "true_false"]
    essay = kinds.index("essay") + 1
    choice = {n: "F" if n == tf[-1] else "T" for n in range(1, 5)}  # the last true/false question answered wrong
    _answer(page, 1, kinds[0], choice[1])
    _flag_and_reload(page, live_app, attempt_id)
    _clock_warns(page, live_app, attempt_id)
    _told_what_is_unanswered(page)
    for n in range(2, 5):
        _answer(page, n, kinds[n - 1], choice[n])
    page.tap("[data-testid=submit-exam]")
    dialog = page.locator("[data-testid=handin-dialog]")
    assert "全部 4 题均已作答" in dialog.inner_text()
    expect(dialog.locator("[data-testid=handin-unanswered]")).to_be_hidden()
    page.context.set_offline(True)  # in a stairwell: the hand-in waits, and says why
    dialog.locator("[data-testid=handin-ok]").tap()
    expect(dialog.locator("[data-testid=handin-summary]")).to_contain_text("未交卷")
    page.context.set_offline(False)
    dialog.locator("[data-testid=handin-ok]").tap()
    expect(page.locator("[data-testid=essay-pending]")).to_contain_text("1 道简答题待阅卷老师人工评分")
    assert page.locator("[data-testid=score]").count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    _grade_and_release(live_app, attempt_id)
    page.reload()
    expect(page.locator("[data-testid=score]")).to_have_text("16.00")
    _marked(page, {**{n: ("right", "正确") for n in tf[:-1]}, tf[-1]: ("wrong", "错误"), essay: ("partly", "部分正确")})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    context.close()


def _grade_and_release(live_app, attempt_id: int) -> None:
    """The instructor marks the essay 6 of 10 and releases the results (the operations his pages call)."""
    with live_app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.state is AttemptState.SUBMITTED
        teacher = db.session.scalars(sa.select(User).where(User.username == "teacher")).one()
        essay = next(item for item in attempt.items if item.needs_grading)
        attempts.grade_item(essay, teacher, points=Decimal("6"), feedback="调解步骤完整，回访未写具体。")
        assert release_results(db.session.get(Exam, attempt.exam_id), teacher) == 1
        db.session.commit()


def _marked(page, expected: dict) -> None:
    """Each answer says right / partly right / wrong in words, with its own colour (not colour alone)."""
    colours = set()
    for n, (mark, word) in expected.items():
        badge = page.locator(f"[data-testid=mark-{n}]")
        expect(badge).to_have_attribute("data-mark", mark)
        assert badge.inner_text().strip() == word
        colours.add(badge.evaluate("e => getComputedStyle(e).backgroundColor"))
        assert word in page.locator(f"[data-testid=summary-{n}]").get_attribute("aria-label")
    assert len(colours) == 3
