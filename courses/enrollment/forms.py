"""Forms of the enrollment package; every field bounded, choices limited to what the user may pick."""
from __future__ import annotations

import re
from datetime import timedelta

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
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
from academy.web.numbers import DateField, DateTimeLocalField, DecimalField, IntegerField
from courses.enrollment.labels import DELIVERY_LABELS, KIND_LABELS, LESSONS_REQUIRED_LABELS
from courses.enrollment.models import LessonsRequired


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
    # The completion rule: the course completes by itself when every condition set here is met.
    completion_lessons = SelectField(_l("Lessons completed"), default="none",
                                     choices=[(k.value, v) for k, v in LESSONS_REQUIRED_LABELS.items()])
    completion_lesson_ids = MultiCheckboxField(_l("Lessons asked for"), coerce=int, choices=[])
    completion_hours = DecimalField(_l("Credited hours reached"), places=1, validators=[
        Optional(), NumberRange(min=0.5, max=999)], description=_l("Blank: no hours asked for."))
    completion_final = BooleanField(_l("Final exam passed"), default=False)
    completion_final_min = DecimalField(_l("Minimum score of the final exam (%)"), places=2, validators=[
        Optional(), NumberRange(min=0, max=100)], description=_l("Blank: the exam's own pass mark."))
    completion_attendance = IntegerField(_l("Classroom sessions attended (%)"), validators=[
        Optional(), NumberRange(min=1, max=100)], description=_l("Blank: attendance is not asked for."))
    submit = SubmitField(_l("Save course"))

    def __init__(self, *args, branches, units, instructors, courses, lessons=(), **kwargs):
        """Choices from what the view loaded: the branches the user may run courses of, the units of the
        syllabus version, the instructors, the courses that may be prerequisites, the course's lessons."""
        super().__init__(*args, **kwargs)
        self.completion_lesson_ids.choices = [(lesson.id, _l("Lesson %(n)d: %(title)s", n=place, title=lesson.title))
                                              for place, lesson in enumerate(lessons, 1)]
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

    def validate_completion_lesson_ids(self, field) -> None:
        if self.completion_lessons.data == "listed" and not field.data:
            raise ValidationError(_l("Tick the lessons the course asks for."))

    def values(self) -> dict:
        return {name: getattr(self, name).data for name in (
            "code", "title", "description", "kind", "delivery", "capacity", "self_enrol", "approval_required",
            "enrol_opens_on", "enrol_closes_on", "starts_on", "ends_on", "prerequisite_certificate",
            "completion_hours", "completion_final", "completion_final_min", "completion_attendance")} | {
            "completion_lessons": LessonsRequired(self.completion_lessons.data),
            "completion_lesson_ids": sorted(self.completion_lesson_ids.data or [])
            if self.completion_lessons.data == "listed" else [],
            "code": self.code.data.strip(), "title": self.title.data.strip(), "description": self.description.data or "",
            "prerequisite_certificate": (self.prerequisite_certificate.data or "").strip()}


class ActionForm(FlaskForm):
    submit = SubmitField(_l("Confirm"))


class WithdrawForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[Optional(), Length(max=500)])
    submit = SubmitField(_l("Withdraw"))


class ResultForm(FlaskForm):
    result = SelectField(_l("Result"), choices=[("completed", _l("Completed")), ("failed", _l("Failed"))])
    # A result by hand overrides the course's completion rule, so it says why (a classroom-only course...).
    note = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
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


class MandatoryForm(FlaskForm):
    """A standing mandatory rule: a course, its audience (now and later), its due date."""

    course_id = SelectField(_l("Course"), coerce=int, choices=[])
    area_code = SelectField(_l("Area"), choices=[])
    employment = SelectField(_l("Employment"), choices=[("", _l("(any)"))] + labels.choices(Employment))
    status = SelectField(_l("Worker status"), choices=[("", _l("(any)"))] + labels.choices(WorkerStatus))
    hired_within_days = IntegerField(_l("Hired within (days)"), validators=[Optional(), NumberRange(min=1, max=3650)],
                                     description=_l("Blank: whenever hired. New hires enter; growing older does not take them out."))
    holds_certificate = SelectField(_l("Holds the certificate"), choices=[], default="")
    lacks_certificate = SelectField(_l("Lacks the certificate"), choices=[], default="")
    due_on = DateField(_l("Due on (fixed date)"), validators=[Optional()])
    due_days_after_hire = IntegerField(_l("or due days after hire"), validators=[Optional(), NumberRange(min=1, max=3650)])
    submit = SubmitField(_l("Assign"))

    def __init__(self, *args, areas: list[tuple[str, str]], courses, certificate_types=(), **kwargs):
        """Choices from what the view loaded: the areas of the user's scope, the published courses, and
        the certificate types (code, name)."""
        super().__init__(*args, **kwargs)
        self.area_code.choices = areas
        self.course_id.choices = [(c.id, f"{c.code} {c.title}") for c in courses]
        types = [("", _l("(any)"))] + [(code, name) for code, name in certificate_types]
        self.holds_certificate.choices, self.lacks_certificate.choices = types, list(types)

    def validate_lacks_certificate(self, field) -> None:
        if field.data and field.data == self.holds_certificate.data:
            raise ValidationError(_l("A worker cannot both hold and lack the same certificate."))

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


class SessionEditForm(SessionForm):
    submit = SubmitField(_l("Save session"))


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


PICK = re.compile(r"^[0-9]{1,9}:[0-9]{1,9}$")


class NeedsFilterForm(FlaskForm):
    """The training-needs list: an area (the area picker) and a page; a GET, no token."""

    class Meta:
        csrf = False

    area = StringField(_l("Area"), validators=[Optional(), Regexp(r"^[0-9]{4,12}$", message=_l("An area code is 4 to 12 digits."))],
                       render_kw={"data-picker": "area", "inputmode": "numeric", "maxlength": 12})
    page = IntegerField(_l("Page"), default=1, validators=[Optional(), NumberRange(min=1, max=100000)])


class NeedsSelectionForm(FlaskForm):
    """Recommended courses ticked on the training-needs page ("worker id:course id"), and their due date."""

    pick = SelectMultipleField(_l("Recommended courses"), choices=[], validate_choice=False)
    due_on = DateField(_l("Due on"), validators=[InputRequired()])
    submit = SubmitField(_l("Assign the ticked courses"))

    def validate_pick(self, field) -> None:
        if not field.data:
            raise ValidationError(_l("Tick at least one recommended course."))
        if len(field.data) > 500 or not all(PICK.match(value or "") for value in field.data):
            raise ValidationError(_l("The ticked courses could not be read; load the page again."))

    def picks(self) -> list[tuple[int, int]]:
        return [tuple(int(part) for part in value.split(":")) for value in self.pick.data]


class HoursFilterForm(FlaskForm):
    """The annual hours list: which year, and only those behind."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    year = IntegerField(_l("Year"), validators=[Optional(), NumberRange(min=2000, max=2100)])
    behind = BooleanField(_l("Only those behind"), default=False)
    submit = SubmitField(_l("Show"))


class HoursRequirementForm(FlaskForm):
    """The annual in-service hours asked of an area's workers (blank hours: no requirement)."""

    area_code = SelectField(_l("Area"), choices=[])
    hours = DecimalField(_l("Hours a year"), places=1, validators=[Optional(), NumberRange(min=1, max=500)],
                         description=_l("Blank removes the area's requirement."))
    submit = SubmitField(_l("Save requirement"))

    def __init__(self, *args, areas: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.area_code.choices = areas
