"""Forms of patrols and household visits."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from academy.cases import labels
from academy.cases.forms.intake import grid_choices


class PatrolStartForm(FlaskForm):
    grid = SelectField(_l("Grid"), coerce=int, validators=[InputRequired()])

    def __init__(self, grids, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid.choices = grid_choices(grids)


class PatrolEndForm(FlaskForm):
    note = TextAreaField(_l("What you saw"), validators=[Optional(), Length(max=500)])


class VisitForm(FlaskForm):
    grid = SelectField(_l("Grid"), coerce=int, validators=[InputRequired()])
    household = StringField(_l("Household (address or name)"), validators=[DataRequired(), Length(max=200)])
    purpose = SelectField(_l("Purpose"), choices=labels.choices(labels.PURPOSE_LABELS))
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=2000)])

    def __init__(self, grids, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.grid.choices = grid_choices(grids)
