"""Weights, feedback per answer, general feedback, numerical rows and units as fields of the question
form: what they save, what they refuse (with the field named, nothing saved), and that an imported
GIFT or Moodle XML question edited and saved without a change stays as it was."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sqlalchemy as sa

from academy.extensions import db
from courses.exams.grading import QuestionType as T
from courses.exams.models import Question
from courses.exams.operations.bank import FIELDS
from tests.courses.exams.importing import import_file
from tests.courses.exams.test_question_fields import OPTIONS, _new, _saved, instructor  # noqa: F401 (a fixture)
from tests.support import post_form

DATA = Path(__file__).resolve().parents[2] / "data" / "exams"
pytestmark = pytest.mark.usefixtures("instructor")  # logged in, in English


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Question.id)))


class _FormReader(HTMLParser):
    """What a browser sends for the question form as the page shows it (checked boxes, selected options)."""

    def __init__(self):
        super().__init__()
        self.fields: list[tuple[str, str]] = []
        self._inside = False
        self._textarea: str | None = None
        self._select: str | None = None
        self._chosen: str | None = None
        self._first: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("data-testid") == "question-form":
            self._inside = True
        if not self._inside:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit",):
            if attrs.get("type") in ("radio", "checkbox"):
                if "checked" in attrs:
                    self.fields.append((name, attrs.get("value") or "y"))
            else:
                self.fields.append((name, attrs.get("value") or ""))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, ""
        elif tag == "select" and name:
            self._select, self._chosen, self._first = name, None, None
        elif tag == "option" and self._select:
            self._first = self._first if self._first is not None else attrs.get("value", "")
            if "selected" in attrs:
                self._chosen = attrs.get("value", "")

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._inside = False
        elif tag == "textarea" and self._textarea is not None:
            text = self._text.replace("\r\n", "\n")
            text = text[1:] if text.startswith("\n") else text  # browsers drop the newline after <textarea>
            self.fields.append((self._textarea, text.replace("\n", "\r\n")))  # and send lines ended by CR LF
            self._textarea = None
        elif tag == "select" and self._select:
            self.fields.append((self._select, self._chosen if self._chosen is not None else self._first or ""))
            self._select = None


def _as_shown(client, question: Question) -> dict:
    reader = _FormReader()
    reader.feed(client.get(f"/exams/bank/{question.id}/edit").get_data(as_text=True))
    data: dict = {}
    for name, value in reader.fields:
        if name in data:
            data[name] = [*data[name], value] if isinstance(data[name], list) else [data[name], value]
        else:
            data[name] = value
    return {name: value for name, value in data.items() if name != "csrf_token"}


def _importable(name: str) -> bytes:
    """The file as the bank takes it: Moodle's own export less what the bank refuses by name (a description,
    a choice question with more options than six) and its categories (no such syllabus units here)."""
    data = (DATA / name).read_bytes()
    if not name.endswith(".xml"):
        return data
    root = ET.fromstring(data)
    for refused in [q for q in root.findall("question") if q.get("type") in ("description", "category")
                    or q.findtext("name/text") == "Multiple choice question"]:
        root.remove(refused)
    return ET.tostring(root, encoding="utf-8")


def _state(question: Question) -> dict:
    return {name: getattr(question, name) for name in FIELDS} | {"version": question.version}


@pytest.mark.parametrize("name", ["moodle-gift-examples.txt", "moodle-xml-qformat-export.xml",
                                  "moodle-xml-nested-categories.xml"])
def test_an_imported_question_saved_unchanged_stays_as_it_was(client, name):
    imported = import_file(client, name, _importable(name))
    assert imported.status_code == 302, imported.get_data(as_text=True)[-2000:]
    questions = list(db.session.scalars(sa.select(Question).order_by(Question.id)))
    kinds = {q.type for q in questions}
    assert len(questions) >= 3 and kinds
    before = {q.id: _state(q) for q in questions}
    for question in questions:
        data = _as_shown(client, question)
        response = post_form(client, f"/exams/bank/{question.id}/edit", data, token_from=f"/exams/bank/{question.id}/edit")
        assert response.status_code == 302, (question.type, question.stem[:60], response.get_data(as_text=True)[-3000:])
    db.session.expire_all()
    assert _count() == len(questions)  # no new version of any
    after = {q.id: _state(q) for q in db.session.scalars(sa.select(Question))}
    for question_id, state in before.items():
        assert after[question_id] == state, question_id


def test_the_files_hold_weights_feedback_ranges_and_general_feedback_to_round_trip(client):
    """The round trip above says something: the files hold what the new fields edit."""
    for name in ("moodle-gift-examples.txt", "moodle-xml-qformat-export.xml"):
        assert import_file(client, name, _importable(name)).status_code == 302
    questions = list(db.session.scalars(sa.select(Question)))
    assert any(q.weights for q in questions if q.type in (T.SINGLE, T.MULTIPLE, T.NUMERICAL))
    assert any(any(f for f in q.answer_feedback) for q in questions if q.type in (T.SINGLE, T.MULTIPLE, T.TRUE_FALSE))
    assert any("min" in a for q in questions if q.type is T.NUMERICAL for a in q.correct)
    assert any(q.explanation for q in questions)


def test_weights_and_feedback_per_answer_are_saved_and_shown_again(client):
    single = _saved(_new(client, {"type": "single", **OPTIONS, "single_correct": "B", "option_weights-0": "50",
                                  "option_weights-1": "", "option_weights-2": "-25", "option_feedback-0": "差一点",
                                  "option_feedback-1": "对", "explanation": "总体反馈"}))
    assert single.correct == ["B"] and single.weights == ["50", "100", "-25", "0"]
    assert single.answer_feedback == ["差一点", "对", "", ""] and single.explanation == "总体反馈"
    multiple = _saved(_new(client, {"type": "multiple", **OPTIONS, "multiple_correct": ["A", "C"], "option_weights-0": "50",
                                    "option_weights-1": "-100", "option_weights-2": "50"}))
    assert multiple.weights == ["50", "-100", "50", "0"] and multiple.answer_feedback == []
    true_false = _saved(_new(client, {"type": "true_false", "true_false": "T", "false_feedback": "再想想\r\n第二行"}))
    assert true_false.answer_feedback == ["", "再想想\n第二行"] and true_false.weights == []
    numerical = _saved(_new(client, {"type": "numerical", "numeric_rows-0-value": "1822", "numeric_rows-0-tolerance": "0.5",
                                     "numeric_rows-1-low": "1800", "numeric_rows-1-high": "1850", "numeric_rows-1-weight": "25",
                                     "numeric_rows-1-feedback": "年代对了", "unit_rows-0-unit": "年",
                                     "unit_rows-0-multiplier": "1"}))
    assert numerical.correct == [{"value": "1822", "tolerance": "0.5"}, {"min": "1800", "max": "1850"}]
    assert numerical.weights == ["100", "25"] and numerical.answer_feedback == ["", "年代对了"]
    assert numerical.units == [["年", "1"]]
    page = client.get(f"/exams/bank/{numerical.id}/edit").get_data(as_text=True)
    for name, value in [("numeric_rows-1-low", "1800"), ("numeric_rows-1-high", "1850"), ("numeric_rows-1-weight", "25"),
                        ("unit_rows-0-unit", "年"), ("unit_rows-0-multiplier", "1")]:
        assert re.search(f'name="{name}"[^>]* value="{value}"', page), name
    assert "年代对了</textarea>" in page
    page = client.get(f"/exams/bank/{single.id}/edit").get_data(as_text=True)
    assert 'name="option_weights-2" type="text" value="-25"' in page and "差一点</textarea>" in page


def test_a_blanks_answers_get_weights_and_feedback_by_name(client):
    question = _saved(_new(client, {"type": "fill_blank", "blank_answers-0": "拿撒勒|拿撤勒|伯利恒", "blank_answers-1": "加利利",
                                    "blank_rows-0-blank": "1", "blank_rows-0-answer": "拿撤勒", "blank_rows-0-weight": "75",
                                    "blank_rows-0-feedback": "对，但写错了字", "blank_rows-1-blank": "1",
                                    "blank_rows-1-answer": "伯利恒", "blank_rows-1-weight": "25"}))
    assert question.correct == [["拿撒勒", "拿撤勒", "伯利恒"], ["加利利"]]
    assert question.weights == [["100", "75", "25"], ["100"]]
    assert question.answer_feedback == [["", "对，但写错了字", ""], [""]]
    page = client.get(f"/exams/bank/{question.id}/edit").get_data(as_text=True)
    assert re.search(r'name="blank_rows-2-answer"[^>]* value="伯利恒"', page)
    assert re.search(r'name="blank_rows-2-weight"[^>]* value="25"', page)
    assert re.search(r'name="blank_rows-1-answer"[^>]* value="拿撤勒"', page) and "对，但写错了字</textarea>" in page


def test_the_simple_case_stays_simple(client):
    """No weight typed: the defaults (right answer 100 %, the rest 0) and no lists saved."""
    question = _saved(_new(client, {"type": "single", **OPTIONS, "single_correct": "A"}))
    assert question.weights == [] and question.answer_feedback == []


BAD = [
    ({"type": "single", **OPTIONS, "single_correct": "A", "option_weights-1": "101"}, "A weight is a percentage from -100 to 100."),
    ({"type": "single", **OPTIONS, "single_correct": "A", "option_weights-0": "-101"}, "A weight is a percentage from -100 to 100."),
    ({"type": "single", **OPTIONS, "single_correct": "A", "option_weights-0": "50"}, "One option must be worth 100%."),
    ({"type": "single", **OPTIONS, "single_correct": "A", "option_weights-0": "50", "option_weights-1": "100"},
     "The right option must be worth 100%."),
    ({"type": "multiple", **OPTIONS, "multiple_correct": ["A", "B"], "option_weights-0": "50", "option_weights-1": "40"},
     "must add up to 100%"),
    ({"type": "multiple", **OPTIONS, "multiple_correct": ["A"], "option_weights-0": "50", "option_weights-1": "50"},
     "Mark as right exactly the options with a positive weight."),
    ({"type": "single", **OPTIONS, "single_correct": "A", "option_weights-1": "NaN"}, "A weight is a percentage from -100 to 100."),
    ({"type": "fill_blank", "blank_answers-0": "北京", "blank_rows-0-answer": "上海", "blank_rows-0-weight": "50"},
     "This is not an accepted answer of blank 1."),
    ({"type": "fill_blank", "blank_answers-0": "北京", "blank_rows-0-blank": "2", "blank_rows-0-answer": "北京"},
     "This is not an accepted answer of blank 2."),
    ({"type": "fill_blank", "blank_answers-0": "北京", "blank_rows-0-answer": "北京", "blank_rows-0-weight": "50"},
     "One accepted answer of blank 1 must be worth 100%."),
    ({"type": "fill_blank", "blank_answers-0": "北京|京", "blank_rows-0-answer": "京", "blank_rows-0-weight": "1e40"},
     "A weight is a percentage from -100 to 100."),
    ({"type": "fill_blank", "blank_answers-0": "北京", "blank_rows-0-blank": "x", "blank_rows-0-answer": "北京"}, "Invalid Choice"),
    ({"type": "numerical", "numeric_rows-0-low": "5", "numeric_rows-0-high": "3"}, "The range is reversed"),
    ({"type": "numerical", "numeric_rows-0-low": "5"}, "A range needs both ends."),
    ({"type": "numerical", "numeric_rows-0-value": "NaN"}, "Give an ordinary number"),
    ({"type": "numerical", "numeric_rows-0-value": "18446744073709551616000000000000000"}, "Give an ordinary number"),
    ({"type": "numerical", "numeric_rows-0-value": "1e999999"}, "Give an ordinary number"),
    ({"type": "numerical", "numeric_rows-0-value": "3", "numeric_rows-0-tolerance": "-1"}, "The tolerance is a number of at least 0."),
    ({"type": "numerical", "numeric_rows-0-value": "3", "numeric_rows-0-low": "1", "numeric_rows-0-high": "4"}, "not both"),
    ({"type": "numerical", "numeric_rows-0-value": "3", "numeric_rows-0-weight": "-10"}, "A weight is a percentage from 0 to 100."),
    ({"type": "numerical", "numeric_rows-0-value": "3", "unit_rows-0-unit": "km"}, "A unit needs its name and its multiplier."),
    ({"type": "numerical", "numeric_rows-0-value": "3", "unit_rows-0-unit": "km", "unit_rows-0-multiplier": "0"},
     "The multiplier is a number other than zero."),
]


@pytest.mark.parametrize("data,words", BAD, ids=[str(i) for i in range(len(BAD))])
def test_a_bad_weight_number_or_range_is_refused_at_its_field(client, data, words):
    before = _count()
    response = _new(client, data)
    assert response.status_code == 400
    text = response.get_data(as_text=True)
    assert words in text, re.findall(r"text-danger[^<]*<", text)
    assert 'is-invalid' in text or 'data-testid="option-weight-error"' in text  # shown at the field
    assert _count() == before

