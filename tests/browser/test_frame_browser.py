"""The trainee's phone as an app (issue 18): on a 360 x 740 touch screen he finds the tab bar, the
home's next lesson and follows it; the site installs from a valid manifest whose icons load; and
once visited, a page asked for without a network is the offline page, not the browser's error."""
from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from academy.accounts.operations import create_user, grant_role
from academy.extensions import db
from academy.permissions import Role
from tests.fixtures.courses import create_course, create_lesson
from tests.fixtures.exams import create_taker
from tests.support import PASSWORD, log_in_page

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 360, "height": 740}, "has_touch": True, "is_mobile": True}


@pytest.fixture
def learner(live_app):
    """A trainee on duty studying a course of two lessons; the first lesson's id."""
    with live_app.app_context():
        user = create_user("tabby", PASSWORD, by=None, display_name="Tab Bei")
        grant_role(user, Role.TRAINEE, by=None)
        course = create_course()
        course.title = "Mediation on the street"
        first = create_lesson(course, title="Listening first", position=1)
        create_lesson(course, title="Writing it down", position=2)
        create_taker(course, user=user)
        db.session.commit()
        lesson_id = first.id
        db.session.remove()
    return lesson_id


def test_a_trainee_on_a_phone_uses_the_tab_bar_and_follows_his_next_lesson(live_server, browser, learner):
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    log_in_page(page, live_server, "tabby")
    bar = page.locator("[data-testid=tabbar]")
    expect(bar).to_be_visible()
    assert [t.strip() for t in bar.locator(".tabbar-label").all_inner_texts()] == ["首页", "学习", "考试", "事件", "我的"]
    home = bar.locator("[data-testid=tab][aria-current=page]")
    expect(home).to_have_text(re.compile("首页"))
    box = bar.bounding_box()
    assert abs(box["y"] + box["height"] - 740) <= 1 and box["width"] == 360  # along the bottom edge
    for tab in bar.locator("[data-testid=tab]").all():
        assert tab.bounding_box()["height"] >= 44 and tab.bounding_box()["width"] >= 44
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    # The page's end scrolls clear of the bar: the footer's text ends above it.
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    footer = page.locator(".page-footer").bounding_box()
    assert footer["y"] + footer["height"] <= bar.bounding_box()["y"] + 1

    card = page.locator("[data-testid=next-step][data-step='lessons.next']")
    expect(card.locator("[data-testid=next-number]")).to_have_text("1")
    card.locator("[data-testid=next-action]").tap()
    page.wait_for_url(f"{live_server}/lessons/{learner}")
    expect(page.locator("h1")).to_contain_text("Listening first")
    expect(bar.locator("[data-testid=tab][aria-current=page]")).to_have_text(re.compile("学习"))

    bar.locator("[data-endpoint='frame.me']").tap()
    page.wait_for_url(f"{live_server}/me")
    expect(page.locator("[data-testid=me-list]")).to_contain_text("我的证书")
    context.close()


def test_wide_screens_keep_the_top_navigation_without_a_tab_bar(live_server, browser, learner):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="en-US")
    page = context.new_page()
    log_in_page(page, live_server, "tabby")
    expect(page.locator("[data-testid=tabbar]")).to_be_hidden()
    expect(page.locator("[data-testid=nav]")).to_be_visible()
    context.close()


def test_the_manifest_is_valid_and_its_icons_load(live_server, browser, learner):
    context = browser.new_context(locale="en-US", **PHONE)
    page = context.new_page()
    log_in_page(page, live_server, "tabby")
    href = page.locator("link[rel=manifest]").get_attribute("href")
    manifest = json.loads(page.evaluate("href => fetch(href).then(r => r.text())", href))
    assert manifest["name"] == "Grid Academy" and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        # Drawn into the page, each icon has the size the manifest says.
        size = page.evaluate("""src => new Promise((ok, fail) => { const img = new Image();
            img.onload = () => ok(img.naturalWidth + 'x' + img.naturalHeight); img.onerror = fail; img.src = src; })""",
                             icon["src"])
        assert size == icon["sizes"]
    context.close()


def test_offline_after_a_first_visit_shows_the_offline_page(live_server, browser, learner):
    context = browser.new_context(locale="zh-CN", **PHONE)
    page = context.new_page()
    log_in_page(page, live_server, "tabby")
    # The worker installs and takes this page over; the next page load goes through it.
    # (A promise, not a polled string: the CSP forbids eval.)
    # Bounded: a worker that never takes over fails the test instead of hanging the suite.
    taken = page.evaluate("""() => new Promise(done => { setTimeout(() => done(false), 30000);
        navigator.serviceWorker.controller ? done(true)
        : navigator.serviceWorker.addEventListener("controllerchange", () => done(true)); })""")
    if not taken:  # say where it stopped: not registered, installing, waiting, or a file that failed
        state = page.evaluate("""() => navigator.serviceWorker.getRegistration().then(r => r ? JSON.stringify({
            installing: !!r.installing, waiting: !!r.waiting, active: r.active && r.active.state}) : 'none')""")
        offline = page.evaluate("() => fetch('/offline').then(r => r.status, e => String(e))")
        pytest.fail(f"the service worker never took the page over: registration {state}, /offline {offline}")
    page.goto(f"{live_server}/exams")  # online: the server's own page, not a cached one
    expect(page.locator("h1")).not_to_contain_text("离线")

    context.set_offline(True)
    page.goto(f"{live_server}/courses")
    offline = page.locator("[data-testid=offline-page]")
    expect(offline).to_be_visible()
    expect(offline).to_contain_text("当前处于离线状态")
    expect(offline).to_contain_text("You are offline")
    # The shell's stylesheet came from the worker's cache: the page is styled, not bare HTML.
    assert page.evaluate("getComputedStyle(document.querySelector('.offline-retry')).minHeight") == "44px"

    context.set_offline(False)
    page.locator("[data-testid=offline-retry]").tap()
    page.wait_for_url(f"{live_server}/")
    expect(page.locator("[data-testid=next-steps]")).to_be_visible()
    context.close()


def test_a_timed_lesson_counts_down_and_its_hint_goes_once_complete(live_app, live_server, browser):
    from courses.lessons.models import Completion

    with live_app.app_context():
        user = create_user("timer", PASSWORD, by=None)
        grant_role(user, Role.TRAINEE, by=None)
        course = create_course()
        lesson = create_lesson(course, title="Five seconds of reading", completion=Completion.TIME, min_seconds=5)
        create_taker(course, user=user)
        db.session.commit()
        lesson_id = lesson.id
        db.session.remove()
    live_app.config["LESSON_HEARTBEAT_MS"] = 1000
    try:
        context = browser.new_context(locale="en-US", **PHONE)
        page = context.new_page()
        log_in_page(page, live_server, "timer")
        page.goto(f"{live_server}/lessons/{lesson_id}")
        countdown = page.locator("[data-testid=lesson-countdown]")
        expect(countdown).to_have_text("0:05")
        expect(countdown).to_have_text(re.compile(r"0:0[0-3]"), timeout=6000)  # it runs, a second at a time
        expect(page.locator("[data-testid=lesson-timer]")).to_have_count(0, timeout=15000)
        expect(page.locator("[data-testid=lesson-status]")).to_have_text("Completed")
        expect(page.locator("[data-testid=back-to-course]")).to_be_visible()  # the course's last lesson
        context.close()
    finally:
        live_app.config["LESSON_HEARTBEAT_MS"] = 30000
