"""Forms of first sign-in and recovery: every field bounded; the new password checked by the policy."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from academy.accounts.forms import NewPasswordMixin
from academy.accounts.passwords import MAX_LENGTH
from academy.registry import labels
from academy.registry.models import WorkerStatus


class _NewPassword(NewPasswordMixin):
    """The new password twice; the policy's username is the worker number typed (the default username)."""

    def validate_worker_number(self, field) -> None:
        self.policy_username = (field.data or "").strip()


class ActivateForm(_NewPassword, FlaskForm):
    code = StringField(_l("Activation code"), validators=[DataRequired(), Length(max=40)])
    worker_number = StringField(_l("Worker number"), validators=[DataRequired(), Length(max=20)])
    id_tail = StringField(_l("Last 6 characters of your ID number"), validators=[DataRequired(), Length(min=6, max=6)])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    confirm = PasswordField(_l("New password again"),
                            validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))])
    submit = SubmitField(_l("Activate and log in"))


class ForgotForm(FlaskForm):
    identifier = StringField(_l("Worker number or phone"), validators=[DataRequired(), Length(max=40)])
    submit = SubmitField(_l("Send me a code"))


class ResetForm(_NewPassword, FlaskForm):
    worker_number = StringField(_l("Worker number or phone"), validators=[DataRequired(), Length(max=40)])
    code = StringField(_l("Code from the text message"), validators=[DataRequired(), Length(max=12)])
    new_password = PasswordField(_l("New password"), validators=[DataRequired(), Length(max=MAX_LENGTH)])
    confirm = PasswordField(_l("New password again"),
                            validators=[DataRequired(), EqualTo("new_password", message=_l("The two passwords differ."))])
    submit = SubmitField(_l("Set password and log in"))


class LettersForm(FlaskForm):
    area_code = SelectField(_l("Area"), choices=[], validators=[Optional()])
    status = SelectField(_l("Status"), choices=[], validators=[Optional()])
    submit = SubmitField(_l("Print activation letters"))

    def __init__(self, areas: list[tuple[str, str]], *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.area_code.choices = [("", _l("All my areas"))] + areas
        self.status.choices = [("", _l("All but exited"))] + [
            (value, label) for value, label in labels.choices(WorkerStatus) if value != WorkerStatus.EXITED.value]


class ConfirmForm(FlaskForm):
    """A button and its CSRF token (HR's reset of one worker)."""

    submit = SubmitField(_l("Print a new activation letter"))
