"""Browser journeys at phone size (360 x 740), in Chromium against a live server.

A trainee finds a course, enrols, reads two lessons and sees progress and hours rise; HR assigns
a mandatory course to a district's recruits and sees who is overdue.
"""
from __future__ import annotations

import threading

import pytest
from playwright import sync_api as playwright_api  # noqa: E402
from werkzeug.serving import make_server

from academy.accounts.operations import create_user, grant_role
from academy.extensions import db
from academy.permissions import Role
from academy.registry.models import WorkerStatus
from tests.fixtures.courses import create_course, create_lesson
from tests.fixtures.registry import create_worker
from tests.support import PASSWORD

PHONE = {"width": 360, "height": 740}
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]


@pytest.fixture
def server(live_app):
    live_app.config["WTF_CSRF_SSL_STRICT"] = False
    srv = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()
    thread.join(timeout=10)




def _world(app) -> dict:
    with app.app_context():
        trainee = create_user("learner", PASSWORD, by=None, display_name="Li Lei")
        grant_role(trainee, Role.TRAINEE, by=None)
        hr = create_user("hrdesk", PASSWORD, by=None, display_name="HR desk")
        grant_role(hr, Role.HR, by=None, area_code="320102", area_label="320102")
        create_worker("320102", user=trainee, name="Li Lei")
        recruits = [create_worker("320102", status=WorkerStatus.RECRUITED, name=name) for name in ("Recruit Zhao", "Recruit Qian")]
        create_worker("320104", status=WorkerStatus.RECRUITED, name="Elsewhere Sun")
        course = create_course(code="MEDIATE-1")
        course.title = "Mediation on the street"
        create_lesson(course, title="Listening first", hours="1", body="## Listen\n\nLet both sides speak.")
        create_lesson(course, title="Writing it down", hours="1.5", position=1, body="Record the agreement.")
        mandatory = create_course(code="PRE-1", self_enrol=False)
        mandatory.title = "Pre-service basics"
        db.session.commit()
        ids = {"course": course.id, "mandatory": mandatory.id, "recruits": [r.name for r in recruits]}
        db.session.remove()
        return ids


def _log_in(page, base, username):
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main input[type=submit]")
    page.wait_for_url(f"{base}/")


def test_trainee_enrols_reads_two_lessons_and_sees_progress(server, browser, live_app, artifacts_dir):
    _world(live_app)
    page = browser.new_page(viewport=PHONE, locale="en-US")
    _log_in(page, server, "learner")
    page.goto(f"{server}/courses")
    page.fill("input[name=q]", "Mediation")
    page.press("input[name=q]", "Enter")
    page.click("text=Mediation on the street")
    page.click("[data-testid=enrol]")
    assert "Enrolled" in page.inner_text("[data-testid=enrollment-state]")
    page.click("text=Listening first")
    assert "0" == page.inner_text(".js-course-percent")
    page.click("[data-testid=mark-done]")
    assert page.inner_text(".js-course-percent") == "50"
    assert page.inner_text(".js-course-hours") == "1.0"
    page.click("[data-testid=next-lesson]")
    page.click("[data-testid=mark-done]")
    assert page.inner_text(".js-course-percent") == "100"
    assert page.inner_text(".js-course-hours") == "2.5"
    page.goto(f"{server}/")
    # The home says it once: the card of the courses he studies, no second list of them below.
    assert "100%" in page.inner_text("[data-testid=next-step][data-step='lessons.next']")
    assert page.locator("[data-testid=home-training]").count() == 0
    assert page.locator("[data-testid=home-certificates]").count() == 0
    assert "Next to study" not in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1  # no sideways scrolling
    page.screenshot(path=str(artifacts_dir / "courses-trainee-phone.png"), full_page=True)


def test_hr_assigns_mandatory_course_to_recruits_and_sees_who_is_overdue(server, browser, live_app, artifacts_dir):
    ids = _world(live_app)
    page = browser.new_page(viewport=PHONE, locale="en-US")
    _log_in(page, server, "hrdesk")
    page.goto(f"{server}/training/mandatory")
    page.select_option("select[name=area_code]", "320102")
    page.select_option("select[name=status]", "recruited")
    page.select_option("select[name=course_id]", str(ids["mandatory"]))
    page.fill("input[name=due_days_after_hire]", "30")  # hired in 2024: long overdue
    page.click("[data-testid=mandatory-submit]")
    dialog = page.locator("[data-testid=confirm-dialog]")
    page.wait_for_function("() => /\\d/.test(document.querySelector('[data-testid=confirm-count]').textContent)")
    assert "2" in dialog.inner_text()  # the server counts whom the rule names before anything is made
    dialog.locator("[data-testid=confirm-ok]").click()
    page.wait_for_selector("text=assigned to 2 workers", timeout=10000)
    page.click("text=Overdue training")
    table = page.inner_text("[data-testid=overdue]")
    for name in ids["recruits"]:
        assert name in table
    assert "Elsewhere Sun" not in table and "Li Lei" not in table
    page.screenshot(path=str(artifacts_dir / "courses-hr-overdue-phone.png"), full_page=True)


