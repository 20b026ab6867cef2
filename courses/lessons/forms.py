"""Forms of the lessons package."""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional

from academy.web.numbers import DecimalField, IntegerField
from courses.lessons.labels import COMPLETION_LABELS


class LessonForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    body_markdown = TextAreaField(_l("Text (Markdown)"), validators=[Optional(), Length(max=100_000)],
                                  render_kw={"rows": 12})
    video_url = StringField(_l("Video address (optional)"), validators=[Optional(), Length(max=500),
                                                                       URL(require_tld=False, message=_l("Enter a web address."))])
    hours = DecimalField(_l("Hours credited"), places=1, default=Decimal("0.5"), validators=[InputRequired(), NumberRange(min=0, max=40)])
    completion = SelectField(_l("Complete when"), choices=[(completion.value, label)
                                                           for completion, label in COMPLETION_LABELS.items()])
    min_seconds = IntegerField(_l("Minimum time (seconds)"), default=300, validators=[InputRequired(), NumberRange(min=0, max=14400)])
    position = IntegerField(_l("Position"), default=0, validators=[Optional(), NumberRange(min=0, max=9999)])
    published = BooleanField(_l("Visible to trainees"), default=True)
    submit = SubmitField(_l("Save lesson"))

    def values(self) -> dict:
        return {"title": self.title.data.strip(), "body_markdown": self.body_markdown.data or "",
                "video_url": (self.video_url.data or "").strip(), "hours": self.hours.data,
                "completion": self.completion.data, "min_seconds": self.min_seconds.data,
                "position": self.position.data or 0, "published": bool(self.published.data)}


class FileForm(FlaskForm):
    file = FileField(_l("File (PDF, image, office file, MP4/WebM video)"), validators=[FileRequired(_l("Choose a file."))])
    submit = SubmitField(_l("Upload"))


class RemoveFileForm(FlaskForm):
    """Only the CSRF token: the question was asked before the form was sent."""


class DoneForm(FlaskForm):
    submit = SubmitField(_l("Mark as done"))
