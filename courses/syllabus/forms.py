"""Forms of the syllabus package: versions, units, reviews, branches, trainers, committee."""
from __future__ import annotations

import re
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError

from academy.web.numbers import DecimalField, IntegerField
from courses.syllabus.labels import DECISION_LABELS

CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9.\-]*$"
CODE_MESSAGE = _l("Use letters, digits, dot and dash only.")


def split_codes(text: str | None) -> list[str]:
    """Comma, space or 、-separated codes as a clean list."""
    cleaned = (text or "").replace("、", ",").replace("，", ",").replace(" ", ",")
    return [part.strip() for part in cleaned.split(",") if part.strip()]


class _ChoosesUser:
    """A form whose ``user_id`` offers ``users`` (name and log-in) and gives back the one chosen."""

    def offer_users(self, users) -> None:
        self.users = {user.id: user for user in users}
        self.user_id.choices = [(u.id, f"{u.display_name} ({u.username})") for u in users]

    def chosen_user(self):
        return self.users.get(self.user_id.data)


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token."""

    submit = SubmitField(_l("Confirm"))


class VersionForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    notes = TextAreaField(_l("Notes"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Create draft"))


class UnitForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=20), Regexp(CODE_PATTERN, message=CODE_MESSAGE)])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    parent_id = SelectField(_l("Module"), coerce=int, choices=[])
    objectives = TextAreaField(_l("Learning objectives"), validators=[Optional(), Length(max=5000)])
    theory_hours = DecimalField(_l("Theory hours"), places=1, default=Decimal("0"),
                                validators=[InputRequired(), NumberRange(min=0, max=999)])
    practice_hours = DecimalField(_l("Practice hours"), places=1, default=Decimal("0"),
                                  validators=[InputRequired(), NumberRange(min=0, max=999)])
    assessment_standard = TextAreaField(_l("Assessment standard"), validators=[Optional(), Length(max=5000)])
    case_categories = StringField(_l("Case categories trained (comma-separated)"), validators=[Optional(), Length(max=500)])
    position = IntegerField(_l("Position"), default=0, validators=[Optional(), NumberRange(min=0, max=9999)])
    submit = SubmitField(_l("Save unit"))

    def __init__(self, modules, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.parent_id.choices = [(0, _l("(none: this is a module)"))] + [(m.id, f"{m.code} {m.title}") for m in modules]

    def values(self, modules_by_id: dict) -> dict:
        return {
            "code": self.code.data.strip(), "title": self.title.data.strip(), "objectives": self.objectives.data or "",
            "theory_hours": self.theory_hours.data, "practice_hours": self.practice_hours.data,
            "assessment_standard": self.assessment_standard.data or "",
            "case_categories": split_codes(self.case_categories.data), "position": self.position.data or 0,
            "parent": modules_by_id.get(self.parent_id.data),
        }


class ReviewForm(FlaskForm):
    decision = SelectField(_l("Decision"), choices=[(decision.value, label) for decision, label in DECISION_LABELS.items()])
    comment = TextAreaField(_l("Comments"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Record review"))


class BranchForm(FlaskForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=20), Regexp(CODE_PATTERN, message=CODE_MESSAGE)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    area_id = SelectField(_l("District"), coerce=int, choices=[])
    submit = SubmitField(_l("Open branch"))

    def __init__(self, districts, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.districts = {area.id: area for area in districts}
        self.area_id.choices = [(area.id, f"{area.code} {area.name}") for area in districts]

    def chosen_area(self):
        return self.districts.get(self.area_id.data)


class TrainerForm(_ChoosesUser, FlaskForm):
    user_id = SelectField(_l("Instructor"), coerce=int, choices=[])
    branch_id = SelectField(_l("Branch academy"), coerce=int, choices=[])
    qualifications = StringField(_l("Qualifications"), validators=[Optional(), Length(max=500)])
    specialties = StringField(_l("Units he or she may teach (codes, comma-separated)"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Add to trainer pool"))

    def __init__(self, instructors, branches, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.offer_users(instructors)
        self.branches = {branch.id: branch for branch in branches}
        self.branch_id.choices = [(0, _l("(city academy)"))] + [(b.id, b.name) for b in branches]

    def chosen_branch(self):
        """The branch chosen; None for the city academy itself."""
        return self.branches.get(self.branch_id.data) if self.branch_id.data else None

    def validate_specialties(self, field) -> None:
        for code in split_codes(field.data):
            if len(code) > 20 or not re.match(CODE_PATTERN, code):
                raise ValidationError(_l("Unknown unit code: %(code)s", code=code[:20]))


class TrainerEditForm(FlaskForm):
    """A trainer's branch academy, qualifications and units, changed on his own page."""

    branch_id = SelectField(_l("Branch academy"), coerce=int, choices=[])
    qualifications = StringField(_l("Qualifications"), validators=[Optional(), Length(max=500)])
    specialties = StringField(_l("Units he or she may teach (codes, comma-separated)"), validators=[Optional(), Length(max=1000)])
    submit = SubmitField(_l("Save"))

    def __init__(self, branches, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.branches = {branch.id: branch for branch in branches}
        self.branch_id.choices = [(0, _l("(city academy)"))] + [(b.id, b.name) for b in branches]

    chosen_branch = TrainerForm.chosen_branch
    validate_specialties = TrainerForm.validate_specialties


class CommitteeForm(_ChoosesUser, FlaskForm):
    user_id = SelectField(_l("User"), coerce=int, choices=[])
    title = StringField(_l("Title or expertise"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Add to committee"))

    def __init__(self, users, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.offer_users(users)
