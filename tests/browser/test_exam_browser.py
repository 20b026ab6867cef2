"""A trainee sits an exam on a phone: answers half, reloads, goes offline for a moment, submits;
the instructor grades the essay in the queue and releases; the trainee sees the result."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from academy.accounts.models import User
from academy.accounts.operations import create_user, grant_role
from academy.extensions import db
from academy.permissions import Role
from courses.exams.grading import QuestionType as T
from courses.exams.models import Attempt, AttemptState, ResultRelease
from tests.fixtures.courses import create_course
from tests.fixtures.exams import create_exam, create_taker
from tests.support import PASSWORD, log_in_page

pytestmark = pytest.mark.browser


@pytest.fixture
def sitting(live_app):
    with live_app.app_context():
        teacher = create_user("teacher", PASSWORD, by=None)
        grant_role(teacher, Role.INSTRUCTOR, by=None)
        course = create_course(instructors=[teacher])
        exam = create_exam(course, rules=((T.TRUE_FALSE, 4, "5"), (T.ESSAY, 1, "10")), release=ResultRelease.MANUAL)
        create_taker(course, username="sitter")
        for user in db.session.scalars(sa.select(User)):
            user.locale = "en"
        db.session.commit()
        return exam.id


ESSAY = "先倾听双方，再依法调解，最后回访。"


def _answer(page, n: int, kind: str) -> None:
    page.click(f"[data-testid=goto-{n}]")
    if kind == "true_false":
        page.locator(f"[data-testid=question-{n}] input[value=T]").check()
    else:
        page.locator(f"[data-testid=question-{n}] textarea").fill(ESSAY)


def test_trainee_sits_exam_offline_moment_and_sees_released_result(live_app, live_server, sitting, page, browser):
    exam_id = sitting
    log_in_page(page, live_server, "sitter")
    page.goto(f"{live_server}/exams/{exam_id}")
    page.click("[data-testid=start-exam]")
    page.wait_for_url(re.compile(r".*/attempts/\d+$"))
    attempt_url = page.url
    status = page.locator("[data-testid=save-status]")
    assert re.match(r"\d+:\d\d", page.locator("[data-testid=timer]").inner_text())

    kinds = page.locator(".js-question").evaluate_all("els => els.map(e => e.getAttribute('data-type'))")
    order = list(enumerate(kinds, start=1))
    first_half, second_half = order[:2], order[2:]
    for n, kind in first_half:
        _answer(page, n, kind)
    page.click("[data-testid=goto-3]")  # changing question saves
    expect(status).to_contain_text("Saved at")
    assert re.search(r"Saved at \d\d:\d\d:\d\d", status.inner_text())
    with live_app.app_context():  # the first half is on the server, not only in the page
        saved = db.session.scalars(sa.select(Attempt).where(Attempt.exam_id == exam_id)).one().items
        assert sum(1 for item in saved if item.response) == 2

    page.reload()
    for n, kind in first_half:
        page.click(f"[data-testid=goto-{n}]")
        if kind == "true_false":
            assert page.locator(f"[data-testid=question-{n}] input[value=T]").is_checked()
        else:
            assert page.locator(f"[data-testid=question-{n}] textarea").input_value() == ESSAY

    page.context.set_offline(True)
    for n, kind in second_half:
        _answer(page, n, kind)
    page.click("[data-testid=prev]")
    expect(status).to_contain_text("Not saved")
    page.context.set_offline(False)
    expect(status).to_contain_text("Saved at", timeout=20000)
    page.click("[data-testid=submit-exam]")
    page.click("[data-testid=handin-ok]")
    page.wait_for_selector("[data-testid=result-pending]")

    with live_app.app_context():
        attempt = db.session.scalars(sa.select(Attempt).where(Attempt.exam_id == exam_id)).one()
        assert attempt.state is AttemptState.SUBMITTED
        assert all(item.response for item in attempt.items)  # every answer reached the server
        attempt_id = attempt.id

    teacher = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US")
    grader = teacher.new_page()
    grader.set_default_timeout(15000)
    log_in_page(grader, live_server, "teacher")
    grader.goto(f"{live_server}/exams/{exam_id}/grading")
    grader.click("[data-testid=queue-item]")
    assert "先倾听双方" in grader.locator("[data-testid=essay-answer]").inner_text()
    grader.fill("[data-testid=points]", "8")
    grader.click("[data-testid=save-mark]")
    grader.wait_for_selector("[data-testid=queue-empty]")
    grader.goto(f"{live_server}/exams/{exam_id}/results")
    grader.click("[data-testid=release]")
    dialog = grader.locator("[data-testid=confirm-dialog]")  # says how many the release shows, as the page counted
    assert "1 graded attempt not yet released" in dialog.inner_text()
    dialog.locator("[data-testid=confirm-ok]").click()
    grader.wait_for_selector(".alert-success")
    teacher.close()

    page.goto(attempt_url)
    assert page.locator("[data-testid=score]").inner_text() == "28.00"
    assert "Passed" in page.locator("[data-testid=passed]").inner_text()
    with live_app.app_context():
        assert db.session.get(Attempt, attempt_id).released_at is not None


def _seconds(timer: str) -> int:
    minutes, seconds = timer.split(":")
    return int(minutes) * 60 + int(seconds)


def test_browser_closed_mid_exam_then_resumed(live_app, live_server, sitting, browser):
    """The whole browser goes (cookies, page and local storage with it): a new one, a new log-in,
    and the attempt resumes with every saved answer and the server's time left."""
    exam_id = sitting
    phone = {"viewport": {"width": 390, "height": 844}, "locale": "en-US"}
    first = browser.new_context(**phone)
    page = first.new_page()
    page.set_default_timeout(15000)
    log_in_page(page, live_server, "sitter")
    page.goto(f"{live_server}/exams/{exam_id}")
    page.click("[data-testid=start-exam]")
    page.wait_for_url(re.compile(r".*/attempts/\d+$"))
    attempt_id = int(page.url.rsplit("/", 1)[1])
    kinds = page.locator(".js-question").evaluate_all("els => els.map(e => e.getAttribute('data-type'))")
    order = list(enumerate(kinds, start=1))
    answered, rest = order[:3], order[3:]
    for n, kind in answered:
        _answer(page, n, kind)
    page.click("[data-testid=goto-4]")  # changing question saves
    expect(page.locator("[data-testid=save-status]")).to_contain_text("Saved at")
    # and the page has nothing left unsent (it keeps what is unsaved in local storage until acknowledged)
    page.wait_for_function(f"localStorage.getItem('exam-{attempt_id}-pending') === '{{}}'")
    left_before = _seconds(page.locator("[data-testid=timer]").inner_text())
    first.close()

    with live_app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert sum(1 for item in attempt.items if item.response) == 3
        # The trainee comes back five minutes later, by the server's clock: its deadline is that much nearer.
        attempt.deadline_at -= timedelta(minutes=5)
        db.session.commit()

    second = browser.new_context(**phone)
    page = second.new_page()
    page.set_default_timeout(15000)
    log_in_page(page, live_server, "sitter")
    page.goto(f"{live_server}/exams/{exam_id}")
    page.click("[data-testid=resume]")
    page.wait_for_url(f"{live_server}/attempts/{attempt_id}")
    left_after = _seconds(page.locator("[data-testid=timer]").inner_text())
    assert 0 < left_after <= left_before - 300, (left_before, left_after)  # the server's time left, not the old page's
    for n, kind in answered:
        page.click(f"[data-testid=goto-{n}]")
        if kind == "true_false":
            assert page.locator(f"[data-testid=question-{n}] input[value=T]").is_checked()
        else:
            assert page.locator(f"[data-testid=question-{n}] textarea").input_value() == ESSAY
    for n, kind in rest:
        _answer(page, n, kind)
    page.click("[data-testid=submit-exam]")
    page.click("[data-testid=handin-ok]")
    page.wait_for_selector("[data-testid=result-pending]")
    second.close()

    with live_app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.state is AttemptState.SUBMITTED  # the essay waits for the instructor
        assert all(item.response for item in attempt.items)
        assert [t.to_state for t in attempt.transitions] == [AttemptState.IN_PROGRESS, AttemptState.SUBMITTED]
        assert db.session.scalar(sa.select(sa.func.count(Attempt.id)).where(Attempt.exam_id == exam_id)) == 1
