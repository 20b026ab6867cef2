"""Forms of the workflow steps, and the list filters."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    MultipleFileField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from academy.cases import labels
from academy.cases.forms.intake import PhotosMixin
from academy.cases.models import Level, Satisfaction
from academy.cases.queries import CaseFilter
from academy.web.numbers import IntegerField
from academy.web.sorting import sort_field


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=1000)])


class ReasonForm(FlaskForm):
    note = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class LinkForm(NoteForm):
    pass


class FinishForm(PhotosMixin, FlaskForm):
    result = TextAreaField(_l("What was done"), validators=[DataRequired(), Length(max=2000)])
    photos = MultipleFileField(_l("Photos of the result (up to 5)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.photo_data = []


class VerifyForm(FlaskForm):
    outcome = RadioField(_l("Result of the on-site check"), choices=[("pass", _l("Passed: close the case")),
                                                                     ("fail", _l("Failed: send back for rework"))],
                         validators=[InputRequired()])
    note = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=500)])

    def validate_note(self, field) -> None:
        if self.outcome.data == "fail" and not (field.data or "").strip():
            raise ValidationError(_l("Say why the verification failed."))


class ReturnVisitForm(FlaskForm):
    satisfaction = RadioField(_l("The resident is"), choices=labels.choices(labels.SATISFACTION_LABELS), validators=[InputRequired()])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=500)])
    reopen = BooleanField(_l("Reopen the case (dissatisfied only)"))

    def validate_reopen(self, field) -> None:
        if field.data and self.satisfaction.data != Satisfaction.DISSATISFIED.value:
            raise ValidationError(_l("Only a dissatisfied rating can reopen the case."))


class ExtensionForm(FlaskForm):
    amount = IntegerField(_l("More time (in the category's unit)"), validators=[InputRequired(), NumberRange(1, 90)])
    note = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=500)])


class DecideForm(FlaskForm):
    decision = RadioField(_l("Decision"), choices=[("yes", _l("Approve")), ("no", _l("Refuse"))],
                          validators=[InputRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=500)])


class DispatchForm(FlaskForm):
    level = SelectField(_l("Handled by"), choices=labels.choices(labels.LEVEL_CHOICE_LABELS), validators=[InputRequired()])
    departments = SelectMultipleField(_l("Departments"), coerce=int, validators=[Optional()])
    instruction = TextAreaField(_l("Instruction"), validators=[Optional(), Length(max=1000)])

    def validate_departments(self, field) -> None:
        if self.level.data == Level.DEPARTMENT.value and not field.data:
            raise ValidationError(_l("Choose at least one department."))

    def limit_for(self, department_id: int) -> int | None:
        field = getattr(self, f"limit_{department_id}", None)
        return field.data if field is not None else None


def dispatch_form(departments, **kwargs) -> DispatchForm:
    """A dispatch form with one optional time-limit field per department (each its own deadline)."""

    class Form(DispatchForm):
        pass

    for dept in departments:
        setattr(Form, f"limit_{dept.id}", IntegerField(
            dept.name, validators=[Optional(), NumberRange(1, 365)],
            description=_l("Its own time limit, if it differs from the category's (same unit)")))
    form = Form(**kwargs)
    form.departments.choices = [(d.id, d.name) for d in departments]
    form.department_list = departments
    return form


class FilterForm(FlaskForm):
    class Meta:
        csrf = False

    q = StringField(_l("Number or summary"), validators=[Optional(), Length(max=40)])
    area = StringField(_l("Area"), validators=[Optional(), Length(max=15)], render_kw={"data-picker": "area"})
    category = SelectField(_l("Category"), coerce=str, validators=[Optional()])
    level = SelectField(_l("Level"), validators=[Optional()])
    light = SelectField(_l("Light"), validators=[Optional()],
                        choices=labels.choices(labels.LIGHT_LABELS, blank=True))
    state = SelectField(_l("State"), validators=[Optional()])
    department = SelectField(_l("Department"), coerce=str, validators=[Optional()])
    handler = StringField(_l("Handler"), validators=[Optional(), Length(max=40)])
    supervised = BooleanField(_l("Supervised only"))
    returned = BooleanField(_l("Returned by departments"))
    sort = sort_field(list(labels.SORT_LABELS.items()))

    def __init__(self, categories, departments, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [("", "—")] + [(str(c.id), c.full_name) for c in categories]
        self.level.choices = labels.choices(labels.LEVEL_LABELS, blank=True)
        self.state.choices = labels.choices(labels.STATE_LABELS, blank=True)
        self.department.choices = [("", "—")] + [(str(d.id), d.name) for d in departments]
        # A filter left open reads "all", not a dash, beside its visible label.
        for field in (self.category, self.level, self.light, self.state, self.department):
            field.choices = [("", _l("All")), *field.choices[1:]]

    def case_filter(self, handler_id: int | None) -> CaseFilter:
        """The list's filters as the form states them (``handler_id``: the handler named, -1 if unknown)."""
        return CaseFilter(
            area=(self.area.data or "").strip(), text=(self.q.data or "").strip(),
            category_id=int(self.category.data) if (self.category.data or "").isdigit() else None,
            level=self.level.data or "", light=self.light.data or "", state=self.state.data or "",
            department_id=int(self.department.data) if (self.department.data or "").isdigit() else None,
            supervised=self.supervised.data, returned=self.returned.data, open_only=not self.state.data, handler_id=handler_id,
            sort=self.sort.data or "")
