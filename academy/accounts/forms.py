"""Forms of the accounts package; every field is length-checked, uniqueness included."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional, Regexp, ValidationError

from academy.accounts.labels import ROLE_LABELS
from academy.accounts.models import User
from academy.accounts.operations import find_user
from academy.accounts.passwords import MAX_LENGTH, password_problem, verify_password
from academy.permissions import Role
from academy.web.numbers import DateField

USERNAME_PATTERN = r"^[a-zA-Z0-9_.-]+$"
LANGUAGE_CHOICES = [("zh_CN", "中文"), ("en", "English")]


class LoginForm(FlaskForm):
    username = StringField(_l("Username or phone number"), validators=[DataRequired(), Length(max=40)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    next = HiddenField(validators=[Length(max=2000)])
    submit = SubmitField(_l("Log in"))


class NewPasswordMixin:
    """The new password twice, checked against the policy for ``policy_username``."""

    policy_username = ""

    def validate_new_password(self, field) -> None:
        problem = password_problem(field.data or "", self.policy_username)
        if problem:
            raise ValidationError(problem)


class PasswordChangeForm(NewPasswordMixin, FlaskForm):
    current_password = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    confirm = PasswordField(
        _l("New password again"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))],
    )
    submit = SubmitField(_l("Change password"))

    def __init__(self, user: User, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.policy_username = user.username

    def validate_current_password(self, field) -> None:
        if not verify_password(self.user.password_hash, field.data or ""):
            raise ValidationError(_l("The current password is wrong."))


class LanguageForm(FlaskForm):
    language = SelectField(_l("Language"), choices=LANGUAGE_CHOICES)
    next = HiddenField(validators=[Length(max=2000)])
    submit = SubmitField(_l("Switch"))


class UserCreateForm(NewPasswordMixin, FlaskForm):
    username = StringField(
        _l("Username"),
        validators=[DataRequired(), Length(min=2, max=40),
                    Regexp(USERNAME_PATTERN, message=_l("Use letters, digits, dot, dash and underscore only."))],
    )
    display_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=80)])
    new_password = PasswordField(_l("Initial password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    submit = SubmitField(_l("Create user"))

    def validate_username(self, field) -> None:
        self.policy_username = field.data or ""
        if find_user(field.data or "") is not None:
            raise ValidationError(_l("This username is taken."))


class UserEditForm(FlaskForm):
    display_name = StringField(_l("Full name"), validators=[DataRequired(), Length(max=80)])
    active = BooleanField(_l("Active (may log in)"))
    submit = SubmitField(_l("Save"))


class PasswordResetForm(NewPasswordMixin, FlaskForm):
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    submit = SubmitField(_l("Set password"))

    def __init__(self, user: User, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.policy_username = user.username


class GrantForm(FlaskForm):
    role = SelectField(_l("Role"), choices=[(role.value, label) for role, label in ROLE_LABELS.items()])
    area_code = SelectField(_l("Area"), validators=[Optional()], choices=[])
    submit = SubmitField(_l("Grant"))

    def __init__(self, area_choices: list[tuple[str, str]], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.area_code.choices = [("", _l("Whole city"))] + area_choices

    def validate_area_code(self, field) -> None:
        if self.role.data == Role.ADMIN.value and field.data:
            raise ValidationError(_l("The administrator role cannot be limited to an area."))

    @property
    def role_value(self) -> Role:
        return Role(self.role.data)


class AuditFilterForm(FlaskForm):
    """Who, what kind of event, on what kind of object, between which days (each optional).
    ``events`` and ``objects`` are (code, label) pairs: what the packages labelled."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    actor = StringField(_l("Who (user name or full name)"), validators=[Optional(), Length(max=80)])
    action = SelectField(_l("What was done"), validators=[Optional()])
    object_type = SelectField(_l("On what"), validators=[Optional()])
    date_from = DateField(_l("Date from"), validators=[Optional()])
    date_to = DateField(_l("Date to"), validators=[Optional()])
    submit = SubmitField(_l("Filter"))

    def __init__(self, formdata, events: list[tuple[str, str]], objects: list[tuple[str, str]]) -> None:
        super().__init__(formdata)
        self.action.choices = [("", _l("All events")), *events]
        self.object_type.choices = [("", _l("Anything")), *objects]

    def validate_date_to(self, field) -> None:
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("The end date is before the start date."))
