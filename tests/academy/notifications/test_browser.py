"""The journey of issue 21 in Chromium against a live server: HR assigns mandatory training on
/training/mandatory; the recruit, on his phone, sees the unread badge, opens the inbox and follows
the message to the course."""
from __future__ import annotations

import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from academy.accounts.operations import create_user, grant_role
from academy.extensions import db
from academy.permissions import Role
from academy.registry.models import WorkerStatus
from tests.fixtures.courses import create_course
from tests.fixtures.registry import create_worker
from tests.support import PASSWORD

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def server(live_app):
    live_app.config["WTF_CSRF_SSL_STRICT"] = False
    srv = make_server("127.0.0.1", 0, live_app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()
    thread.join(timeout=10)


def _world(app) -> int:
    with app.app_context():
        recruit = create_user("recruit", PASSWORD, by=None, display_name="Zhao Lei")
        grant_role(recruit, Role.TRAINEE, by=None)
        recruit.locale = "zh_CN"
        hr = create_user("hrdesk", PASSWORD, by=None, display_name="HR desk")
        grant_role(hr, Role.HR, by=None, area_code="320102", area_label="320102")
        create_worker("320102", user=recruit, status=WorkerStatus.RECRUITED, name="Zhao Lei")
        course = create_course(code="PRE-1", self_enrol=False)
        course.title = "岗前基础"
        db.session.commit()
        course_id = course.id
        db.session.remove()
        return course_id


def _log_in(page, base, username):
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("main input[type=submit]")
    page.wait_for_url(f"{base}/")


def test_hr_assigns_mandatory_training_and_the_recruit_follows_the_message_to_the_course(
        server, browser, live_app, artifacts_dir):
    course_id = _world(live_app)
    hr_page = browser.new_page(viewport={"width": 1440, "height": 900}, locale="en-US")
    _log_in(hr_page, server, "hrdesk")
    hr_page.goto(f"{server}/training/mandatory")
    hr_page.select_option("select[name=area_code]", "320102")
    hr_page.select_option("select[name=status]", "recruited")
    hr_page.select_option("select[name=course_id]", str(course_id))
    hr_page.fill("input[name=due_days_after_hire]", "30")
    hr_page.click("[data-testid=mandatory-submit]")
    dialog = hr_page.locator("[data-testid=confirm-dialog]")
    hr_page.wait_for_function("() => /\\d/.test(document.querySelector('[data-testid=confirm-count]').textContent)")
    dialog.locator("[data-testid=confirm-ok]").click()
    hr_page.wait_for_selector("text=assigned to 1 workers", timeout=10000)

    page = browser.new_page(viewport=PHONE, locale="zh-CN")
    _log_in(page, server, "recruit")
    assert page.inner_text("[data-testid=unread-badge]") == "1"
    page.click("[data-testid=inbox-bell]")
    page.wait_for_url(f"{server}/inbox")
    message = page.locator("[data-testid=message]")
    assert message.count() == 1
    assert "必修培训：岗前基础" in message.inner_text() and "未读" in message.inner_text()
    page.screenshot(path=str(artifacts_dir / "notifications-inbox-phone.png"), full_page=True)
    page.click("[data-testid=message-link]")
    page.wait_for_url(f"{server}/courses/{course_id}")
    assert "岗前基础" in page.inner_text("h1")
    assert page.locator("[data-testid=unread-badge]").count() == 0  # read on the way


def test_a_worker_on_his_phone_chooses_a_daily_digest(server, browser, live_app):
    with live_app.app_context():
        worker = create_user("digester", PASSWORD, by=None, display_name="Qian Li")
        grant_role(worker, Role.TRAINEE, by=None)
        worker.locale = "zh_CN"
        db.session.commit()
        db.session.remove()
    page = browser.new_page(viewport=PHONE, locale="zh-CN")
    _log_in(page, server, "digester")
    page.goto(f"{server}/inbox/preferences")
    page.get_by_test_id("digest-hour").select_option("18")
    page.get_by_test_id("save").click()
    expect(page.locator(".alert-success")).to_contain_text("通知设置已保存。")
    expect(page.get_by_test_id("digest-hour")).to_have_value("18")
    expect(page.get_by_test_id("digest-hour").locator("option:checked")).to_have_text("每日 18:00 汇总发送")
    page.close()
