"""Journeys through the pickers and the confirmation dialog, at desktop and phone size:
HR revokes a certificate (the dialog names it and says the holder goes off duty; cancelling
changes nothing, confirming revokes), and a dispatcher filters the supervision board by a red
light in a street picked with the area picker, by typing and through the area tree, and by the
handler picked by name."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from academy.accounts.models import User
from academy.cases.models import Case
from academy.database import utcnow
from academy.extensions import db
from academy.permissions import Role
from academy.registry.models import WorkerStatus
from courses.certificates import queries as certificate_queries
from courses.certificates.models import Certificate, CertificateStatus
from tests.fixtures.cases import build_world, report
from tests.fixtures.certificates import create_cert_type, final_exam_course, sit_exam, trainee
from tests.fixtures.registry import assign, create_grid, get_or_create_area
from tests.support import log_in_page

pytestmark = pytest.mark.browser
SIZES = {"desktop": {"width": 1440, "height": 900}, "phone": {"width": 360, "height": 780}}


def _context(browser, size: str, locale: str = "zh-CN"):
    context = browser.new_context(viewport=SIZES[size], locale=locale)
    page = context.new_page()
    page.set_default_timeout(15000)
    return context, page


@pytest.fixture
def certified(live_app, make_user):
    with live_app.app_context():
        course, exam = final_exam_course()
        create_cert_type(course=course, prefix="SG")
        user, worker = trainee(course, name="王芳")
        sit_exam(exam, right=5, user=user, worker=worker)
        [certificate] = certificate_queries.certificates_of(worker)
        make_user("hrdesk", Role.HR, area="320102")
        db.session.commit()
        return certificate.id, certificate.number, worker.id


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_hr_revokes_a_certificate_through_the_confirmation(live_app, live_server, browser, certified, size):
    certificate_id, number, worker_id = certified
    context, page = _context(browser, size)
    log_in_page(page, live_server, "hrdesk")
    page.goto(f"{live_server}/certificates/{certificate_id}")
    page.fill("#reason", "考试作弊")
    button = page.locator("[data-testid=revoke]")
    assert "btn-danger" in button.get_attribute("class")  # red, not the form's blue
    button.click()
    dialog = page.locator("[data-testid=confirm-dialog]")
    assert dialog.is_visible()
    assert f"撤销证书 {number}？" in dialog.inner_text()
    assert "持证人 王芳 将离岗" in dialog.inner_text()
    page.screenshot(path=f"/tmp/shots/pickers/revoke-dialog-{size}-zh.png")

    dialog.locator("[data-testid=confirm-cancel]").click()
    assert not dialog.is_visible()
    with live_app.app_context():
        assert db.session.get(Certificate, certificate_id).status == CertificateStatus.VALID

    button.click()
    dialog.locator("[data-testid=confirm-ok]").click()
    page.wait_for_selector("[data-testid=certificate-status]:has-text('已撤销')")
    with live_app.app_context():
        revoked = db.session.get(Certificate, certificate_id)
        assert revoked.status == CertificateStatus.REVOKED and revoked.worker.status != WorkerStatus.ON_DUTY
        assert revoked.transitions[-1].reason == "考试作弊"
    context.close()


@pytest.fixture
def board(live_app, make_user):
    """Two streets of 玄武区, each with a red case; a green case in the first street too."""
    with live_app.app_context():
        get_or_create_area("3201", "南京市")
        get_or_create_area("320102", "玄武区")
        get_or_create_area("320102001", "新街口街道")
        get_or_create_area("320102002", "梅园新村街道")
        get_or_create_area("320102002001", "大行宫社区")
        world = build_world(make_user)
        second_grid = create_grid("320102002001", name="大行宫一网格")
        assign(world.worker, second_grid)
        now = utcnow()
        red_here = report(world, title="新街口红灯事件")
        red_there = report(world, title="大行宫红灯事件", grid=second_grid)
        green_here = report(world, title="新街口绿灯事件")
        for case, due in ((red_here, -1), (red_there, -1), (green_here, 3)):
            case.stage_yellow_at = now + timedelta(days=due - 1)
            case.stage_due_at = now + timedelta(days=due)
            case.stage_red_card_at = now + timedelta(days=due + 5)
        for user in db.session.scalars(sa.select(User)):
            user.locale = "zh_CN"
        db.session.commit()
        assert db.session.get(Case, red_there.id).area_code.startswith("320102002")
        return world


def _filter_board(page, expected_title):
    page.select_option("select[name=light]", "red")
    page.locator("form:has(select[name=light]) button[type=submit]").click()
    page.wait_for_url("**light=red**")
    table = page.locator("[data-testid=case-list]").inner_text()
    assert expected_title in table
    assert set(page.locator("[data-testid=case-list] [data-testid=light]").all_inner_texts()) == {"红灯"}
    return table


def _open_filters(page, size):
    if size == "phone":  # on a phone the filters wait folded behind the one 筛选 button
        page.locator("[data-testid=filters-toggle]").click()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_dispatcher_filters_the_board_by_a_red_light_in_a_picked_street(live_app, live_server, browser, board, size):
    context, page = _context(browser, size)
    log_in_page(page, live_server, "dispatch")
    page.goto(f"{live_server}/cases/board")
    _open_filters(page, size)
    box = page.locator("[data-testid=picker-area] [role=combobox]")
    box.fill("梅园")
    option = page.get_by_role("option", name="梅园新村街道")
    option.wait_for()
    assert box.get_attribute("aria-expanded") == "true"
    page.screenshot(path=f"/tmp/shots/pickers/board-search-{size}-zh.png")
    box.press("ArrowDown")
    assert box.get_attribute("aria-activedescendant")
    box.press("Enter")  # picks; does not submit the form
    assert box.input_value() == "梅园新村街道"
    assert page.locator("input[type=hidden][name=area]").input_value() == "320102002"
    page.screenshot(path=f"/tmp/shots/pickers/board-picked-{size}-zh.png")
    table = _filter_board(page, "大行宫红灯事件")
    assert "area=320102002" in page.url and "新街口" not in table

    # The same through the area tree: 玄武区 › 新街口街道.
    _open_filters(page, size)
    page.locator(".picker-browse").click()
    page.get_by_role("button", name="查看 玄武区 下属区域").click()
    page.locator(".picker-tree-pick[data-code='320102001']").wait_for()
    page.screenshot(path=f"/tmp/shots/pickers/board-tree-open-{size}-zh.png")
    page.locator(".picker-tree-pick[data-code='320102001']").click()
    assert box.input_value() == "新街口街道"
    page.screenshot(path=f"/tmp/shots/pickers/board-tree-{size}-zh.png")
    table = _filter_board(page, "新街口红灯事件")
    assert "大行宫" not in table and "绿灯事件" not in table
    context.close()


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_a_dispatcher_filters_the_board_by_a_handler_picked_by_name(live_app, live_server, browser, make_user, size):
    """The handler filter is a picker like the others: typing part of a name offers the people who may
    hold a case; the one picked filters the board to the cases his department holds."""
    from academy.cases import operations as ops
    from academy.cases.models import Level

    with live_app.app_context():
        world = build_world(make_user)
        world.handler.display_name = "城管张科长"
        world.handler2.display_name = "房管李科长"
        held = report(world, title="城管处置中的事件")
        ops.accept_case(held, world.dispatcher)
        ops.dispatch_case(held, world.dispatcher, ops.Dispatch(Level.DEPARTMENT, [(world.dept, None)]))
        other = report(world, title="房管处置中的事件")
        ops.accept_case(other, world.dispatcher)
        ops.dispatch_case(other, world.dispatcher, ops.Dispatch(Level.DEPARTMENT, [(world.dept2, None)]))
        for user in db.session.scalars(sa.select(User)):
            user.locale = "zh_CN"
        db.session.commit()
    context, page = _context(browser, size)
    log_in_page(page, live_server, "dispatch")
    page.goto(f"{live_server}/cases/board")
    _open_filters(page, size)
    box = page.locator("[data-testid=picker-handler] [role=combobox]")
    assert page.locator("label[for=handler]").inner_text() == "处置人"
    box.fill("科长")
    page.get_by_role("option", name="房管李科长").wait_for()
    assert page.get_by_role("option", name="城管张科长").count() == 1
    page.get_by_role("option", name="城管张科长").click()
    assert box.input_value() == "城管张科长"
    assert page.locator("input[type=hidden][name=handler]").input_value() == "handler"
    page.locator("form:has(select[name=light]) button[type=submit]").click()
    page.wait_for_url("**handler=handler**")
    table = page.locator("[data-testid=case-list]").inner_text()
    assert "城管处置中的事件" in table and "房管处置中的事件" not in table
    chip = page.locator("[data-testid=filter-chips] button")
    expect(chip).to_have_text("处置人：城管张科长×")  # the name, as the picker shows it, not the log-in
    page.screenshot(path=f"/tmp/shots-trainee/board-handler-picked-{size}-zh.png", full_page=True)
    context.close()
