"""A person at the browser: each demo role logs in, sees its navigation, switches language."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

DEMO_ROLES = ("admin", "hr", "instructor", "trainee", "dispatcher", "department", "viewer")


@pytest.fixture
def demo_city(live_app):
    result = live_app.test_cli_runner().invoke(args=["academy", "demo"])
    assert result.exit_code == 0, result.output
    return live_app.config["DEMO_PASSWORD"]


# What each demo role finds in the menu, in English: written out by hand, as a person checks it.
REGISTRY_READ = ["Coverage", "Grids", "Grid workers", "Areas", "Departments"]
EXPECTED_NAV = {
    "admin": [*REGISTRY_READ, "Import", "Activation letters", "My cases", "Supervision board", "Patrols and visits", "Performance",
              "Syllabus", "Courses", "Mandatory training", "Training statistics", "Trainer pool", "Exams",
              "Question bank", "Expert committee", "Certificates", "Users", "Audit log", "Case categories", "Assessment schemes"],
    "hr": [*REGISTRY_READ, "Import", "Activation letters", "Performance", "Syllabus", "Courses", "Mandatory training",
           "Training statistics", "Trainer pool", "Certificates"],
    "instructor": ["Syllabus", "Courses", "Trainer pool", "Exams", "Question bank"],
    "trainee": ["My worker record", "My cases", "Patrols and visits", "Performance", "Syllabus", "Courses",
                "My training", "Exams", "My certificates"],
    "dispatcher": ["My cases", "Supervision board", "Syllabus", "Courses"],
    "department": ["My cases", "Performance", "Syllabus", "Courses"],
    "viewer": [*REGISTRY_READ, "My cases", "Supervision board", "Performance", "Syllabus", "Courses",
               "Training statistics"],
}


def _log_in(page, base: str, username: str, password: str) -> None:
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_each_demo_role_sees_its_own_navigation(live_app, live_server, demo_city, browser, username):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    page = context.new_page()
    _log_in(page, live_server, username, demo_city)
    shown = [text.strip() for text in page.locator("[data-testid=nav] a").all_inner_texts()]
    assert shown == EXPECTED_NAV[username]
    context.close()


def test_language_switch_to_english_and_back(live_server, demo_city, page):
    _log_in(page, live_server, "hr", demo_city)
    assert page.locator("[data-testid=logout]").inner_text() == "退出登录"
    page.click(".navbar-toggler")  # a phone: the menu is folded
    with page.expect_navigation():
        page.select_option("[data-testid=language]", "en")
    assert page.locator("[data-testid=logout]").inner_text() == "Log out"
    page.click(".navbar-toggler")
    with page.expect_navigation():
        page.select_option("[data-testid=language]", "zh_CN")
    assert page.locator("[data-testid=logout]").inner_text() == "退出登录"


def test_trainee_cannot_open_an_admin_page(live_server, demo_city, page):
    _log_in(page, live_server, "trainee", demo_city)
    response = page.goto(f"{live_server}/admin/users")
    assert response.status == 403
    assert page.locator("[data-testid=error-page]").is_visible()


def test_pages_fit_a_360px_phone(live_server, demo_city, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    page = context.new_page()
    _log_in(page, live_server, "admin", demo_city)
    for path in ("/", "/account", "/admin/users", "/admin/audit"):
        page.goto(f"{live_server}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than the phone"
    context.close()
