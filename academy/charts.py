"""One chart: what it shows, built here from query results, drawn by ``static/js/charts.js``
(Apache ECharts, served by the app) and always given as a table too (``templates/macros/charts.html``).

It sits beside ``exports`` rather than in a domain package because pages at every layer draw one:
the registry's coverage, the indicators' dashboards, the courses' training statistics; a chart in
``indicators`` could not be used by the registry below it.

A chart is data, never geometry: the browser lays it out at the width it has, so axis text keeps
its size on a phone and a single point stays a point. The same numbers fill the JSON the script
reads and the table a screen reader reads, so the two cannot disagree.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _

KINDS = ("line", "bar")  # bar: horizontal bars, the categories down the side, so long names read
TONES = ("", "red", "amber", "green")  # a light keeps its colour, and its word is the series' name


@dataclass
class Series:
    name: str
    values: list[float | None]
    tone: str = ""


@dataclass
class Chart:
    key: str  # names the figure (data-testid) and its table
    kind: str
    title: str
    unit: str  # shown in the caption and the value axis' title
    value_title: str
    category_title: str
    categories: list[str]
    series: list[Series] = field(default_factory=list)
    decimals: int = 1
    maximum: float | None = None  # 100 for rates; None: as high as the data
    reference: tuple[float, str] | None = None  # a marked value (a target, "1 per grid") and its words
    stacked: bool = False
    note: str = ""  # a line under the caption: how to read the gaps, what a mark means
    wrap_labels: bool = False  # horizontal bars: long category names wrap onto lines instead of being cut

    def __post_init__(self) -> None:
        if self.kind not in KINDS or any(s.tone not in TONES for s in self.series):
            raise ValueError(f"chart {self.key}: kind {self.kind!r} or a tone is unknown")
        if any(len(s.values) != len(self.categories) for s in self.series):
            raise ValueError(f"chart {self.key}: a series has not one value per category")

    @property
    def empty(self) -> bool:
        return not any(v is not None for s in self.series for v in s.values)

    def cell(self, value: float | None) -> str:
        """A value as the table shows it (and as the chart's labels and tooltips do)."""
        return "—" if value is None else f"{value:.{self.decimals}f}"

    def rows(self) -> list[tuple[str, list[str]]]:
        """The table alternative: one row per category, one cell per series."""
        return [(category, [self.cell(s.values[n]) for s in self.series])
                for n, category in enumerate(self.categories)]

    def data(self) -> dict:
        """What ``charts.js`` reads from the figure's ``data-chart`` attribute."""
        return {
            "kind": self.kind, "categories": self.categories, "decimals": self.decimals,
            "series": [{"name": s.name, "tone": s.tone,
                        "values": [None if v is None else round(v, self.decimals) for v in s.values]}
                       for s in self.series],
            "valueAxis": with_unit(self.value_title, self.unit), "categoryAxis": self.category_title,
            "unit": self.unit, "max": self.maximum, "stacked": self.stacked,
            "reference": {"value": self.reference[0], "label": self.reference[1]} if self.reference else None,
            "wrapLabels": self.wrap_labels,
        }


def with_unit(title: str, unit: str) -> str:
    """An axis or column title with its unit: "Rate (%)", "比率（%）"."""
    return _("%(title)s (%(unit)s)", title=title, unit=unit) if unit else title


def months(key: str, title: str, trend: list[tuple[str, list]], names: Sequence[str]) -> Chart:
    """Rates (in %) over the months of ``queries.trend``; a month without a snapshot is a gap."""
    return Chart(key, "line", title, "%", _("Rate"), _("Month"), [month for month, _values in trend],
                 [Series(name, [values[n] for _month, values in trend]) for n, name in enumerate(names)],
                 maximum=100.0, note=_("Months without a snapshot are left blank."))


def bars(key: str, title: str, rows: Sequence[tuple[str, Sequence[float | None]]], names: Sequence[str], *,
         unit: str, value_title: str, category_title: str, decimals: int = 0, maximum: float | None = None,
         reference: tuple[float, str] | None = None, tones: Sequence[str] = (), stacked: bool = False,
         note: str = "", wrap_labels: bool = False) -> Chart:
    """Horizontal bars, one group per row (label, one value per name in ``names``); ``stacked`` puts a
    row's values end to end, so series that split the rows (below a mark, above it) make one bar each."""
    return Chart(key, "bar", title, unit, value_title, category_title, [label for label, _values in rows],
                 [Series(name, [None if values[n] is None else float(values[n]) for _label, values in rows],
                         tones[n] if n < len(tones) else "")
                  for n, name in enumerate(names)],
                 decimals=decimals, maximum=maximum, reference=reference, stacked=stacked, note=note,
                 wrap_labels=wrap_labels)
