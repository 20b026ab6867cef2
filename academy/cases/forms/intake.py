"""The intake forms: the grid worker's phone form (with up to five photos) and the hotline form."""
from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    EmailField,
    HiddenField,
    MultipleFileField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError
from wtforms.widgets import HiddenInput

from academy.cases import photos
from academy.files import display_name
from academy.web.numbers import FloatField

KEY_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"
KEY_MESSAGE = _l("This form's key was not valid and has been renewed: send the report again.")


def grid_choices(grids) -> list[tuple[int, str]]:
    """A worker's grids as a select's choices: "name (code)"."""
    return [(g.id, f"{g.name} ({g.code})") for g in grids]


class ReportBase(FlaskForm):
    category = SelectField(_l("Category"), coerce=int, validators=[DataRequired()])
    title = StringField(_l("Summary"), validators=[DataRequired(), Length(max=120)])
    description = TextAreaField(_l("What happened"), validators=[DataRequired(), Length(max=2000)])
    location = StringField(_l("Location"), validators=[Optional(), Length(max=200)])
    submission_key = HiddenField(validators=[DataRequired(message=KEY_MESSAGE), Regexp(KEY_PATTERN, message=KEY_MESSAGE)])

    def __init__(self, categories, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.category.choices = [(c.id, c.full_name) for c in categories]
        if not self.submission_key.data:
            self.submission_key.data = secrets.token_urlsafe(24)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if self.submission_key.errors:  # a key the page never made: the form shown again carries a good one
            self.submission_key.data = secrets.token_urlsafe(24)
        return valid


class PhotosMixin:
    """Up to five photos, checked by content and size; their bytes end up in ``photo_data``."""

    photo_data: list[bytes]

    def validate_photos(self, field) -> None:
        self.photo_data = []
        files = [f for f in (field.data or []) if getattr(f, "filename", "")]
        if len(files) > photos.MAX_PHOTOS:
            raise ValidationError(_l("At most 5 photos."))
        limit = photos.max_bytes()
        for upload in files:
            data = upload.stream.read(limit + 1)
            try:
                photos.check_photo(data)
            except photos.PhotoError as error:
                raise ValidationError(f"{display_name(upload.filename, limit=60)}: {error}") from error
            self.photo_data.append(data)


class WorkerReportForm(PhotosMixin, ReportBase):
    grid = SelectField(_l("Grid"), coerce=int, validators=[DataRequired()])
    # The phone's position, filled by the page from its GPS: kept, never typed (the place is shown in words).
    latitude = FloatField(_l("Latitude"), validators=[Optional(), NumberRange(-90, 90)], widget=HiddenInput())
    longitude = FloatField(_l("Longitude"), validators=[Optional(), NumberRange(-180, 180)], widget=HiddenInput())
    photos = MultipleFileField(_l("Photos (up to 5: JPEG, PNG or WebP)"))
    handled_on_spot = BooleanField(_l("I handled it on the spot (simple case)"))
    file_anyway = BooleanField(_l("It is a different matter: file it as a new case"))

    def __init__(self, categories, grids, *args, **kwargs):
        super().__init__(categories, *args, **kwargs)
        self.grid.choices = grid_choices(grids)
        self.photo_data = []


class PlaceQuery(FlaskForm):
    """The point the report form asks about (``GET /cases/report/place``): changes nothing, so no CSRF token."""

    class Meta:
        csrf = False

    lat = FloatField(_l("Latitude"), validators=[InputRequired(), NumberRange(-90, 90)])
    lon = FloatField(_l("Longitude"), validators=[InputRequired(), NumberRange(-180, 180)])


class HotlineForm(ReportBase):
    place = SelectField(_l("Grid or area"), validators=[DataRequired()])
    resident_name = StringField(_l("Caller's name"), validators=[Optional(), Length(max=50)])
    resident_phone = TelField(_l("Caller's phone"), validators=[Optional(), Length(max=30),
                                                                   Regexp(r"^[0-9+\- ]*$", message=_l("Digits only."))])
    resident_email = EmailField(_l("Caller's e-mail"), validators=[Optional(), Length(max=120),
                                                                     Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Not an e-mail address."))])

    def __init__(self, categories, places, *args, **kwargs):
        super().__init__(categories, *args, **kwargs)
        self.place.choices = places
