"""A person at the browser: each demo role logs in and finds its navigation grouped by domain, the
current page marked and the numbers of what waits; the shell fits a desk screen in both languages,
works from the keyboard, switches language; an instructor reaches his grading queue in one click."""
from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from academy.accounts.operations import create_user, grant_role
from academy.extensions import db
from academy.permissions import Role
from courses.exams.grading import QuestionType as T
from courses.exams.operations import attempts as ops
from tests.fixtures.courses import create_course
from tests.fixtures.exams import create_exam, create_taker
from tests.support import PASSWORD, log_in_page

pytestmark = pytest.mark.browser

DEMO_ROLES = ("admin", "hr", "instructor", "trainee", "dispatcher", "department", "viewer")


@pytest.fixture
def demo_city(live_app):
    result = live_app.test_cli_runner().invoke(args=["academy", "demo"])
    assert result.exit_code == 0, result.output
    return live_app.config["DEMO_PASSWORD"]


# What each demo role finds in the menu, in English, group by group: written out by hand, as a person checks it.
REGISTRY_READ = ["Coverage", "Grids", "Grid workers", "Areas", "Departments"]
EXPECTED_NAV = {
    "admin": {"Teaching": ["Syllabus", "Courses", "Programmes", "Mandatory training", "Annual in-service hours",
                           "Training statistics", "Trainer pool", "Expert committee"],
              "Exams": ["Exams", "Question bank"], "Certificates": ["Certificates"],
              "Grid": [*REGISTRY_READ, "Import", "Activation letters"],
              "Cases": ["My cases", "Supervision board", "Patrols and visits", "Case categories"],
              "Performance": ["Performance", "Assessment schemes"],
              "System": ["Messages", "Users", "Audit log", "Verification keys", "Background jobs",
                         "Notification deliveries"]},
    "hr": {"Teaching": ["Syllabus", "Courses", "Programmes", "Mandatory training", "Annual in-service hours",
                        "Training statistics", "Trainer pool"],
           "Certificates": ["Certificates"], "Grid": [*REGISTRY_READ, "Import", "Activation letters"],
           "Performance": ["Performance"], "System": ["Messages", "Background jobs"]},
    "instructor": {"Teaching": ["Syllabus", "Courses", "Programmes", "Trainer pool"], "Exams": ["Exams", "Question bank"],
                   "System": ["Messages"]},
    "dispatcher": {"Teaching": ["Syllabus", "Courses"], "Cases": ["My cases", "Supervision board"], "System": ["Messages"]},
    "department": {"Teaching": ["Syllabus", "Courses"], "Cases": ["My cases"], "Performance": ["Performance"],
                   "System": ["Messages"]},
    "viewer": {"Teaching": ["Syllabus", "Courses", "Training statistics"], "Grid": REGISTRY_READ,
               "Cases": ["My cases", "Supervision board"], "Performance": ["Performance"], "System": ["Messages"]},
}
# The trainee keeps a plain top navigation on a desk, in the same order; his own pages without a tab sit
# in the account menu (as under "me" on a phone) and the bell opens his messages, so it fits one line.
TRAINEE_NAV = ["Syllabus", "Courses", "My training", "Exams", "My cases", "Patrols and visits", "Performance"]
TRAINEE_ACCOUNT_MENU = ["My worker record", "My certificates"]


def _log_in(page, base: str, username: str, password: str) -> None:
    log_in_page(page, base, username, password)


def _labels(locator) -> list[str]:
    return [text.strip() for text in locator.all_inner_texts()]


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_each_demo_role_sees_its_own_navigation(live_app, live_server, demo_city, browser, username):
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="en-US")
    page = context.new_page()
    _log_in(page, live_server, username, demo_city)
    if username == "trainee":
        assert page.locator("[data-testid=sidebar]").count() == 0
        assert _labels(page.locator("[data-testid=nav] [data-testid=nav-label]:visible")) == TRAINEE_NAV
        page.click("[data-testid=account-menu]")
        assert _labels(page.locator("[data-testid=account-link]")) == TRAINEE_ACCOUNT_MENU
    else:
        groups = page.locator("[data-testid=nav-group]")
        shown = {groups.nth(n).locator("h2").inner_text().strip(): _labels(groups.nth(n).locator("[data-testid=nav-label]"))
                 for n in range(groups.count())}
        assert shown == EXPECTED_NAV[username]
        assert list(shown) == list(EXPECTED_NAV[username])  # the groups' order too
    context.close()


def _on_screen(page, selector: str) -> None:
    box = page.locator(selector).bounding_box()
    viewport = page.viewport_size
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], f"{selector} is off screen: {box}"
    assert box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"], f"{selector} is off screen: {box}"


@pytest.mark.parametrize("width", (1280, 1440))
def test_admins_shell_fits_a_desk_screen_in_both_languages(live_server, demo_city, browser, width):
    for locale in ("zh-CN", "en-US"):
        context = browser.new_context(viewport={"width": width, "height": 800}, locale=locale)
        page = context.new_page()
        _log_in(page, live_server, "admin", demo_city)
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        expect(page.locator("[data-testid=sidebar]")).to_be_visible()
        # No entry wraps a character per line: each label is at least two characters of its font wide,
        # and no taller than two lines.
        for box in page.locator("[data-testid=nav-label]").evaluate_all(
                "els => els.map(e => { const r = e.getBoundingClientRect(), s = getComputedStyle(e);"
                " return {text: e.textContent, w: r.width, h: r.height, size: parseFloat(s.fontSize),"
                " line: parseFloat(s.lineHeight) || parseFloat(s.fontSize) * 1.4}; })"):
            assert box["w"] >= 2 * box["size"], box
            assert box["h"] <= 2.2 * box["line"], box
        _on_screen(page, "[data-testid=language]")
        _on_screen(page, "[data-testid=account-menu]")
        page.click("[data-testid=account-menu]")
        _on_screen(page, "[data-testid=logout]")
        context.close()


