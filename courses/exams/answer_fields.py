"""The question form's answers as fields per question type, mapped to the text the form has always read.

The fields are a front end only: ``compose`` writes what they say into the form's ``answer`` and
``pairs`` texts (letters, T/F, blanks separated by ; with alternatives by |, value:tolerance or
low..high, item -> match lines), so the form's parsing and the server's checks stay the ones the text
form had. A type whose fields are all empty keeps the text as typed (the advanced way).

Weights (%) and feedback per answer are fields too, for choices (one per option), true/false (one per
choice) and numerical answers (one per row), with units as rows: ``field_weights``, ``field_feedback``
and ``field_units`` give them as the model keeps them, or None when they are all empty (then the text
fields below them say it, and empty text means the defaults: the right answer 100 %, the rest 0, no
feedback). ``check_fields`` names the field of each bad weight, number or range.
"""
from __future__ import annotations

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, Form, FormField, RadioField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from courses.exams.formats import MAX_ANSWERS, MAX_PAIRS, MAX_STEM, OPTION_LETTERS, numeric_text
from courses.exams.grading import QuestionType, parse_number

BLANK_FIELDS = 6
NUMERIC_ROWS = 4
UNIT_ROWS = 3
BLANK_ROWS = 4
MAX_UNITS = 10
HUNDRED = Decimal(100)
LETTERS = [(c, c) for c in OPTION_LETTERS]


def _choice(value) -> str | None:
    """A radio's value as posted; nothing chosen stays None (not the text "None")."""
    return str(value)[:1] if value else None


def _feedback_field(label):
    return TextAreaField(label, validators=[Optional(), Length(max=MAX_STEM)])


class NumericRow(Form):
    """An accepted number: a value with a tolerance, or a range from..to; its weight and feedback."""

    value = StringField(_l("Value"), validators=[Optional(), Length(max=40)])
    tolerance = StringField(_l("Tolerance (±)"), validators=[Optional(), Length(max=40)])
    low = StringField(_l("Range from"), validators=[Optional(), Length(max=40)])
    high = StringField(_l("Range to"), validators=[Optional(), Length(max=40)])
    weight = StringField(_l("Weight (%)"), validators=[Optional(), Length(max=40)])
    feedback = _feedback_field(_l("Feedback on this answer"))


class BlankAnswerRow(Form):
    """The weight and feedback of one accepted answer of a blank (named by the blank and its text)."""

    blank = SelectField(_l("Blank"), choices=[(n, str(n)) for n in range(1, BLANK_FIELDS + 1)], coerce=int, default=1)
    answer = StringField(_l("Accepted answer"), validators=[Optional(), Length(max=500)])
    weight = StringField(_l("Weight (%)"), validators=[Optional(), Length(max=40)])
    feedback = _feedback_field(_l("Feedback on this answer"))


