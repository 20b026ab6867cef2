"""On a 360 px phone in Chinese a grid worker puts his photo on his record from "my record"; HR of
his district sees it on the worker page at the desk, in English, and removes it after a confirmation."""
from __future__ import annotations

import pytest
from playwright.sync_api import expect

from academy.accounts.operations import create_user, grant_role
from academy.extensions import db
from academy.permissions import Role
from tests.fixtures.registry import create_worker, photo_bytes
from tests.support import PASSWORD, log_in_page

pytestmark = pytest.mark.browser


@pytest.fixture
def worker_id(live_app):
    with live_app.app_context():
        user = create_user("wangfang", PASSWORD, by=None)
        grant_role(user, Role.TRAINEE, by=None)
        hr = create_user("hr-photo", PASSWORD, by=None)
        grant_role(hr, Role.HR, by=None, area_code="320102", area_label="玄武区")
        worker = create_worker("320102", user=user, name="王芳")
        db.session.commit()
        return worker.id


def shoot(page, artifacts_dir, name: str) -> None:
    page.screenshot(path=str(artifacts_dir / f"worker-photo-{name}.png"), full_page=True)


def test_a_worker_uploads_his_photo_on_a_phone_and_hr_removes_it(browser, live_server, worker_id, tmp_path,
                                                                  artifacts_dir):
    photo = tmp_path / "自拍.png"
    photo.write_bytes(photo_bytes((1200, 1600), "PNG"))
    phone = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN", has_touch=True,
                                is_mobile=True).new_page()
    phone.set_default_timeout(20000)
    log_in_page(phone, live_server, "wangfang")
    phone.goto(f"{live_server}/registry/me")
    block = phone.locator("[data-testid=worker-photo]")
    expect(block).to_contain_text("暂无照片")
    shoot(phone, artifacts_dir, "zh-360-empty")
    block.locator("input[type=file]").set_input_files(str(photo))
    block.get_by_role("button", name="上传照片").click()
    expect(phone.locator(".alert-success")).to_contain_text("照片已保存")
    image = phone.locator("[data-testid=worker-photo] img")
    expect(image).to_be_visible()
    assert phone.evaluate("document.querySelector('[data-testid=worker-photo] img').naturalWidth") == 450
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scroll
    shoot(phone, artifacts_dir, "zh-360")
    phone.set_viewport_size({"width": 1440, "height": 900})
    shoot(phone, artifacts_dir, "zh-1440")

    desk = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US").new_page()
    desk.set_default_timeout(20000)
    log_in_page(desk, live_server, "hr-photo")
    desk.goto(f"{live_server}/registry/workers/{worker_id}")
    expect(desk.locator("[data-testid=worker-photo] img")).to_be_visible()
    shoot(desk, artifacts_dir, "en-1440")
    desk.set_viewport_size({"width": 360, "height": 740})
    assert desk.evaluate("document.documentElement.scrollWidth") <= 360
    shoot(desk, artifacts_dir, "en-360")
    desk.once("dialog", lambda dialog: dialog.accept())
    desk.get_by_role("button", name="Remove the photo").click()
    expect(desk.locator(".alert-success")).to_contain_text("Photo removed.")
    expect(desk.locator("[data-testid=worker-photo]")).to_contain_text("No photo")
