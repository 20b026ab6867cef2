"""The pages issue 20's exchange work touched, as their users see them at a phone's and a desktop's
width in both languages: an administrator gives a category extra fields for civic apps and issues an
integrator's verification key; a dispatcher reads a case's answers and media; HR imports a roster
laid out by hand and reads what was understood. No page scrolls sideways; screenshots go to
``/tmp/shots/open311/`` for a person to look at."""
from __future__ import annotations

import os
from pathlib import Path

import pytest
import sqlalchemy as sa

from academy.accounts.models import User
from academy.accounts.operations import create_user, grant_role
from academy.cases import operations as ops
from academy.cases.models import CategoryField, Channel, FieldType, MediaState
from academy.cases.queries import open311
from academy.extensions import db
from academy.permissions import Role
from academy.registry.views import exchange
from tests.academy.registry.test_import_layouts import roster_workbook
from tests.academy.registry.workbooks import city_rows, xlsx
from tests.fixtures.cases import build_world
from tests.support import PASSWORD, log_in_page

pytestmark = pytest.mark.browser
SHOTS = Path(os.environ.get("ACADEMY_SHOTS", "/tmp/shots/open311"))
WIDTHS = (360, 1440)


@pytest.fixture
def world(live_app, make_user):
    with live_app.app_context():
        cases = build_world(make_user)
        admin = create_user("root", PASSWORD, by=None)
        grant_role(admin, Role.ADMIN, by=None)
        hr = create_user("hrdesk", PASSWORD, by=None)
        grant_role(hr, Role.HR, by=None)
        ops.add_category_field(cases.category, None, code="pole", description="灯杆编号（杆身上的白色数字）",
                               datatype=FieldType.STRING, required=True, position=1, choices=None)
        ops.add_category_field(cases.category, None, code="kind", description="路灯的问题",
                                      datatype=FieldType.SINGLE, required=False, position=2,
                                      choices=[["1", "不亮"], ["2", "闪烁"], ["3", "白天亮着"]])
        ops.add_category_field(cases.category, None, code="old", description="报修电话", datatype=FieldType.STRING,
                               required=False, position=3, choices=None)
        ops.retire_category_field(db.session.scalar(sa.select(CategoryField).where(CategoryField.code == "old")), None)
        case = ops.report_case(ops.Report(
            category=cases.category, title="路灯不亮", description="中山路 8 号门口的路灯一连三晚不亮", grid=cases.grid,
            channel=Channel.OPEN311, location="中山路 8 号", attributes={"pole": "ZS-0817", "kind": "1"},
            media_urls=["https://photos.example.cn/fms/2026/12/06/8f1c2d-lamp-at-night-full-resolution.jpeg",
                        "https://photos.example.cn/fms/page.html"]), None)
        # The media job is not run here (tests/academy/cases/test_georeport_clients.py runs it): one
        # link is marked fetched and one refused, as the job leaves them.
        first, second = open311.media_of(case)
        first.state = MediaState.FETCHED
        second.state, second.problem = MediaState.REFUSED, "该链接不是 JPEG、PNG 或 WebP 图片。"
        db.session.commit()
        return {"category": cases.category.id, "case": case.id, "dispatcher": cases.dispatcher.username}


def _set_locale(live_app, locale: str) -> None:
    with live_app.app_context():
        for user in db.session.scalars(sa.select(User)):
            user.locale = locale
        db.session.commit()


def _look(page, name: str) -> None:
    # The page's own content (the shell's top bar is another helper's work and is measured there).
    overflow = page.evaluate("(m => m.scrollWidth - m.clientWidth)(document.querySelector('main'))")
    assert overflow <= 1, f"{name} scrolls sideways by {overflow}px"
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_the_exchange_pages_at_phone_and_desktop_width(live_app, live_server, world, browser, locale, tmp_path,
                                                        monkeypatch):
    _set_locale(live_app, locale)
    roster = tmp_path / "花名册.xlsx"
    roster.write_bytes(roster_workbook(id_as_number=True))
    areas = tmp_path / "areas.xlsx"
    areas.write_bytes(xlsx({"areas": city_rows()["areas"]}))
    for width in WIDTHS:
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15000)
        log_in_page(page, live_server, "root")
        page.goto(f"{live_server}/cases/admin/categories/{world['category']}")
        assert page.locator("[data-testid=category-fields] li").count() == 3
        _look(page, f"category-fields-{locale}-{width}")
        page.goto(f"{live_server}/certificates/admin/verification-keys")
        page.fill("input[name=name]", f"市人社局人才服务平台 {width}")
        page.click("main form [type=submit]")
        assert page.locator("[data-testid=key]").inner_text().strip()
        _look(page, f"verification-keys-{locale}-{width}")
        context.close()

        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        log_in_page(page, live_server, world["dispatcher"])
        page.goto(f"{live_server}/cases/{world['case']}")
        answers = page.locator("[data-testid=case-answers]").inner_text()
        assert "ZS-0817" in answers and "不亮" in answers
        assert page.locator("[data-testid=case-media] li").count() == 2
        _look(page, f"case-answers-{locale}-{width}")
        context.close()

        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        log_in_page(page, live_server, "hrdesk")
        page.goto(f"{live_server}/registry/import")
        page.set_input_files("input[type=file]", str(areas))
        page.click("main form [type=submit]")
        page.goto(f"{live_server}/registry/import")
        page.set_input_files("input[type=file]", str(roster))
        page.click("main form [type=submit]")
        notes = page.locator("[data-testid=import-notes]").inner_text()
        assert "填表说明" in notes
        shown = "[data-testid=import-problem-cards] li" if width < 768 else "[data-testid=import-problems] tbody tr"
        assert page.locator(shown).count() == 1 and page.locator(shown).first.is_visible()
        _look(page, f"import-notes-{locale}-{width}")
        monkeypatch.setattr(exchange, "LARGE_IMPORT_ROWS", 0)  # the same file, as a background job
        page.set_input_files("input[type=file]", str(roster))
        page.click("main form [type=submit]")
        page.wait_for_selector("[data-testid=job-refused]", timeout=60000)
        assert page.locator("[data-testid=job-state]").inner_text().startswith(
            "已拒绝" if locale == "zh_CN" else "Refused")
        _look(page, f"import-job-refused-{locale}-{width}")
        monkeypatch.undo()
        context.close()