class UnitRow(Form):
    unit = StringField(_l("Unit of measure"), validators=[Optional(), Length(max=20)])
    multiplier = StringField(_l("Multiplier"), validators=[Optional(), Length(max=40)])


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
    option_weights = FieldList(StringField(_l("Weight (%)"), validators=[Optional(), Length(max=40)]),
                               min_entries=len(OPTION_LETTERS), max_entries=len(OPTION_LETTERS))
    option_feedback = FieldList(_feedback_field(_l("Feedback on this answer")), min_entries=len(OPTION_LETTERS),
                                max_entries=len(OPTION_LETTERS))
    true_feedback = _feedback_field(_l("Feedback if true is chosen"))
    false_feedback = _feedback_field(_l("Feedback if false is chosen"))
    unit_rows = FieldList(FormField(UnitRow), min_entries=UNIT_ROWS, max_entries=MAX_UNITS)
    blank_rows = FieldList(FormField(BlankAnswerRow), min_entries=BLANK_ROWS, max_entries=BLANK_FIELDS * MAX_ANSWERS)
    option_weight_errors: list = []  # what ``check_fields`` found wrong with the options' weights together

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
        elif kind == QuestionType.NUMERICAL.value and self._numeric_rows():
            self.answer.data = "|".join(_numeric_row_text(row) for row in self._numeric_rows())
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
            _fill_list(self.numeric_rows, [{"low": a["min"], "high": a["max"]} if "min" in a else
                                           {"value": a["value"], "tolerance": a["tolerance"]} for a in correct], NUMERIC_ROWS)
        elif kind is QuestionType.MATCHING:
            rows = [{"item": item, "match": match} for item, match in correct] + [{"item": "", "match": m} for m in options]
            _fill_list(self.pair_rows, rows, MAX_PAIRS)
        return kind is not QuestionType.ESSAY


    def fill_answer_fields(self, kind: QuestionType, correct: list, weights: list, feedback: list, units: list) -> bool:
        """Fill the weight, feedback and unit fields from a saved question; False when the type has none
        (fill-in-the-blank and matching keep their text)."""
        if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            for index in range(len(OPTION_LETTERS)):
                self.option_weights[index].data = str(weights[index]) if index < len(weights) else ""
                self.option_feedback[index].data = feedback[index] if index < len(feedback) else ""
        elif kind is QuestionType.TRUE_FALSE:
            if weights:
                return False
            self.true_feedback.data, self.false_feedback.data = (list(feedback) + ["", ""])[:2]
        elif kind is QuestionType.NUMERICAL:
            for index, row in enumerate(self.numeric_rows):
                row.form.weight.data = str(weights[index]) if index < len(weights) else ""
                row.form.feedback.data = feedback[index] if index < len(feedback) else ""
            _fill_list(self.unit_rows, [{"unit": u, "multiplier": m} for u, m in units], UNIT_ROWS)
        elif kind is QuestionType.FILL_BLANK:
            _fill_list(self.blank_rows, _blank_rows(correct, weights, feedback), BLANK_ROWS)
        else:
            return kind is QuestionType.ESSAY
        return True

    def _blank_answers(self) -> list:
        return [row.form for row in self.blank_rows if _filled(row.form.answer)]

    def _per_blank(self, name: str, default: str) -> list | None:
        """The blanks' weights or feedback from the answer rows: per blank, per accepted answer."""
        rows = self._blank_answers()
        if not any(_filled(getattr(row, name)) for row in rows):
            return None
        given = {(row.blank.data, _text(row.answer)): getattr(row, name) for row in rows}
        return [[(_paragraphs(field.data) if name == "feedback" else _text(field)) if (field := given.get((n, answer)))
                 is not None and _filled(field) else default for answer in accepted]
                for n, accepted in enumerate(self.correct(), start=1)]

    def _numeric_rows(self) -> list:
        return [row.form for row in self.numeric_rows if any(_filled(f) for f in (row.form.value, row.form.low, row.form.high))]

    def _options(self) -> int:
        """How many options the question has (the last filled one counts)."""
        filled = [i for i, c in enumerate(OPTION_LETTERS) if _filled(getattr(self, f"option_{c.lower()}"))]
        return filled[-1] + 1 if filled else 0

    def field_weights(self) -> list | None:
        """The weights the fields give, as the model keeps them (text), or None when they are empty."""
        kind = self.type.data
        if kind in (QuestionType.SINGLE.value, QuestionType.MULTIPLE.value):
            fields = list(self.option_weights)[:self._options()]
            if not any(_filled(f) for f in fields):
                return None
            right = set(self.single_correct.data or "") if kind == QuestionType.SINGLE.value else set()
            return [_text(f) or ("100" if OPTION_LETTERS[i] in right else "0") for i, f in enumerate(fields)]
        if kind == QuestionType.NUMERICAL.value:
            rows = self._numeric_rows()
            if not any(_filled(row.weight) for row in rows):
                return None
            return [_text(row.weight) or "100" for row in rows]
        if kind == QuestionType.FILL_BLANK.value:
            return self._per_blank("weight", "100")
        return None

    def field_feedback(self) -> list | None:
        """The feedback per answer the fields give, or None when they are empty."""
        kind = self.type.data
        if kind in (QuestionType.SINGLE.value, QuestionType.MULTIPLE.value):
            fields = list(self.option_feedback)[:self._options()]
        elif kind == QuestionType.TRUE_FALSE.value:
            fields = [self.true_feedback, self.false_feedback]
        elif kind == QuestionType.NUMERICAL.value:
            fields = [row.feedback for row in self._numeric_rows()]
        elif kind == QuestionType.FILL_BLANK.value:
            return self._per_blank("feedback", "")
        else:
            return None
        if not any(_filled(f) for f in fields):
            return None
        return [_paragraphs(f.data) if _filled(f) else "" for f in fields]

    def field_units(self) -> list | None:
        rows = [row.form for row in self.unit_rows if _filled(row.form.unit) or _filled(row.form.multiplier)]
        if self.type.data != QuestionType.NUMERICAL.value or not rows:
            return None
        return [[_text(row.unit), _text(row.multiplier)] for row in rows]

    def check_fields(self) -> bool:
        """Name the field of each weight out of -100..100, each number that is none, each reversed range,
        and a key its weights contradict; False when any was found."""
        kind, found = self.type.data, []
        self.option_weight_errors = []

        def refuse(field, message):
            if field is self.option_weights:  # the options' weights together
                self.option_weight_errors.append(message)
            else:
                field.errors = [*field.errors, message]
            found.append(field)

        if kind in (QuestionType.SINGLE.value, QuestionType.MULTIPLE.value):
            fields = list(self.option_weights)[:self._options()]
            numbers = [_weight(f, refuse, low=-HUNDRED) for f in fields if _filled(f)]
            if any(_filled(f) for f in fields) and None not in numbers:
                self._check_choice_weights(kind, fields, refuse)
        elif kind == QuestionType.FILL_BLANK.value:
            accepted = self.correct()
            for row in self._blank_answers():
                if not 1 <= row.blank.data <= len(accepted) or _text(row.answer) not in accepted[row.blank.data - 1]:
                    refuse(row.answer, _l("This is not an accepted answer of blank %(n)d.", n=row.blank.data))
                elif _filled(row.weight):
                    _weight(row.weight, refuse, low=-HUNDRED)
            if not found:
                for n, group in enumerate(self._per_blank("weight", "100") or [], start=1):
                    if group and max(parse_number(w) for w in group) != HUNDRED:
                        refuse(next(r.weight for r in self._blank_answers() if r.blank.data == n and _filled(r.weight)),
                               _l("One accepted answer of blank %(n)d must be worth 100%%.", n=n))
        elif kind == QuestionType.NUMERICAL.value:
            for row in self._numeric_rows():
                _check_numeric_row(row, refuse)
            for row in self.unit_rows:
                if _filled(row.form.unit) != _filled(row.form.multiplier):
                    refuse(row.form.multiplier if _filled(row.form.unit) else row.form.unit,
                           _l("A unit needs its name and its multiplier."))
                elif _filled(row.form.multiplier) and not parse_number(_text(row.form.multiplier)):
                    refuse(row.form.multiplier, _l("The multiplier is a number other than zero."))
        return not found

    def _check_choice_weights(self, kind: str, fields: list, refuse) -> None:
        weights = [parse_number(w) for w in self.field_weights() or []]
        letters = OPTION_LETTERS[:len(fields)]
        if kind == QuestionType.SINGLE.value:
            right = self.single_correct.data
            if HUNDRED not in weights:
                refuse(self.option_weights, _l("One option must be worth 100%."))
            elif right in letters and weights[letters.index(right)] != HUNDRED:
                refuse(fields[letters.index(right)], _l("The right option must be worth 100%."))
            return
        if abs(sum(w for w in weights if w > 0) - HUNDRED) > Decimal("0.01"):
            refuse(self.option_weights, _l("The positive weights of a multiple-choice question must add up to 100%."))
        elif self.multiple_correct.data and {c for c, w in zip(letters, weights, strict=True) if w > 0} != set(self.multiple_correct.data):
            refuse(self.option_weights, _l("Mark as right exactly the options with a positive weight."))


