"""Forms of the assessment engine; every field bounded, choices limited to what exists."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, HiddenField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError

from academy.web.numbers import DateTimeLocalField, DecimalField, IntegerField
from academy.web.sorting import sort_field
from courses.exams.answer_fields import AnswerFields
from courses.exams.formats import MAX_STEM, OPTION_LETTERS, numeric_answer
from courses.exams.grading import QuestionType
from courses.exams.labels import BANK_SORT_LABELS, CREDIT_LABELS, DIFFICULTY_LABELS, RELEASE_LABELS, TYPE_LABELS

MAX_IMPORT_BASE64 = 24 * 1024 * 1024  # base64 of the largest upload the site accepts


def _split(text: str | None, separator: str) -> list[str]:
    return [part.strip() for part in (text or "").replace("；", ";").replace("，", ",").split(separator) if part.strip()]


class QuestionForm(FlaskForm, AnswerFields):
    """A bank question; the answers as per-type fields (``AnswerFields``) or as the text below them."""

    type = SelectField(_l("Question type"), choices=[(t.value, label) for t, label in TYPE_LABELS.items()])
    title = StringField(_l("Title"), validators=[Optional(), Length(max=255)])
    stem = TextAreaField(_l("Question (Markdown)"), validators=[DataRequired(), Length(max=MAX_STEM)])
    option_a = StringField(_l("Option A"), validators=[Optional(), Length(max=1000)])
    option_b = StringField(_l("Option B"), validators=[Optional(), Length(max=1000)])
    option_c = StringField(_l("Option C"), validators=[Optional(), Length(max=1000)])
    option_d = StringField(_l("Option D"), validators=[Optional(), Length(max=1000)])
    option_e = StringField(_l("Option E"), validators=[Optional(), Length(max=1000)])
    option_f = StringField(_l("Option F"), validators=[Optional(), Length(max=1000)])
    answer = StringField(_l("Answer as text (advanced)"), description=_l("Used when the answer fields of the type are empty. Letters (A or ACD), T/F, or blanks separated by ; with alternatives "
                                                     "separated by |; numerical: 1822:1 (value:tolerance) or 3.141..3.142, "
                                                     "several separated by |"),
                         validators=[Length(max=2000)])
    weights = StringField(_l("Weights (%)"), description=_l("One per option or answer, separated by commas (blanks separated by ;); "
                                                            "empty: the right answer 100, the others 0"),
                          validators=[Optional(), Length(max=500)])
    answer_feedback = TextAreaField(_l("Feedback per answer"), description=_l(
        "One line per option or answer, in order; true/false: the line shown if true is chosen, then if false is chosen"),
        validators=[Optional(), Length(max=MAX_STEM)])
    pairs = TextAreaField(_l("Matching pairs as text (advanced)"), description=_l("Used when the pair rows are empty. One pair per line: item -> match; a line -> match alone adds "
                                                               "a match to choose from"),
                          validators=[Optional(), Length(max=MAX_STEM)])
    units = StringField(_l("Units (numerical)"), description=_l("Optional, e.g. m=1, km=0.001: an answer in km is divided by 0.001"),
                        validators=[Optional(), Length(max=300)])
    partial_credit = SelectField(_l("Partial credit (multiple choice)"), choices=[(p.value, label) for p, label in CREDIT_LABELS.items()])
    case_sensitive = BooleanField(_l("Blanks: case matters"))
    width_sensitive = BooleanField(_l("Blanks: full-width and half-width characters differ"))
    explanation = TextAreaField(_l("General feedback (explanation)"), description=_l(
        "Shown with the result whatever the answer, when the exam shows answers."), validators=[Optional(), Length(max=MAX_STEM)])
    rubric = TextAreaField(_l("Rubric (essays)"), validators=[Optional(), Length(max=MAX_STEM)])
    unit_id = SelectField(_l("Syllabus unit"), coerce=int, choices=[])
    difficulty = SelectField(_l("Difficulty"), choices=[(d, label) for d, label in DIFFICULTY_LABELS.items()], default="medium")
    tags = StringField(_l("Tags (comma separated)"), validators=[Optional(), Length(max=300)])
    submit = SubmitField(_l("Save question"))

    def __init__(self, unit_choices: list[tuple[int, str]], *args, **kwargs) -> None:
        """``unit_choices``: (id, label) of the syllabus units, "-" (0) first (``queries.unit_choices``)."""
        super().__init__(*args, **kwargs)
        self.unit_id.choices = unit_choices

    def validate(self, extra_validators=None) -> bool:
        for field in self:  # browsers end a text area's lines with CR LF; the bank keeps LF (files do)
            if isinstance(field, TextAreaField) and field.data:
                field.data = field.data.replace("\r\n", "\n")
        self.compose()
        valid = super().validate(extra_validators)
        return self.check_fields() and valid

    def options(self) -> list[str]:
        if self.type.data == QuestionType.MATCHING.value:
            return [line.partition("->")[2].strip() for line in (self.pairs.data or "").splitlines()
                    if line.strip().startswith("->")]
        values = [getattr(self, f"option_{c.lower()}").data or "" for c in OPTION_LETTERS]
        while values and not values[-1].strip():
            values.pop()
        return [v.strip() for v in values]

    def correct(self) -> list:
        raw = (self.answer.data or "").strip()
        kind = QuestionType(self.type.data)
        if kind is QuestionType.FILL_BLANK:
            return [[a.strip() for a in b.split("|") if a.strip()] for b in raw.replace("；", ";").split(";") if b.strip()]
        if kind is QuestionType.TRUE_FALSE:
            return [raw.upper()[:1]] if raw else []
        if kind is QuestionType.ESSAY:
            return []
        if kind is QuestionType.NUMERICAL:
            return [numeric_answer(part) for part in raw.split("|") if part.strip()]
        if kind is QuestionType.MATCHING:
            return [[item.strip(), match.strip()] for item, _arrow, match in
                    (line.partition("->") for line in (self.pairs.data or "").splitlines()) if item.strip()]
        return sorted({c for c in raw.upper() if c.isalpha()})

    def answer_weights(self) -> list:
        fields = self.field_weights()
        if fields is not None:
            return fields
        if self.type.data == QuestionType.FILL_BLANK.value:
            return [_split(blank, ",") for blank in _split(self.weights.data, ";")]
        return _split(self.weights.data, ",")

    def feedback_lines(self) -> list:
        fields = self.field_feedback()
        if fields is not None:
            return fields
        lines = [line.strip() for line in (self.answer_feedback.data or "").splitlines()]
        while lines and not lines[-1]:
            lines.pop()
        if self.type.data == QuestionType.FILL_BLANK.value and lines:
            sizes, grouped = [len(blank) for blank in self.correct()], []
            for size in sizes:
                grouped.append((lines + [""] * size)[:size])
                lines = lines[size:]
            return grouped
        return lines

    def unit_pairs(self) -> list:
        fields = self.field_units()
        if fields is not None:
            return fields
        return [[unit.strip(), multiplier.strip()] for unit, _eq, multiplier in
                (part.partition("=") for part in _split(self.units.data, ","))]

    def validate_answer(self, field):
        if self.type.data not in {kind.value for kind in QuestionType}:
            return  # no or an unknown type: the type field reports that itself
        if QuestionType(self.type.data) in (QuestionType.ESSAY, QuestionType.MATCHING):
            return
        if not (field.data or "").strip():
            raise ValidationError(_l("Give the answer."))


class StatusForm(FlaskForm):
    status = SelectField(choices=[("active", ""), ("retired", ""), ("draft", "")])


class ImportForm(FlaskForm):
    """The upload: its questions are shown (``ImportConfirmForm``) before anything is written."""

    file = FileField(_l("Question file (.xlsx, Word .docx, Moodle XML .xml, GIFT .txt)"), validators=[FileRequired()])
    submit = SubmitField(_l("Check and preview"))


class ImportConfirmForm(FlaskForm):
    """The previewed file again (base64), to be read once more and written; nothing is taken from the preview."""

    content = HiddenField(validators=[DataRequired(), Length(max=MAX_IMPORT_BASE64)])
    filename = HiddenField(validators=[DataRequired(), Length(max=200)])
    activate = BooleanField(_l("Make the imported questions active"), default=False,
                            description=_l("Off: they come in as drafts, to be checked and activated one by one."))
    confirm = SubmitField(_l("Import these questions"))


class StemImageForm(FlaskForm):
    """An image for question stems; its content is checked in ``courses.exams.images``."""

    file = FileField(_l("Image (PNG, JPEG, GIF or WebP)"), validators=[FileRequired()])
    alt = StringField(_l("Description for people who cannot see the image"), validators=[Optional(), Length(max=200)])
    submit = SubmitField(_l("Upload image"))


class ExamForm(FlaskForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    is_final = BooleanField(_l("Final exam of the course"))
    opens_at = DateTimeLocalField(_l("Opens"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])
    closes_at = DateTimeLocalField(_l("Closes"), format="%Y-%m-%dT%H:%M", validators=[InputRequired()])
    time_limit_minutes = IntegerField(_l("Time limit (minutes)"), default=60, validators=[InputRequired(), NumberRange(1, 600)])
    attempts_allowed = IntegerField(_l("Attempts allowed"), default=1, validators=[InputRequired(), NumberRange(1, 20)])
    pass_mark = DecimalField(_l("Pass mark (%)"), default=60, places=2, validators=[InputRequired(), NumberRange(0, 100)])
    grace_seconds = IntegerField(_l("Grace period after the time limit (seconds)"), default=60,
                                 validators=[InputRequired(), NumberRange(0, 600)])
    start_window_minutes = IntegerField(_l("Latest start, minutes after opening (empty: any time)"),
                                        validators=[Optional(), NumberRange(1, 100000)])
    shuffle_questions = BooleanField(_l("Shuffle questions"), default=True)
    shuffle_options = BooleanField(_l("Shuffle options"), default=True)
    show_score = BooleanField(_l("Trainees see their score"), default=True)
    show_answers = BooleanField(_l("Trainees see the right answers and explanations"))
    release = SelectField(_l("Results are shown"), choices=[(r.value, label) for r, label in RELEASE_LABELS.items()])
    double_marking = BooleanField(_l("Double marking: two instructors mark each essay blind"),
                                  description=_l("Cannot be switched on or off once marking has begun."))
    double_marking_tolerance = DecimalField(
        _l("Double marking tolerance (points)"), default=1, places=2, validators=[Optional(), NumberRange(0, 100)],
        description=_l("Marks at most this far apart are averaged; marks further apart are reconciled by an instructor."))
    submit = SubmitField(_l("Save exam"))


class RuleForm(FlaskForm):
    question_family_id = IntegerField(_l("Fixed question number (instead of a draw)"), validators=[Optional(), NumberRange(1)])
    type = SelectField(_l("Question type"), choices=[(t.value, label) for t, label in TYPE_LABELS.items()])
    unit_id = SelectField(_l("Syllabus unit"), coerce=int, choices=[])
    difficulty = SelectField(_l("Difficulty"), choices=[("", _l("Any"))] + [(d, label) for d, label in DIFFICULTY_LABELS.items()])
    count = IntegerField(_l("Number of questions"), default=1, validators=[InputRequired(), NumberRange(1, 200)])
    points = DecimalField(_l("Points each"), default=2, places=2, validators=[InputRequired(), NumberRange(0.5, 100)])
    submit = SubmitField(_l("Add to blueprint"))

    def __init__(self, unit_choices: list[tuple[int, str]], *args, **kwargs) -> None:
        """``unit_choices``: (id, label) of the syllabus units, "-" (0) first (``queries.unit_choices``)."""
        super().__init__(*args, **kwargs)
        self.unit_id.choices = unit_choices


class AccommodationForm(FlaskForm):
    worker_number = StringField(_l("Grid worker"), validators=[DataRequired(), Length(max=20)],
                                render_kw={"data-picker": "worker"})
    extra_minutes = IntegerField(_l("Extra minutes"), default=0, validators=[InputRequired(), NumberRange(0, 600)])
    extra_attempts = IntegerField(_l("Extra attempts"), default=0, validators=[InputRequired(), NumberRange(0, 10)])
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=500)])
    submit = SubmitField(_l("Save accommodation"))


class GradeForm(FlaskForm):
    points = DecimalField(_l("Points"), places=2, validators=[InputRequired(), NumberRange(0, 100)])
    feedback = TextAreaField(_l("Feedback"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save mark and next"))


class ReconcileForm(FlaskForm):
    points = DecimalField(_l("Final points"), places=2, validators=[InputRequired(), NumberRange(0, 100)])
    feedback = TextAreaField(_l("Feedback to the trainee"), validators=[Optional(), Length(max=5000)])
    submit = SubmitField(_l("Save final points and next"))


class RegradeForm(FlaskForm):
    reason = StringField(_l("Reason"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Apply the regrade"))


class ActionForm(FlaskForm):
    """A bare POST (publish, start, submit, release) protected by its CSRF token."""


class BankSortForm(FlaskForm):
    """The question bank's sort select (the bank's other filters are read as plain arguments)."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    sort = sort_field(list(BANK_SORT_LABELS.items()))
