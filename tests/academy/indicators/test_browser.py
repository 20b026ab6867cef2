"""A leader at the browser: opens the district dashboard, drills into a street and a worker, and
downloads the ranking as .xlsx."""
from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from openpyxl import load_workbook

from academy.cases.models import Level
from academy.extensions import db
from academy.permissions import Role
from tests.fixtures.indicators import at, make_case, make_patrols, small_city
from tests.support import PASSWORD

pytestmark = pytest.mark.browser


def _make_user(username, *roles, area=None):
    from academy.accounts.operations import create_user, grant_role

    user = create_user(username, PASSWORD, by=None)
    for role in roles:
        grant_role(user, role, by=None, area_code=area, area_label=area or "")
    return user


@pytest.fixture
def district(live_app):
    from academy.indicators.operations import ensure_scheme, refresh_period
    from academy.indicators.periods import parse_period

    with live_app.app_context():
        city = small_city(_make_user)
        for n in range(8):
            make_case(grid=city.grids[0], worker=city.workers[0], category=city.dispute, reported=at("2026-03-02"),
                      accepted=at("2026-03-02"), due=at("2026-03-05", 17),
                      closed=at("2026-03-04" if n < 7 else "2026-03-09"), level=Level.COMMUNITY)
        for day in range(2, 32):  # two patrols every working day of March
            if datetime(2026, 3, day).weekday() < 5:
                make_patrols(city.workers[0], city.grids[0], f"2026-03-{day:02d}", 2)
        _make_user("district-leader", Role.VIEWER, area="320102")
        ensure_scheme()
        refresh_period(parse_period("2026-03"), as_of=datetime(2026, 4, 2, tzinfo=UTC))
        db.session.commit()
        return city.workers[0].name


def test_viewer_drills_down_and_downloads_the_ranking(live_server, district, browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-US", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "district-leader")
    page.fill("input[name=password]", PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"{live_server}/")
    page.goto(f"{live_server}/indicators/")
    assert page.url.startswith(f"{live_server}/indicators/areas/320102")
    page.fill("#period", "2026-03")
    with page.expect_navigation():
        page.click("[data-testid=period-form] button")
    assert "320102" in page.locator("[data-testid=area-name]").inner_text()
    with page.expect_navigation():
        page.locator("[data-testid=children] a").first.click()  # the street
    assert "320102001" in page.locator("[data-testid=area-name]").inner_text()
    assert district in page.locator("[data-testid=star-workers]").inner_text()
    with page.expect_download() as download_info:
        page.click("[data-testid=ranking-xlsx]")
    sheet = load_workbook(io.BytesIO(open(download_info.value.path(), "rb").read())).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert rows[0][0] == 1 and rows[0][1] == district
    with page.expect_navigation():
        page.locator("[data-testid=worker-ranking] a", has_text=district).click()
    assert district in page.locator("[data-testid=worker-name]").inner_text()
    assert page.locator("[data-testid=chart-trend] .chart-box svg").count() == 1  # drawn by ECharts
    assert "87.5 %" in page.locator("[data-testid=indicators]").inner_text()  # on time: 7 of 8
    context.close()
