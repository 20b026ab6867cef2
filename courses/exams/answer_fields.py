"""The question form's answers as fields per question type, mapped to the text the form has always read.

The fields are a front end only: ``compose`` writes what they say into the form's ``answer`` and
``pairs`` texts (letters, T/F, blanks separated by ; with alternatives by |, value:tolerance, item ->
match lines), so the form's parsing and the server's checks stay the ones the text form had. A type
whose fields are all empty keeps the text as typed (the advanced way, e.g. numerical ranges).
"""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, Form, FormField, RadioField, SelectMultipleField, StringField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from courses.exams.formats import MAX_ANSWERS, MAX_PAIRS, OPTION_LETTERS
from courses.exams.grading import QuestionType

BLANK_FIELDS = 6
NUMERIC_ROWS = 4
LETTERS = [(c, c) for c in OPTION_LETTERS]


def _choice(value) -> str | None:
    """A radio's value as posted; nothing chosen stays None (not the text "None")."""
    return str(value)[:1] if value else None


class NumericRow(Form):
    value = StringField(_l("Value"), validators=[Optional(), Length(max=40)])
    tolerance = StringField(_l("Tolerance (±)"), validators=[Optional(), Length(max=40)])


class PairRow(Form):
    item = StringField(_l("Item"), validators=[Optional(), Length(max=1000)])
    match = StringField(_l("Match"), validators=[Optional(), Length(max=1000)])


class AnswerFields(Form):
    """Per-type answer fields; ``QuestionForm`` inherits them."""

    single_correct = RadioField(_l("Right option (single choice)"), choices=LETTERS, validate_choice=False,
                                coerce=_choice)
    multiple_correct = SelectMultipleField(_l("Right options (multiple choice)"), choices=LETTERS, validate_choice=False,
                                           option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))
    true_false = RadioField(_l("Right answer (true/false)"), choices=[("T", _l("True")), ("F", _l("False"))],
                            validate_choice=False, coerce=_choice)
    blank_answers = FieldList(StringField(_l("Blank"), validators=[Optional(), Length(max=500)]),
                       min_entries=BLANK_FIELDS, max_entries=MAX_ANSWERS)
    numeric_rows = FieldList(FormField(NumericRow), min_entries=NUMERIC_ROWS, max_entries=MAX_ANSWERS)
    pair_rows = FieldList(FormField(PairRow), min_entries=MAX_PAIRS, max_entries=2 * MAX_PAIRS)

    def compose(self) -> None:
        """Write the chosen type's fields, when any is filled, into the ``answer``/``pairs`` text."""
        kind = self.type.data
        if kind == QuestionType.SINGLE.value and self.single_correct.data and self.single_correct.data in OPTION_LETTERS:
            self.answer.data = self.single_correct.data
        elif kind == QuestionType.MULTIPLE.value and self.multiple_correct.data:
            self.answer.data = "".join(sorted(set(self.multiple_correct.data) & set(OPTION_LETTERS)))
        elif kind == QuestionType.TRUE_FALSE.value and self.true_false.data in ("T", "F"):
            self.answer.data = self.true_false.data
        elif kind == QuestionType.FILL_BLANK.value and any((b.data or "").strip() for b in self.blank_answers):
            self.answer.data = ";".join(b.data.strip() for b in self.blank_answers if (b.data or "").strip())
        elif kind == QuestionType.NUMERICAL.value and any(_filled(r.form.value) for r in self.numeric_rows):
            self.answer.data = "|".join(f"{r.form.value.data.strip()}:{(r.form.tolerance.data or '').strip() or '0'}"
                                        for r in self.numeric_rows if _filled(r.form.value))
        elif kind == QuestionType.MATCHING.value and any(_filled(r.form.match) for r in self.pair_rows):
            self.pairs.data = "\n".join(f"{(r.form.item.data or '').strip()} -> {r.form.match.data.strip()}".strip()
                                        for r in self.pair_rows if _filled(r.form.match))

    def fill_fields(self, kind: QuestionType, correct: list, options: list) -> bool:
        """Fill the fields from a saved question's answers; False when the fields cannot say them (ranges)."""
        if kind is QuestionType.SINGLE:
            self.single_correct.data = correct[0] if correct else None
        elif kind is QuestionType.MULTIPLE:
            self.multiple_correct.data = list(correct)
        elif kind is QuestionType.TRUE_FALSE:
            self.true_false.data = correct[0] if correct else None
        elif kind is QuestionType.FILL_BLANK:
            _fill_list(self.blank_answers, ["|".join(blank) for blank in correct], BLANK_FIELDS)
        elif kind is QuestionType.NUMERICAL:
            if any("min" in answer for answer in correct):
                return False
            _fill_list(self.numeric_rows, [{"value": a["value"], "tolerance": a["tolerance"]} for a in correct], NUMERIC_ROWS)
        elif kind is QuestionType.MATCHING:
            rows = [{"item": item, "match": match} for item, match in correct] + [{"item": "", "match": m} for m in options]
            _fill_list(self.pair_rows, rows, MAX_PAIRS)
        return kind is not QuestionType.ESSAY


def _filled(field) -> bool:
    return bool((field.data or "").strip())


def _fill_list(field_list: FieldList, values: list, least: int) -> None:
    while field_list.entries:
        field_list.pop_entry()
    for value in values + [None] * max(0, least - len(values)):
        field_list.append_entry(value)

