"""Forms of the indicator pages: the period picker, the scheme editor, the refresh request."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from academy.indicators.definitions import INDICATORS
from academy.indicators.periods import PeriodError, parse_period
from academy.web.numbers import DecimalField, IntegerField

MAX_ITEMS_TEXT = 4000
BAND_FIELDS = 4


class PeriodForm(FlaskForm):
    """The period shown (GET, no CSRF): 2026-03, 2026-Q1, 2026 or 2026-03-05..2026-04-10."""

    class Meta:
        csrf = False

    period = StringField(_l("Period"), validators=[Optional(), Length(max=40)])

    def validate_period(self, field):
        if field.data:
            try:
                parse_period(field.data)
            except PeriodError as error:
                raise ValidationError(_l("Write a month (2026-03), a quarter (2026-Q1), a year (2026) "
                                         "or a range (2026-03-05..2026-04-10).")) from error


class RankingForm(PeriodForm):
    kind = SelectField(_l("Ranking of"), choices=[("worker", _l("Workers")), ("grid", _l("Grids"))], default="worker")


def parse_items(text: str) -> list[dict]:
    """Scheme lines ``indicator weight target [threshold:share,...]`` into items (ValueError on a bad line)."""
    items = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) not in (3, 4) or parts[0] not in INDICATORS:
            raise ValueError(str(_l("Line %(n)d: write an indicator key, a weight, a target and optional bands.", n=number)))
        try:
            bands = [[float(a), float(b)] for a, b in (pair.split(":") for pair in parts[3].split(","))] if len(parts) == 4 else None
            item = {"indicator": parts[0], "weight": int(parts[1]), "target": float(parts[2])}
        except ValueError as error:
            raise ValueError(str(_l("Line %(n)d: weights are whole numbers, targets and bands are numbers.", n=number))) from error
        if bands:
            item["bands"] = bands
        items.append(item)
    return items


def scorable_choices() -> list[tuple[str, str]]:
    """The indicators a scheme can weigh, as select choices (an empty first choice: the row unused)."""
    return [("", "—")] + [(key, ind.label) for key, ind in INDICATORS.items() if ind.denominator]


class BandForm(Form):
    """One band of an item: from this achievement (% of target) on, this share of the weight."""

    threshold = DecimalField(_l("Threshold (%)"), places=None, validators=[Optional(), NumberRange(min=0, max=1000)])
    share = DecimalField(_l("Share of weight (%)"), places=None, validators=[Optional(), NumberRange(min=0, max=100)])


class SchemeRowForm(Form):
    """One indicator of the scheme as fields; a row without an indicator is unused."""

    indicator = SelectField(_l("Indicator"), choices=scorable_choices, validate_choice=True, default="")
    weight = IntegerField(_l("Weight"), validators=[Optional(), NumberRange(min=1, max=100)])
    target = DecimalField(_l("Target (%)"), places=None, validators=[Optional(), NumberRange(min=0, max=100)])
    bands = FieldList(FormField(BandForm), min_entries=BAND_FIELDS, max_entries=2 * BAND_FIELDS)

    def item(self, number: int) -> dict | None:
        """The row as a scheme item, the same structure ``parse_items`` builds (ValueError naming the row)."""
        if not self.indicator.data:
            return None
        if self.weight.data is None or self.target.data is None:
            raise ValueError(str(_l("Row %(n)d: give the weight and the target.", n=number)))
        item = {"indicator": self.indicator.data, "weight": int(self.weight.data), "target": float(self.target.data)}
        bands = []
        for band in self.bands:
            threshold, share = band.threshold.data, band.share.data
            if (threshold is None) != (share is None):
                raise ValueError(str(_l("Row %(n)d: a band needs both its threshold and its share.", n=number)))
            if threshold is not None:
                bands.append([float(threshold), float(share)])
        if bands:
            item["bands"] = bands
        return item


def scheme_rows(items: list[dict]) -> list[dict]:
    """A scheme's items as the rows' data, for filling the structured editor."""
    return [{"indicator": item["indicator"], "weight": item["weight"], "target": _plain(item["target"]),
             "bands": [{"threshold": _plain(a), "share": _plain(b)} for a, b in item.get("bands") or []]} for item in items]


def _plain(number: float) -> Decimal:
    """A stored number as the fields show it: 90, not 90.0."""
    return Decimal(f"{number:g}")


class SchemeForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=100)])
    rows = FieldList(FormField(SchemeRowForm), min_entries=len(scorable_choices()) - 1,
                     max_entries=len(scorable_choices()) - 1)
    items = TextAreaField(_l("Or as text, one per line: key weight target [bands]"),
                          description=_l("When filled, the text is used instead of the rows."),
                          validators=[Length(max=MAX_ITEMS_TEXT)])
    deduction_per_overdue = DecimalField(_l("Deduction per overdue pending case"), places=2, default=0,
                                         validators=[InputRequired(), NumberRange(min=0, max=100)])
    deduction_per_dissatisfied = DecimalField(_l("Deduction per dissatisfied rating"), places=2, default=0,
                                              validators=[InputRequired(), NumberRange(min=0, max=100)])
    excellent_top_n = IntegerField(_l("Excellent: top N"), validators=[Optional(), NumberRange(min=1, max=1000)])
    excellent_min_score = DecimalField(_l("Excellent: minimum score"), places=1,
                                       validators=[Optional(), NumberRange(min=0, max=100)])
    min_sample = IntegerField(_l("Minimum cases due to close for the star lists"), default=5,
                              validators=[InputRequired(), NumberRange(min=0, max=10000)])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])

    def validate_items(self, field):
        """The items from the text when it is filled, else from the rows (``parsed_items``)."""
        try:
            if (field.data or "").strip():
                self.parsed_items = parse_items(field.data)
            else:
                self.parsed_items = [item for number, row in enumerate(self.rows, start=1)
                                     if (item := row.form.item(number)) is not None]
        except ValueError as error:
            raise ValidationError(str(error)) from error
        if not self.parsed_items:
            raise ValidationError(_l("Choose at least one indicator."))

    @property
    def weight_sum(self) -> int:
        """The weights of the rows that name an indicator, added up (shown under the rows)."""
        return sum(row.form.weight.data or 0 for row in self.rows if row.form.indicator.data)


class RefreshForm(FlaskForm):
    period = StringField(_l("Period"), validators=[InputRequired(), Length(max=40)])

    def validate_period(self, field):
        try:
            if not parse_period(field.data).storable:
                raise ValidationError(_l("Only months, quarters and years are kept as snapshots."))
        except PeriodError as error:
            raise ValidationError(_l("Write a month (2026-03), a quarter (2026-Q1) or a year (2026).")) from error
