"""Forms of the programmes package: a programme with its courses in order, the filter of its people,
and the bulk enrolment of a population (enrollment's population form)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional, Regexp

from academy.web.numbers import IntegerField
from courses.enrollment.forms import PopulationForm
from courses.programmes.labels import GOAL_LABELS

COURSE_SLOTS = 8


class ProgrammeForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=30),
                                               Regexp(r"^[A-Za-z0-9][A-Za-z0-9.\-]*$", message=_l("Use letters, digits, dot and dash only."))])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    goal = SelectField(_l("Goal"), choices=[(g.value, label) for g, label in GOAL_LABELS.items()])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, courses, **kwargs):
        """``courses``: the courses a programme may list (not archived), as (id, label)."""
        super().__init__(*args, **kwargs)
        choices = [(0, _l("(none)"))] + list(courses)
        for field in self.course_fields:
            field.choices = choices

    @property
    def course_fields(self) -> list:
        return [self[f"course_{i}"] for i in range(1, COURSE_SLOTS + 1)]

    def chosen_ids(self) -> list[int]:
        """The course ids in the order chosen, blanks left out."""
        return [field.data for field in self.course_fields if field.data]


for _slot in range(1, COURSE_SLOTS + 1):
    setattr(ProgrammeForm, f"course_{_slot}", SelectField(_l("Course %(n)d", n=_slot), coerce=int, default=0,
                                                          validators=[Optional()]))


class PlacesFilterForm(FlaskForm):
    """The filter of a programme's people: an area (the area picker) and a course; a GET, no token."""

    class Meta:
        csrf = False

    area = StringField(_l("Area"), validators=[Optional(), Regexp(r"^[0-9]{4,12}$", message=_l("An area code is 4 to 12 digits."))],
                       render_kw={"data-picker": "area", "inputmode": "numeric", "maxlength": 12})
    position = SelectField(_l("Course"), coerce=int, default=-1, validators=[Optional()])
    page = IntegerField(_l("Page"), default=1, validators=[Optional(), NumberRange(min=1, max=100000)])

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.position.choices = [(-1, _l("(any)"))] + [(i, f"{i + 1}. {c.title}") for i, c in enumerate(courses)]


class ProgrammePopulationForm(PopulationForm):
    """Whom HR puts in a programme: the bulk enrolment's population."""
