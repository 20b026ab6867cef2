"""The charts as people see them, on a phone (360 px) and a desktop (1440 px): drawn inside their figure,
axis text never under 12 px, nothing cut off or wider than the screen, and the same box shape with one
point as with many; the "show as table" toggle shows the numbers the chart draws."""
from __future__ import annotations

import json

import pytest

from tests.support import log_in_page

pytestmark = pytest.mark.browser

# Width and height of the chart box at each screen width, as charts.css sets them: (plain, tall).
ASPECT = {360: (4 / 3, 1.0), 1440: (2.0, 4 / 3)}
PAGES = ("/indicators/", "/registry/coverage", "/training/stats?start=2020-01-01")

MEASURE = """figure => {
  const box = figure.querySelector('.chart-box'), b = box.getBoundingClientRect();
  const drawn = box.querySelector('svg, canvas'), svg = box.querySelector('svg');
  const view = svg && svg.viewBox.baseVal && svg.viewBox.baseVal.width ? svg.viewBox.baseVal.width : null;
  const scale = view ? svg.getBoundingClientRect().width / view : 1;
  const texts = [...box.querySelectorAll('svg text')].filter(t => t.textContent.trim() && t.getBBox().width > 0);
  return {
    drawn: drawn ? drawn.tagName.toLowerCase() : null, ratio: b.width / b.height,
    drawnHeight: drawn ? drawn.getBoundingClientRect().height : 0, boxHeight: b.height,
    right: figure.getBoundingClientRect().right, screen: document.documentElement.clientWidth,
    texts: texts.length, smallest: Math.min(...texts.map(t => parseFloat(getComputedStyle(t).fontSize) * scale)),
    cut: texts.filter(t => { const r = t.getBoundingClientRect();
      return r.left < b.left - 1 || r.right > b.right + 1 || r.top < b.top - 1 || r.bottom > b.bottom + 1; })
      .map(t => t.textContent),
    tall: figure.classList.contains('chart--tall'),
  };
}"""


@pytest.fixture
def demo_city(live_app):
    result = live_app.test_cli_runner().invoke(args=["academy", "demo"])
    assert result.exit_code == 0, result.output
    return live_app.config["DEMO_PASSWORD"]


def _points(figure) -> int:
    data = json.loads(figure.locator(".chart-box").get_attribute("data-chart"))
    return max(sum(v is not None for v in s["values"]) for s in data["series"])


def test_charts_are_readable_and_keep_their_shape_on_a_phone_and_a_desktop(live_server, demo_city, browser):
    points_seen, errors = set(), []
    for width in ASPECT:
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        log_in_page(page, live_server, "admin", demo_city)
        for path in PAGES:
            page.goto(f"{live_server}{path}")
            figures = page.locator("figure.chart:has(.chart-box)")
            assert figures.count() >= 1, f"{path}: no chart drawn"
            for n in range(figures.count()):
                figure = figures.nth(n)
                seen = figure.evaluate(MEASURE)
                where = f"{path} at {width}px, chart {n}"
                points_seen.add(_points(figure))
                assert seen["drawn"] == "svg", where  # small data: SVG
                assert seen["texts"] >= 3 and seen["smallest"] >= 12, (where, seen)
                assert seen["cut"] == [], (where, seen["cut"])
                assert seen["right"] <= seen["screen"], where
                assert seen["ratio"] == pytest.approx(ASPECT[width][seen["tall"]], rel=0.02), (where, seen)
                assert seen["drawnHeight"] == pytest.approx(seen["boxHeight"], abs=1), where  # fills the box, no more
        assert errors == []
        context.close()
    # Few points and many were measured (the demo's second district made the one-point charts two-point).
    assert min(points_seen) <= 2 and max(points_seen) >= 3


def test_the_table_toggle_shows_the_numbers_the_chart_draws(live_server, demo_city, page):
    log_in_page(page, live_server, "admin", demo_city)
    page.goto(f"{live_server}/registry/coverage")
    figure = page.locator("[data-testid=chart-staffing]")
    table = figure.locator("[data-testid=chart-table]")
    hidden = figure.locator(".chart-table").bounding_box()
    assert hidden["width"] <= 1 and hidden["height"] <= 1  # out of sight, still in the page for screen readers
    toggle = figure.locator(".chart-toggle")
    assert toggle.inner_text() == "以表格显示"
    toggle.click()
    assert figure.locator(".chart-table").bounding_box()["height"] > 40 and table.is_visible()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert toggle.inner_text() == "收起表格"
    data = json.loads(figure.locator(".chart-box").get_attribute("data-chart"))
    rows = [[cell.strip() for cell in row.locator("th, td").all_inner_texts()] for row in table.locator("tbody tr").all()]
    assert [row[0] for row in rows] == data["categories"]
    drawn = [["—" if s["values"][i] is None else f"{s['values'][i]:.2f}" for s in data["series"]] for i in range(len(rows))]
    assert [row[1:] for row in rows] == drawn
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "false"
