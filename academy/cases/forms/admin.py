"""Administration forms: categories and their extra fields, the working calendar, holidays,
department members."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from academy.cases import labels
from academy.cases.models import ClockKind, FieldType
from academy.web.numbers import DateField, FloatField, IntegerField


class CategoryForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=20), Regexp(r"^[A-Za-z0-9_.-]+$")])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    parent_id = SelectField(_l("Parent category"), coerce=int, validators=[Optional()])
    default_level = SelectField(_l("Default handling level"), choices=labels.choices(labels.LEVEL_CHOICE_LABELS))
    allow_self_handling = BooleanField(_l("The grid worker may handle and close it himself"))
    time_limit = IntegerField(_l("Time limit"), validators=[InputRequired(), NumberRange(1, 365)])
    clock = SelectField(_l("Clock"), choices=labels.choices(labels.CLOCK_LABELS))
    accept_criteria = TextAreaField(_l("Criteria for accepting"), validators=[Optional(), Length(max=2000)])
    close_criteria = TextAreaField(_l("Criteria for closing"), validators=[Optional(), Length(max=2000)])
    active = BooleanField(_l("In use"), default=True)

    def __init__(self, parents, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.parent_id.choices = [(0, "—")] + [(c.id, c.name) for c in parents]

    def values(self) -> dict:
        return {"code": self.code.data.strip(), "name": self.name.data.strip(), "parent_id": self.parent_id.data or None,
                "default_level": self.default_level.data, "allow_self_handling": self.allow_self_handling.data,
                "time_limit": self.time_limit.data, "clock": ClockKind(self.clock.data),
                "accept_criteria": self.accept_criteria.data or "", "close_criteria": self.close_criteria.data or "",
                "active": self.active.data}


class CalendarForm(FlaskForm):
    work_start = TimeField(_l("Working day starts"), validators=[InputRequired()])
    work_end = TimeField(_l("Working day ends"), validators=[InputRequired()])
    weekend_days = StringField(_l("Weekend days (0 = Monday ... 6 = Sunday)"),
                               validators=[InputRequired(), Regexp(r"^[0-6](,[0-6])*$|^$"), Length(max=20)])
    red_card_multiple = FloatField(_l("Red card after this multiple of the limit"),
                                   validators=[InputRequired(), NumberRange(1.0, 10.0)])
    accept_limit_hours = IntegerField(_l("Working hours to accept a report"), validators=[InputRequired(), NumberRange(1, 72)])
    verify_limit_days = IntegerField(_l("Working days to verify on site"), validators=[InputRequired(), NumberRange(1, 30)])


class HolidayForm(FlaskForm):
    day = DateField(_l("Day"), validators=[InputRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    working = BooleanField(_l("Make-up working day (调休上班)"))


class MemberForm(FlaskForm):
    username = StringField(_l("Username"), validators=[DataRequired(), Length(max=40)])
    department = SelectField(_l("Department"), coerce=int, validators=[InputRequired()])

    def __init__(self, departments, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.department.choices = [(d.id, d.name) for d in departments]


class CategoryFieldForm(FlaskForm):
    """An extra field a category asks of civic apps (a GeoReport attribute)."""

    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40), Regexp(r"^[A-Za-z0-9_.-]+$")],
                       description=_l("Letters, digits, - _ . ; civic apps send it as attribute[code]."))
    description = StringField(_l("What is asked"), validators=[DataRequired(), Length(max=200)])
    datatype = SelectField(_l("Kind of answer"), choices=labels.choices(labels.FIELD_TYPE_LABELS))
    required = BooleanField(_l("An answer is required"))
    position = IntegerField(_l("Order"), default=1, validators=[InputRequired(), NumberRange(1, 99)])
    choices = TextAreaField(_l("Choices"), validators=[Optional(), Length(max=4000)],
                            description=_l("For a list: one choice a line, as key = name (1 = 路灯不亮)."))

    def validate_choices(self, field) -> None:
        listed = self.datatype.data in (FieldType.SINGLE.value, FieldType.MULTI.value)
        lines = [line.strip() for line in (field.data or "").splitlines() if line.strip()]
        if listed and not lines:
            raise ValidationError(_l("A list needs its choices."))
        if not listed and lines:
            raise ValidationError(_l("Only a list has choices."))
        if any("=" not in line or not all(part.strip() for part in line.split("=", 1)) for line in lines):
            raise ValidationError(_l("Write each choice as key = name."))
        keys = [line.split("=", 1)[0].strip() for line in lines]
        if len(set(keys)) != len(keys) or any(len(key) > 40 for key in keys):
            raise ValidationError(_l("Each key appears once and has at most 40 characters."))

    def values(self) -> dict:
        lines = [line.split("=", 1) for line in (self.choices.data or "").splitlines() if line.strip()]
        return {"code": self.code.data.strip(), "description": self.description.data.strip(),
                "datatype": FieldType(self.datatype.data), "required": self.required.data,
                "position": self.position.data,
                "choices": [[key.strip(), name.strip()[:100]] for key, name in lines] or None}
