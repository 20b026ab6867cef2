"""Forms of the indicator pages: the period picker, the scheme editor, the refresh request."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from academy.indicators.definitions import INDICATORS
from academy.indicators.periods import PeriodError, parse_period
from academy.web.numbers import DecimalField, IntegerField

MAX_ITEMS_TEXT = 4000


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


class SchemeForm(FlaskForm):
    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=100)])
    items = TextAreaField(_l("Indicators, one per line: key weight target [bands]"),
                          validators=[InputRequired(), Length(max=MAX_ITEMS_TEXT)])
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
        try:
            self.parsed_items = parse_items(field.data)
        except ValueError as error:
            raise ValidationError(str(error)) from error


class RefreshForm(FlaskForm):
    period = StringField(_l("Period"), validators=[InputRequired(), Length(max=40)])

    def validate_period(self, field):
        try:
            if not parse_period(field.data).storable:
                raise ValidationError(_l("Only months, quarters and years are kept as snapshots."))
        except PeriodError as error:
            raise ValidationError(_l("Write a month (2026-03), a quarter (2026-Q1) or a year (2026).")) from error
