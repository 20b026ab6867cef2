"""The preferences form (one row of channels per kind, quiet hours, e-mail) and the admin's defaults."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, SelectMultipleField, StringField, SubmitField, widgets
from wtforms.validators import DataRequired, Length, Optional, Regexp

from academy.accounts.labels import role_label
from academy.notifications.kinds import KINDS
from academy.notifications.labels import CHANNEL_LABELS
from academy.permissions import Role

HOURS = [("", _l("None"))] + [(str(hour), f"{hour:02d}:00") for hour in range(24)]
USER_ID = r"^[A-Za-z0-9._@-]+$"
DIGEST_HOURS = [("", _l("Immediately"))] + [
    (str(hour), _l("In a daily digest at %(hour)s", hour=f"{hour:02d}:00")) for hour in range(24)]


class ChannelsField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


def _channel_choices():
    return [(channel.value, label) for channel, label in CHANNEL_LABELS.items()]


def _hour(value):
    return int(value) if value not in (None, "") else None


class PreferencesForm(FlaskForm):
    email = EmailField(_l("E-mail address"), validators=[Optional(), Length(max=200),
                       Regexp(r"^[A-Za-z0-9._+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$", message=_l("Enter an e-mail address such as name@example.org."))],
                       description=_l("Leave empty to receive nothing by e-mail."))
    quiet_from = SelectField(_l("Quiet hours from"), choices=HOURS, coerce=_hour, validate_choice=True)
    quiet_to = SelectField(_l("Quiet hours until"), choices=HOURS, coerce=_hour, validate_choice=True)
    digest_hour = SelectField(_l("Messages that are not urgent, by e-mail, SMS and robots"), choices=DIGEST_HOURS,
                              coerce=_hour, validate_choice=True,
                              description=_l("A digest lists the messages of the 24 hours before its hour, with their links. "
                                             "Urgent messages are always sent at once; the inbox gets everything at once."))
    wecom_user_id = StringField(_l("WeCom user ID"), validators=[Optional(), Length(max=64), Regexp(
        USER_ID, message=_l("Use the ID as your administrator gave it: letters, digits and . _ @ - only."))])
    dingtalk_user_id = StringField(_l("DingTalk user ID"), validators=[Optional(), Length(max=64), Regexp(
        USER_ID, message=_l("Use the ID as your administrator gave it: letters, digits and . _ @ - only."))])
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, kinds=None, **kwargs) -> None:
        """``kinds``: the kinds this person may receive (``queries.offered_kinds``); all when not given."""
        super().__init__(*args, **kwargs)
        self.kinds = list(KINDS.values()) if kinds is None else list(kinds)

    def kind_fields(self):
        """(kind, its field) of the offered kinds, in the kinds' order."""
        return [(kind, self[f"kind_{FIELD_INDEX[kind.key]}"]) for kind in self.kinds]

    def channels(self) -> dict[str, list[str]]:
        return {kind.key: list(field.data or []) for kind, field in self.kind_fields()}


FIELD_INDEX = {key: index for index, key in enumerate(KINDS)}
for _index, _kind in enumerate(KINDS.values()):
    setattr(PreferencesForm, f"kind_{_index}", ChannelsField(_kind.label, choices=_channel_choices, default=[]))


class RoleDefaultForm(FlaskForm):
    role = SelectField(_l("Role"), validators=[DataRequired()])
    kind = SelectField(_l("Notification"), validators=[DataRequired()])
    channels = ChannelsField(_l("Channels"), choices=_channel_choices)
    submit = SubmitField(_l("Save"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.role.choices = [(role.value, role_label(role)) for role in Role if role != Role.ADMIN]
        self.kind.choices = [(kind.key, str(kind.label)) for kind in KINDS.values()]