@pytest.mark.parametrize("width", (1280, 1440))
def test_trainees_top_navigation_fits_one_line_in_both_languages(live_server, demo_city, browser, width):
    for locale in ("zh-CN", "en-US"):
        context = browser.new_context(viewport={"width": width, "height": 800}, locale=locale)
        page = context.new_page()
        _log_in(page, live_server, "trainee", demo_city)
        page.select_option("[data-testid=language]", "zh_CN" if locale == "zh-CN" else "en")
        page.wait_for_load_state()
        labels = page.locator("[data-testid=nav] [data-testid=nav-label]:visible")
        expect(labels).to_have_count(len(TRAINEE_NAV))
        tops = {round(box["y"]) for box in labels.evaluate_all("els => els.map(e => e.getBoundingClientRect().toJSON())")}
        assert len(tops) == 1, f"the navigation wraps onto {len(tops)} lines at {width} px ({locale})"
        brand = page.locator("[data-testid=brand]")
        assert brand.evaluate("e => e.scrollWidth <= e.clientWidth"), "the academy's name is cut"
        assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
        _on_screen(page, "[data-testid=account-menu]")
        context.close()


def test_skip_link_and_the_current_page_from_the_keyboard(live_server, demo_city, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    page = context.new_page()
    _log_in(page, live_server, "instructor", demo_city)
    page.goto(f"{live_server}/exams")
    page.keyboard.press("Tab")
    skip = page.locator("[data-testid=skip-link]")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    assert skip.bounding_box()["y"] >= 0  # shown on screen once focused
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop lies inside the page, past the navigation
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")
    current = page.locator("[data-testid=sidebar] [aria-current=page]")
    expect(current).to_have_count(1)
    assert current.inner_text().strip() == "Exams"
    page.goto(f"{live_server}/exams/bank")
    assert page.locator("[data-testid=sidebar] [aria-current=page]").inner_text().strip() == "Question bank"
    context.close()


def test_a_nav_count_equals_the_homes_and_its_list(live_server, demo_city, browser):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    page = context.new_page()
    _log_in(page, live_server, "dispatcher", demo_city)
    card = page.locator("[data-testid=work][data-count='cases.to_accept']")
    on_home = int(card.locator("[data-testid=work-number]").inner_text())
    badge = page.locator("[data-testid=nav-badge][data-count='cases.to_accept']")
    assert on_home > 0 and int(re.match(r"\d+", badge.inner_text()).group()) == on_home
    card.locator("a.work-main").click()
    page.wait_for_url(re.compile(r"/cases/board\?state=reported"))
    links = page.locator("main a").evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert len({href for href in links if re.fullmatch(r"/cases/\d+", href or "")}) == on_home
    assert page.locator("[data-testid=sidebar] [aria-current=page]").inner_text().startswith("督办看板")
    context.close()


def test_language_switch_to_english_and_back(live_server, demo_city, page):
    _log_in(page, live_server, "hr", demo_city)
    page.click("[data-testid=account-menu]")
    assert page.locator("[data-testid=logout]").inner_text().strip() == "退出登录"
    with page.expect_navigation():
        page.select_option("[data-testid=language]", "en")  # on a phone too, the switch is on the top bar
    page.click("[data-testid=account-menu]")
    assert page.locator("[data-testid=logout]").inner_text().strip() == "Log out"
    with page.expect_navigation():
        page.select_option("[data-testid=language]", "zh_CN")
    page.click("[data-testid=account-menu]")
    assert page.locator("[data-testid=logout]").inner_text().strip() == "退出登录"


def test_staff_menu_is_a_drawer_on_a_phone(live_server, demo_city, page):
    _log_in(page, live_server, "hr", demo_city)
    drawer_link = page.locator("[data-testid=sidebar] a", has_text="证书")
    expect(drawer_link).to_be_hidden()
    page.click("[data-testid=menu-button]")
    expect(drawer_link).to_be_visible()
    drawer_link.click()
    page.wait_for_url(re.compile(r"/certificates$"))


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


@pytest.fixture
def essays_waiting(live_app):
    """An instructor whose exam has two essays handed in, waiting for his marks."""
    with live_app.app_context():
        teacher = create_user("teacher", PASSWORD, by=None)
        grant_role(teacher, Role.INSTRUCTOR, by=None)
        exam = create_exam(create_course(instructors=[teacher]), rules=((T.ESSAY, 1, "10"),))
        for _ in range(2):
            user, worker = create_taker(exam.course)
            attempt = ops.start_attempt(exam, worker, user)
            ops.save_answers(attempt, user, 1, {attempt.items[0].id: "先倾听双方，再依法调解。"})
            ops.close_attempt(attempt, user)
        db.session.commit()
        return exam.id


@pytest.mark.parametrize("viewport", ({"width": 1366, "height": 800}, {"width": 390, "height": 844}),
                         ids=("desktop", "phone"))
def test_instructor_reaches_the_grading_queue_in_one_click(live_server, essays_waiting, browser, viewport):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    _log_in(page, live_server, "teacher", PASSWORD)
    card = page.locator("[data-testid=work][data-count='exams.essays']")
    expect(card.locator("[data-testid=work-number]")).to_have_text("2")
    card.locator("a.work-main").click()
    page.wait_for_url(f"{live_server}/exams/{essays_waiting}/grading")
    expect(page.locator("[data-testid=queue-item]")).to_have_count(2)
    context.close()
