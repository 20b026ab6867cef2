"""The chart component (academy/charts.py, templates/macros/charts.html): the table beside each chart
holds the very numbers the chart draws, names arrive as typed, and a chart with nothing to draw says so."""
from __future__ import annotations

import pytest
from flask import render_template_string
from flask_babel import force_locale

from academy import charts
from tests.support import read_chart

MACRO = '{% from "macros/charts.html" import chart %}{{ chart(c) }}'
HOSTILE = "</figure><script>alert(1)</script> 'x' \"y\" & 区"


def _drawn(app, chart, locale="en"):
    with app.test_request_context(), force_locale(locale):
        return render_template_string(MACRO, c=chart)


def test_the_table_shows_the_same_numbers_as_the_data(app):
    with app.test_request_context(), force_locale("en"):
        chart = charts.bars("t", "Trained", [("东区", [12, 7]), (HOSTILE, [3, None]), ("西区", [0, 0])],
                            ["Person-times trained", "Completed"], unit="person-times", value_title="Trained",
                            category_title="District")
    data, head, rows = read_chart(_drawn(app, chart), "t")
    assert head == ["District", "Person-times trained", "Completed"]
    assert [row[0] for row in rows] == data["categories"] == ["东区", HOSTILE, "西区"]
    assert [row[1:] for row in rows] == [["12", "7"], ["3", "—"], ["0", "0"]]
    assert [s["values"] for s in data["series"]] == [[12, 3, 0], [7, None, 0]]
    assert data["valueAxis"] == "Trained (person-times)"


def test_rates_keep_their_decimals_in_the_table_and_the_data(app):
    trend = [("2026-01", [None, None]), ("2026-02", [87.456, 100.0]), ("2026-03", [0.04, 33.333])]
    with app.test_request_context(), force_locale("zh_CN"):
        chart = charts.months("trend", "近 12 个月", trend, ["办结率", "按期办结率"])
        assert chart.data()["valueAxis"] == "比率（%）"  # the unit in the axis title, full-width in Chinese
    data, head, rows = read_chart(_drawn(app, chart, "zh_CN"), "trend")
    assert rows == [["2026-01", "—", "—"], ["2026-02", "87.5", "100.0"], ["2026-03", "0.0", "33.3"]]
    assert [s["values"] for s in data["series"]] == [[None, 87.5, 0.0], [None, 100.0, 33.3]]
    assert data["max"] == 100.0 and head == ["月份", "办结率", "按期办结率"]


def test_a_chart_with_nothing_to_draw_says_so_and_keeps_its_table(app):
    with app.test_request_context(), force_locale("en"):
        chart = charts.months("trend", "Last 12 months", [("2026-01", [None]), ("2026-02", [None])], ["Rate"])
    page = _drawn(app, chart)
    data, _head, rows = read_chart(page, "trend")
    assert data is None and 'data-testid="chart-empty"' in page and "No figures to draw yet." in page
    assert rows == [["2026-01", "—"], ["2026-02", "—"]]


def test_a_series_must_have_one_value_per_category():
    with pytest.raises(ValueError, match="one value per category"):
        charts.Chart("x", "bar", "X", "%", "Rate", "Name", ["a", "b"], [charts.Series("s", [1.0])])
    with pytest.raises(ValueError, match="unknown"):
        charts.Chart("x", "pie", "X", "%", "Rate", "Name", ["a"], [charts.Series("s", [1.0], tone="purple")])
