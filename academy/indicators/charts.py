"""Server-drawn SVG charts (no script needed): the 12-month line chart of a unit's indicators."""
from __future__ import annotations

from dataclasses import dataclass

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 240, 40, 10, 10, 30
COLOURS = ("#0d6efd", "#198754", "#dc3545", "#fd7e14")


@dataclass
class Line:
    label: str
    colour: str
    segments: list[str]  # "x,y x,y ..." runs between months without data
    dots: list[tuple[float, float, str]]


@dataclass
class LineChart:
    width: int
    height: int
    lines: list[Line]
    x_labels: list[tuple[float, str]]
    y_ticks: list[tuple[float, str]]
    plot: tuple[int, int, int, int]  # left, top, right, bottom


def line_chart(series: list[tuple[str, list]], labels: list[str], maximum: float = 100.0) -> LineChart:
    """Lines of values in 0..``maximum`` over the labelled months; None leaves a gap."""
    count = max(len(series), 1)
    span_x = WIDTH - LEFT - RIGHT
    step = span_x / max(count - 1, 1)

    def xy(index: int, value: float) -> tuple[float, float]:
        value = min(max(value, 0.0), maximum)
        return round(LEFT + index * step, 1), round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / maximum), 1)

    lines = []
    for n, label in enumerate(labels):
        segments, current, dots = [], [], []
        for index, (month, values) in enumerate(series):
            value = values[n]
            if value is None:
                if current:
                    segments.append(" ".join(current))
                current = []
                continue
            x, y = xy(index, value)
            current.append(f"{x},{y}")
            dots.append((x, y, f"{month}: {value:.1f}"))
        if current:
            segments.append(" ".join(current))
        lines.append(Line(label, COLOURS[n % len(COLOURS)], segments, dots))
    x_labels = [(xy(index, 0)[0], month[2:]) for index, (month, _values) in enumerate(series)]
    y_ticks = [(xy(0, tick)[1], f"{tick:.0f}") for tick in (0, maximum / 2, maximum)]
    return LineChart(WIDTH, HEIGHT, lines, x_labels, y_ticks, (LEFT, TOP, WIDTH - RIGHT, HEIGHT - BOTTOM))
