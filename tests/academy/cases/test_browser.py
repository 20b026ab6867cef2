"""A phone-sized browser walks the loop: a worker reports a hazard with a photo, the dispatcher
whistles a department, the department handles it, the worker verifies, the resident's rating is
entered, and the case's timeline runs from green to closed."""
import pytest

from academy.extensions import db
from tests.fixtures.cases import build_world
from tests.support import PASSWORD

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 500
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]




def log_in(browser, base, username):
    page = browser.new_page(viewport=PHONE, locale="en-US")
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def unfold(page, testid):
    """Open a step's fold on the case page (the first one may already be open)."""
    summary = page.locator(f"[data-testid={testid}]")
    if not summary.evaluate("s => s.parentElement.open"):
        summary.click()


def step(page, action):
    unfold(page, f"action-{action}")
    page.click(f"[data-testid=submit-{action}]")
    page.wait_for_load_state()


def test_hazard_from_phone_report_to_rated_closure(live_app, make_user, cases_server, browser, tmp_path, artifacts_dir):
    with live_app.app_context():
        world = build_world(make_user)
        dept_id, dept_name = world.dept.id, world.dept.name
        db.session.commit()
    photo = tmp_path / "hazard.jpg"
    photo.write_bytes(JPEG)

    worker = log_in(browser, cases_server, "worker")
    worker.goto(f"{cases_server}/cases/report")
    worker.fill("input[name=title]", "Gas smell in stairwell")
    worker.fill("textarea[name=description]", "Strong gas smell on the 3rd floor of building 5")
    worker.set_input_files("input[name=photos]", str(photo))
    worker.click("[data-testid=submit-report]")
    worker.wait_for_selector("[data-testid=number]")
    case_url = worker.url
    assert worker.locator("img.img-thumbnail").count() == 1
    assert worker.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1

    dispatcher = log_in(browser, cases_server, "dispatch")
    dispatcher.goto(case_url)
    step(dispatcher, "accept")
    unfold(dispatcher, "action-dispatch")
    dispatcher.select_option("select[name=level]", "department")
    dispatcher.select_option("select[name=departments]", str(dept_id))
    dispatcher.fill(f"input[name=limit_{dept_id}]", "2")
    dispatcher.click("[data-testid=submit-dispatch]")
    assert dept_name in dispatcher.inner_text("[data-testid=task]")

    handler = log_in(browser, cases_server, "handler")
    handler.goto(case_url)
    for action in ("sign", "start"):
        unfold(handler, f"task-{action}")
        handler.click(f"[data-testid=submit-task-{action}]")
    unfold(handler, "task-finish")
    handler.fill("textarea[name=result]", "Valve replaced, gas company checked the pipes")
    handler.click("[data-testid=submit-task-finish]")

    worker.goto(case_url)
    unfold(worker, "action-verify")
    worker.check("input[name=outcome][value=pass]")
    worker.click("[data-testid=submit-verify]")
    assert worker.inner_text("[data-testid=state]") == "Closed"

    dispatcher.goto(case_url)
    unfold(dispatcher, "action-return_visit")
    dispatcher.check("input[name=satisfaction][value=satisfied]")
    dispatcher.fill("textarea[name=comment]", "Quick and polite")
    dispatcher.click("[data-testid=submit-return_visit]")
    assert dispatcher.inner_text("[data-testid=satisfaction]") == "Satisfied"

    timeline = dispatcher.locator("[data-testid=timeline] li")
    actions = timeline.evaluate_all("items => items.map(i => i.dataset.action)")
    assert actions[0] == "submit" and "verify_pass" in actions and actions[-1] == "return_visit"
    lights = dispatcher.locator("[data-testid=timeline] [data-light]").evaluate_all(
        "items => items.map(i => i.dataset.light)")
    assert lights[0] == "green" and set(lights) == {"green"}
    closed = timeline.nth(actions.index("verify_pass"))
    assert "Closed" in closed.inner_text()
    dispatcher.screenshot(path=str(artifacts_dir / "cases-timeline-phone.png"), full_page=True)
