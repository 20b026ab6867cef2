"""HR at the browser: import a workbook with one bad row, read the row number, fix the file,
import it, then find the new grid among the coverage page's findings and on its notice board."""
from __future__ import annotations

import pytest

from tests.academy.registry.workbooks import xlsx

pytestmark = pytest.mark.browser


@pytest.fixture
def demo_city(live_app):
    result = live_app.test_cli_runner().invoke(args=["academy", "demo"])
    assert result.exit_code == 0, result.output
    return live_app.config["DEMO_PASSWORD"]


def rows(second_code: str) -> dict:
    return {
        "areas": [{"code": "320102002009", "name": "浏览器测试社区"}],
        "grids": [
            {"code": "320102002009001", "name": "测试社区第一网格", "kind": "综合网格", "households": 300,
             "boundary_east": "中山路", "valid_from": "2024-01-01"},
            {"code": second_code, "name": "测试社区第二网格", "kind": "综合网格", "households": 280,
             "valid_from": "2024-01-01"},
        ],
    }


def test_import_fix_and_find_on_the_coverage_page(live_server, demo_city, browser, tmp_path):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "hr")
    page.fill("input[name=password]", demo_city)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"{live_server}/")

    bad = tmp_path / "grids.xlsx"
    bad.write_bytes(xlsx(rows("32010200200900")))  # 14 digits in row 3 of the grids sheet
    page.goto(f"{live_server}/registry/import")
    page.set_input_files("input[name=file]", str(bad))
    page.click("main input[type=submit]")
    problems = page.locator("[data-testid=import-problems] tbody tr")
    assert problems.count() == 1
    cells = problems.first.locator("td").all_inner_texts()
    assert cells[0] == "网格 Grids" and cells[1] == "3" and "Grid code" in cells[2]

    good = tmp_path / "grids-fixed.xlsx"
    good.write_bytes(xlsx(rows("320102002009002")))
    page.set_input_files("input[name=file]", str(good))
    page.click("main input[type=submit]")
    assert page.locator(".alert-success").is_visible()

    page.goto(f"{live_server}/registry/coverage?area=320102")
    uncovered = page.locator("[data-testid=finding-uncovered]")
    link = uncovered.get_by_role("link", name="320102002009001 测试社区第一网格")
    assert link.is_visible()
    assert page.locator("[data-testid=chart-staffing] .chart-box svg").count() == 1  # drawn by ECharts
    link.click()
    page.locator("main a[href='/board/320102002009001']").first.click()
    assert page.locator("[data-testid=notice-board]").inner_text().count("中山路") == 1
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    context.close()


def test_registry_pages_fit_a_360px_phone(live_server, demo_city, browser):
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live_server}/login")
    page.fill("input[name=username]", "hr")
    page.fill("input[name=password]", demo_city)
    page.click("main input[type=submit], main button[type=submit]")
    page.wait_for_url(f"{live_server}/")
    page.goto(f"{live_server}/registry/grids")
    grid_path = page.locator("[data-testid=grids] tbody a").first.get_attribute("href")
    page.goto(f"{live_server}/registry/workers")
    worker_path = page.locator("[data-testid=workers] tbody a").first.get_attribute("href")
    for path in ("/registry/coverage", "/registry/grids", "/registry/workers", "/registry/areas",
                 "/registry/departments", "/registry/import", grid_path, worker_path, "/board/320102002001001"):
        response = page.goto(f"{live_server}{path}")
        assert response.status == 200, path
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than the phone"
    context.close()
