"""Forms of the certification module; every field bounded, choices limited to what exists."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from academy.web.numbers import DateField, DecimalField, FloatField, IntegerField
from academy.web.sorting import sort_field
from courses.certificates.labels import KIND_LABELS, REQUIREMENT_LABELS, SORT_LABELS, STATUS_LABELS
from courses.certificates.models import CertificateKind, RequirementKind
from courses.certificates.queries import Selection


def _upper(value):
    return value.strip().upper() if isinstance(value, str) else value


def _strip(value):
    return value.strip() if isinstance(value, str) else value


class TypeForm(FlaskForm):
    code = StringField(_l("Code"), filters=[_upper], description=_l("e.g. ONDUTY; course prerequisites name it"),
                       validators=[DataRequired(), Length(max=40), Regexp(r"^[A-Z][A-Z0-9_-]{1,39}$",
                                                                          message=_l("Capital letters, digits, - or _."))])
    prefix = StringField(_l("Number prefix"), filters=[_upper], description=_l("e.g. SG: numbers read SG-2026-320102-000001"),
                         validators=[DataRequired(), Regexp(r"^[A-Z]{1,6}$", message=_l("1 to 6 capital letters."))])
    name = StringField(_l("Name (Chinese)"), filters=[_strip], validators=[DataRequired(), Length(max=100)])
    name_en = StringField(_l("Name (English)"), filters=[_strip], validators=[Optional(), Length(max=100)])
    kind = SelectField(_l("Kind"), choices=[])
    validity_months = IntegerField(_l("Valid for (months; empty: does not expire)"),
                                   validators=[Optional(), NumberRange(1, 240)])
    min_hours = DecimalField(_l("Minimum hours of training"), places=1, default=0,
                             validators=[InputRequired(), NumberRange(0, 2000)])
    min_score = FloatField(_l("Minimum assessment score (empty: not asked)"), validators=[Optional(), NumberRange(0, 100)])
    renewal_hours = DecimalField(_l("Renewal: in-service hours in the period"), places=1, default=0,
                                 validators=[InputRequired(), NumberRange(0, 2000)])
    renewal_min_score = FloatField(_l("Renewal: minimum assessment score (empty: not asked)"),
                                   validators=[Optional(), NumberRange(0, 100)])
    renewal_window_days = IntegerField(_l("Renewal window (days before expiry)"), default=90,
                                       validators=[InputRequired(), NumberRange(1, 730)])
    automatic = BooleanField(_l("Issue automatically when the rule is met"), default=True)
    pdf_template = SelectField(_l("PDF template"), choices=[])
    active = BooleanField(_l("Issued (inactive types are kept but no longer issued)"), default=True)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, templates: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.kind.choices = [(k.value, label) for k, label in KIND_LABELS.items()]
        self.pdf_template.choices = [(name, name) for name in templates]

    def values(self) -> dict:
        return {"code": self.code.data, "prefix": self.prefix.data, "name": self.name.data,
                "name_en": self.name_en.data or "", "kind": CertificateKind(self.kind.data),
                "validity_months": self.validity_months.data, "min_hours": self.min_hours.data,
                "min_score": self.min_score.data, "renewal_hours": self.renewal_hours.data,
                "renewal_min_score": self.renewal_min_score.data, "renewal_window_days": self.renewal_window_days.data,
                "automatic": self.automatic.data, "pdf_template": self.pdf_template.data, "active": self.active.data}


class RequirementForm(FlaskForm):
    kind = SelectField(_l("Requirement"), choices=[(kind.value, REQUIREMENT_LABELS[kind])
                                                   for kind in (RequirementKind.EXAM, RequirementKind.COURSE)])
    course_id = SelectField(_l("Course"), coerce=int, choices=[])
    min_percent = DecimalField(_l("At least (percent, exams only; empty: the exam's pass mark)"), places=2,
                               validators=[Optional(), NumberRange(0, 100)])
    submit = SubmitField(_l("Add"))

    def __init__(self, *args, courses, **kwargs):
        super().__init__(*args, **kwargs)
        self.course_id.choices = [(c.id, f"{c.code} {c.title}") for c in courses]


class ReasonForm(FlaskForm):
    reason = StringField(_l("Reason"), filters=[_strip], validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Revoke"))


class IssueForm(FlaskForm):
    worker_number = StringField(_l("Grid worker"), filters=[_upper], render_kw={"data-picker": "worker"},
                                validators=[DataRequired(), Regexp(r"^W\d{8}$", message=_l("A worker number reads W00000042."))])
    type_id = SelectField(_l("Certificate type"), coerce=int, choices=[])
    reason = StringField(_l("Reason"), filters=[_strip], validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Issue"))

    def __init__(self, *args, types, **kwargs):
        super().__init__(*args, **kwargs)
        self.type_id.choices = [(t.id, f"{t.code} {t.name}") for t in types]


class SelectionForm(FlaskForm):
    """HR's filter for the list and the batch: every field optional, each bounded."""

    class Meta:
        csrf = False  # a GET filter on the list; the batch form below adds the token

    q = StringField(_l("Number or name"), filters=[_strip], validators=[Optional(), Length(max=60)])
    type_id = SelectField(_l("Certificate type"), coerce=int, choices=[], default=0)
    status = SelectField(_l("Status"), choices=[], default="")
    course_id = SelectField(_l("Course"), coerce=int, choices=[], default=0)
    exam_id = SelectField(_l("Exam"), coerce=int, choices=[], default=0)
    branch_id = SelectField(_l("Branch academy"), coerce=int, choices=[], default=0)
    area = StringField(_l("Area"), filters=[_strip], render_kw={"data-picker": "area"},
                       validators=[Optional(), Regexp(r"^\d{4,12}$", message=_l("An area code is 4 to 12 digits."))])
    issued_from = DateField(_l("Issued from"), validators=[Optional()])
    issued_to = DateField(_l("Issued until"), validators=[Optional()])

    def __init__(self, *args, types, courses, exams, branches, **kwargs):
        """The choices of the filter: what exists, each with "any" first."""
        super().__init__(*args, **kwargs)
        any_ = [(0, _l("any"))]
        self.type_id.choices = any_ + [(t.id, f"{t.code} {t.name}") for t in types]
        self.status.choices = [("", _l("any"))] + [(s.value, label) for s, label in STATUS_LABELS.items()]
        self.course_id.choices = any_ + [(c.id, f"{c.code} {c.title}") for c in courses]
        self.exam_id.choices = any_ + [(e.id, f"{e.course.code} {e.title}") for e in exams]
        self.branch_id.choices = any_ + [(b.id, b.name) for b in branches]

    def selection(self) -> Selection:
        """What HR chose, as the queries read it."""
        return Selection(type_id=self.type_id.data or None, status=self.status.data or "",
                         course_id=self.course_id.data or None, exam_id=self.exam_id.data or None,
                         branch_id=self.branch_id.data or None, area_code=self.area.data or "",
                         issued_from=self.issued_from.data, issued_to=self.issued_to.data, search=self.q.data or "")

    def validate_issued_to(self, field):
        if field.data and self.issued_from.data and field.data < self.issued_from.data:
            raise ValidationError(_l("The end date comes before the start date."))


class CertificateListForm(SelectionForm):
    """The list's filter: the selection and the order to show it in."""

    sort = sort_field(list(SORT_LABELS.items()))


class BatchForm(SelectionForm):
    class Meta:
        csrf = True

    language = SelectField(_l("Language of the certificates"),
                           choices=[("holder", _l("Each holder's language")), ("zh_CN", "中文"), ("en", "English")])
    submit = SubmitField(_l("Print"))


class VerifyForm(FlaskForm):
    """The public search: a number and the holder's name (both needed; no token, it changes nothing)."""

    class Meta:
        csrf = False

    number = StringField(_l("Certificate number"), filters=[_upper], validators=[DataRequired(), Length(max=40)])
    name = StringField(_l("Holder's name"), filters=[_strip], validators=[DataRequired(), Length(max=50)])
    submit = SubmitField(_l("Check"))



class VerificationKeyForm(FlaskForm):
    """An administrator issues a key to an integrator (a system that verifies certificates)."""

    name = StringField(_l("Integrator"), filters=[_strip], validators=[DataRequired(), Length(max=100)],
                       description=_l("Who uses the key, e.g. the city HR bureau's talent platform."))
    submit = SubmitField(_l("Issue a key"))
