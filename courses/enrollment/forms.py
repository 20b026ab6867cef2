"""Forms of the enrollment package; every field bounded, choices limited to what the user may pick."""
from __future__ import annotations

from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateField,
    DateTimeLocalField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
    widgets,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from academy.registry import labels
from academy.registry.models import Employment, WorkerStatus
from academy.web.numbers import DecimalField, IntegerField
from courses.enrollment.labels import DELIVERY_LABELS, KIND_LABELS


class MultiCheckboxField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class CourseForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=30),
                                               Regexp(r"^[A-Za-z0-9][A-Za-z0-9.\-]*$", message=_l("Use letters, digits, dot and dash only."))])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=5000)])
    kind = SelectField(_l("Kind"), choices=[(k.value, label) for k, label in KIND_LABELS.items()])
    delivery = SelectField(_l("Delivery"), choices=[(d.value, label) for d, label in DELIVERY_LABELS.items()])
    branch_id = SelectField(_l("Branch academy"), coerce=int, choices=[])
    unit_ids = MultiCheckboxField(_l("Syllabus units covered"), coerce=int, choices=[])
    instructor_ids = MultiCheckboxField(_l("Instructors"), coerce=int, choices=[])
    prerequisite_ids = MultiCheckboxField(_l("Prerequisite courses"), coerce=int, choices=[])
    prerequisite_certificate = StringField(_l("Prerequisite certificate (type code)"), validators=[Optional(), Length(max=40)])
    capacity = IntegerField(_l("Capacity"), default=30, validators=[InputRequired(), NumberRange(min=1, max=10000)])
    self_enrol = BooleanField(_l("Trainees may enrol themselves"), default=True)
    approval_required = BooleanField(_l("Self-enrolments need approval"), default=False)
    enrol_opens_on = DateField(_l("Enrolment opens"), validators=[InputRequired()])
    enrol_closes_on = DateField(_l("Enrolment closes"), validators=[InputRequired()])
    starts_on = DateField(_l("Starts"), validators=[InputRequired()])
    ends_on = DateField(_l("Ends"), validators=[InputRequired()])
    submit = SubmitField(_l("Save course"))

    def __init__(self, *args, branches, units, instructors, courses, **kwargs):
        """Choices from what the view loaded: the branches the user may run courses of, the units of the
        syllabus version, the instructors, and the courses that may be prerequisites."""
        super().__init__(*args, **kwargs)
        self.branch_id.choices = [(b.id, b.name) for b in branches]
        self.unit_ids.choices = [(u.id, f"{u.code} {u.title} ({u.own_hours} h)") for u in units]
        self.instructor_ids.choices = [(u.id, u.display_name) for u in instructors]
        self.prerequisite_ids.choices = [(c.id, f"{c.code} {c.title}") for c in courses]

    def validate_enrol_closes_on(self, field) -> None:
        if self.enrol_opens_on.data and field.data and field.data < self.enrol_opens_on.data:
            raise ValidationError(_l("The enrolment window closes before it opens."))

    def validate_ends_on(self, field) -> None:
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The course ends before it starts."))

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "code", "title", "description", "kind", "delivery", "capacity", "self_enrol", "approval_required",
            "enrol_opens_on",
            "enrol_closes_on", "starts_on", "ends_on", "prerequisite_certificate")} | {
            "code": self.code.data.strip(), "title": self.title.data.strip(), "description": self.description.data or "",
            "prerequisite_certificate": (self.prerequisite_certificate.data or "").strip()}


class ActionForm(FlaskForm):
    submit = SubmitField(_l("Confirm"))


class WithdrawForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Withdraw"))


class ResultForm(FlaskForm):
    result = SelectField(_l("Result"), choices=[("completed", _l("Completed")), ("failed", _l("Failed"))])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Record result"))


class PopulationForm(FlaskForm):
    area_code = SelectField(_l("Area"), choices=[])
    grid_id = IntegerField(_l("Grid (optional)"), validators=[Optional(), NumberRange(min=1, max=2**31 - 1)],
                           render_kw={"data-picker": "grid", "data-picker-value": "id"})
    employment = SelectField(_l("Employment"), choices=[("", _l("(any)"))] + labels.choices(Employment))
    status = SelectField(_l("Worker status"), choices=[("", _l("(any)"))] + labels.choices(WorkerStatus))
    submit = SubmitField(_l("Enrol them"))

    def __init__(self, *args, areas: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.area_code.choices = areas


class MandatoryForm(PopulationForm):
    course_id = SelectField(_l("Course"), coerce=int, choices=[])
    due_on = DateField(_l("Due on (fixed date)"), validators=[Optional()])
    due_days_after_hire = IntegerField(_l("or due days after hire"), validators=[Optional(), NumberRange(min=1, max=3650)])
    submit = SubmitField(_l("Assign"))

    def __init__(self, *args, areas: list[tuple[str, str]], courses, **kwargs):
        super().__init__(*args, areas=areas, **kwargs)
        self.course_id.choices = [(c.id, f"{c.code} {c.title}") for c in courses]

    def validate_due_days_after_hire(self, field) -> None:
        if (self.due_on.data is None) == (field.data is None):
            raise ValidationError(_l("Give either a due date or a number of days after hire."))


class ExtensionRequestForm(FlaskForm):
    until = DateField(_l("New due date"), validators=[InputRequired()])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Request extension"))


class ExtensionDecisionForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=[("grant", _l("Grant")), ("refuse", _l("Refuse"))])
    submit = SubmitField(_l("Decide"))


class SessionForm(FlaskForm):
    starts_at = DateTimeLocalField(_l("Starts at"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])
    hours = DecimalField(_l("Hours"), places=1, validators=[InputRequired(), NumberRange(min=0.5, max=12)])
    place = StringField(_l("Place"), validators=[Optional(), Length(max=200)])
    topic = StringField(_l("Topic"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Schedule session"))


class AttendanceForm(FlaskForm):
    present = MultiCheckboxField(_l("Present"), coerce=int, choices=[], validate_choice=True)
    submit = SubmitField(_l("Save attendance"))

    def __init__(self, *args, enrollments, **kwargs):
        super().__init__(*args, **kwargs)
        self.present.choices = [(e.id, f"{e.worker.name} ({e.worker.number})") for e in enrollments]


class PeriodForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter changes nothing

    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    submit = SubmitField(_l("Show"))

    def validate_end(self, field) -> None:
        if self.start.data and field.data and (field.data < self.start.data or field.data - self.start.data > timedelta(days=3660)):
            raise ValidationError(_l("Choose an end after the start, within ten years."))


class AssignNeedForm(FlaskForm):
    worker_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])
    course_id = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=2**31 - 1)])
    due_on = DateField(_l("Due on"), validators=[InputRequired()])
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Assign"))