def _blank_rows(correct: list, weights: list, feedback: list) -> list[dict]:
    """One row per accepted answer of each blank, with its weight and feedback, when the question has any."""
    if not weights and not feedback:
        return []
    rows = []
    for n, accepted in enumerate(correct):
        for index, answer in enumerate(accepted):
            weight = weights[n][index] if n < len(weights) and index < len(weights[n]) else ""
            comment = feedback[n][index] if n < len(feedback) and index < len(feedback[n]) else ""
            rows.append({"blank": n + 1, "answer": answer, "weight": str(weight), "feedback": comment})
    return rows


def _numeric_row_text(row) -> str:
    if _filled(row.low) or _filled(row.high):
        return numeric_text({"min": _text(row.low), "max": _text(row.high)})
    return numeric_text({"value": _text(row.value), "tolerance": _text(row.tolerance) or "0"})


def _check_numeric_row(row, refuse) -> None:
    number_message = _l("Give an ordinary number (no NaN, no infinity, at most 10^30).")
    if _filled(row.value) and (_filled(row.low) or _filled(row.high)):
        refuse(row.value, _l("Give a value with a tolerance or a range from..to, not both."))
        return
    if _filled(row.low) or _filled(row.high):
        bounds = []
        for field in (row.low, row.high):
            if not _filled(field):
                refuse(field, _l("A range needs both ends."))
            elif (number := parse_number(_text(field))) is None:
                refuse(field, number_message)
            else:
                bounds.append(number)
        if len(bounds) == 2 and bounds[0] > bounds[1]:
            refuse(row.high, _l("The range is reversed: to must not be below from."))
    else:
        if parse_number(_text(row.value)) is None:
            refuse(row.value, number_message)
        if _filled(row.tolerance):
            tolerance = parse_number(_text(row.tolerance))
            if tolerance is None or tolerance < 0:
                refuse(row.tolerance, _l("The tolerance is a number of at least 0."))
    if _filled(row.weight):
        _weight(row.weight, refuse, low=Decimal(0))


def _weight(field, refuse, low: Decimal) -> Decimal | None:
    number = parse_number(_text(field))
    if number is None or not low <= number <= HUNDRED:
        refuse(field, _l("A weight is a percentage from -100 to 100.") if low < 0 else
               _l("A weight is a percentage from 0 to 100."))
        return None
    return number


def _text(field) -> str:
    return (field.data or "").strip()


def _paragraphs(text: str) -> str:
    """A text area's text as typed, with the browser's line ends (CR LF) as the model keeps them (LF)."""
    return text.replace("\r\n", "\n")


def _filled(field) -> bool:
    return bool((field.data or "").strip())


def _fill_list(field_list: FieldList, values: list, least: int) -> None:
    while field_list.entries:
        field_list.pop_entry()
    for value in values + [None] * max(0, least - len(values)):
        field_list.append_entry(value)