def test_timed_lesson_completes_from_the_page_heartbeat(server, browser, live_app):
    from courses.enrollment.operations import request_enrollment
    from courses.lessons.models import Completion

    with live_app.app_context():
        user = create_user("reader", PASSWORD, by=None)
        grant_role(user, Role.TRAINEE, by=None)
        course = create_course()
        create_lesson(course, title="Timed reading", completion=Completion.TIME, min_seconds=0, hours="0.5")
        request_enrollment(course, create_worker(user=user), None)
        db.session.commit()
        db.session.remove()
    live_app.config["LESSON_HEARTBEAT_MS"] = 300
    try:
        page = browser.new_page(viewport=PHONE, locale="en-US")
        _log_in(page, server, "reader")
        page.goto(f"{server}/")
        page.click("text=Continue: Timed reading")
        playwright_api.expect(page.locator(".js-course-percent")).to_have_text("100", timeout=15000)
        assert page.inner_text(".js-lesson-status") == "Completed"
        assert page.inner_text(".js-course-hours") == "0.5"
    finally:
        live_app.config["LESSON_HEARTBEAT_MS"] = 30000


def _assignments(app) -> int:
    import sqlalchemy as sa

    from courses.enrollment.models import MandatoryRule, TrainingAssignment

    with app.app_context():
        counts = (db.session.scalar(sa.select(sa.func.count()).select_from(TrainingAssignment)),
                  db.session.scalar(sa.select(sa.func.count()).select_from(MandatoryRule)))
        db.session.remove()
        return counts


def test_without_javascript_hr_confirms_a_bulk_assignment_on_the_confirmation_page(server, browser, live_app):
    """No script, no dialog: the first POST answers the confirmation page with the server's count and
    changes nothing; going back changes nothing; its button posts the same fields with confirmed=1."""
    ids = _world(live_app)
    context = browser.new_context(viewport=PHONE, locale="en-US", java_script_enabled=False)
    page = context.new_page()
    _log_in(page, server, "hrdesk")

    def fill_and_submit():
        page.goto(f"{server}/training/mandatory")
        page.select_option("select[name=area_code]", "320102")
        page.select_option("select[name=status]", "recruited")
        page.select_option("select[name=course_id]", str(ids["mandatory"]))
        page.fill("input[name=due_days_after_hire]", "30")
        page.click("[data-testid=mandatory-submit]")

    fill_and_submit()
    assert "to 2 grid workers" in page.inner_text("[data-testid=confirm-page-count]")  # said before anything is done
    assert _assignments(live_app) == (0, 0)
    page.click("[data-testid=confirm-page-back]")
    assert page.url == f"{server}/training/mandatory"
    assert _assignments(live_app) == (0, 0)  # going back changed nothing

    fill_and_submit()
    page.click("[data-testid=confirm-page-ok]")
    assert "assigned to 2 workers" in page.inner_text("main")
    assert _assignments(live_app) == (2, 1)
    context.close()


def test_without_javascript_a_withdrawal_waits_for_its_box_to_be_ticked(server, browser, live_app):
    """No script, no dialog: a single destructive action shows its question as a required box; the
    browser sends nothing until it is ticked (templates/_confirm.html)."""
    _world(live_app)
    context = browser.new_context(viewport=PHONE, locale="en-US", java_script_enabled=False)
    page = context.new_page()
    _log_in(page, server, "learner")
    page.goto(f"{server}/courses")
    page.click("text=Mediation on the street")
    course_url = page.url
    page.click("[data-testid=enrol]")
    state = page.locator("[data-testid=enrollment-state]")
    assert "Enrolled" in state.inner_text()
    withdraw = page.locator("form", has=page.locator("button", has_text="Withdraw"))
    box = withdraw.locator("input[type=checkbox][required]")
    assert "Withdraw from Mediation on the street?" in withdraw.inner_text()
    withdraw.locator("button", has_text="Withdraw").click()
    assert page.url == course_url and "Enrolled" in state.inner_text()  # not sent: the box is not ticked
    assert box.evaluate("box => box.validity.valueMissing")
    box.check()
    withdraw.locator("button", has_text="Withdraw").click()
    page.wait_for_load_state()
    assert "Withdrawn." in page.inner_text("main") and page.locator("[data-testid=enrol]").count() == 1
    context.close()
