"""Moodle XML: files Moodle wrote (tests/data/exams/moodle-xml-*.xml) import question by question as Moodle
reads them; the bank's own export reads back to the same questions; what the bank cannot hold is refused by
type and line, and a file with a DTD or entities is refused without expanding anything."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
import sqlalchemy as sa

from academy.extensions import db
from academy.permissions import Role
from courses.exams.formats import ParsedQuestion
from courses.exams.formats.moodlexml import parse_xml
from courses.exams.formats.moodlexml_write import write_xml
from courses.exams.grading import PartialCredit as P
from courses.exams.grading import QuestionType as T
from courses.exams.models import Question
from tests.courses.exams.importing import confirm, upload
from tests.support import log_in

DATA = Path(__file__).parents[2] / "data" / "exams"
EXPORTED = DATA / "moodle-xml-qformat-export.xml"
NESTED = DATA / "moodle-xml-nested-categories.xml"


@pytest.fixture(autouse=True)
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def _by_title(path: Path) -> tuple[dict, list]:
    questions, problems = parse_xml(path.read_bytes())
    return {q.title: q for q in questions}, [(str(p.place), str(p.message)) for p in problems]


def test_moodles_own_export_of_each_type_reads_as_moodle_reads_it():
    questions, problems = _by_title(EXPORTED)
    essay = questions["An essay"]
    assert (essay.type, essay.stem, essay.rubric, essay.explanation) == (
        T.ESSAY, "Write something.", "Grade generously!", "I hope you wrote something interesting.")
    assert [str(n) for n in essay.notes] == ["Attachments are not kept: answers are typed text."]
    matching = questions["Matching question"]
    assert matching.type is T.MATCHING and matching.correct == (("A", "a"), ("B", "b"), ("C", "c"))
    assert matching.options == ["d"] and matching.explanation == "The answer is A -> a, B -> b and C -> c."
    assert [str(n) for n in matching.notes] == ["Hints are not kept (the bank's exams show no hints): 1.",
                                                "The combined feedback (correct, partially correct, incorrect) is not kept."]
    numerical = questions["Numerical question"]
    assert numerical.correct == ({"value": "42", "tolerance": "0.001"}, {"value": "13", "tolerance": "1"})
    assert numerical.weights == ["100", "0"] and numerical.feedback == ["Well done!", "What were you thinking?!"]
    assert "Completely wrong." in str(numerical.notes[0])
    short = questions["Short answer question"]
    assert (short.type, short.correct, short.weights, short.feedback, short.case_sensitive) == (
        T.FILL_BLANK, (("Beta",),), [], [["Well done!"]], False)
    assert short.stem == "Fill in the gap in this sequence: Alpha, ________, Gamma." and len(short.notes) == 2
    truth = questions["True false question"]
    assert (truth.type, truth.correct, truth.feedback, truth.points) == (T.TRUE_FALSE, ("T",), ["Well done!", "Doh!"], "1")
    assert problems == [
        ("line 4", "The Moodle question type Description (description) is not supported by the bank."),
        # 100 % on two answers of a multiple choice: Moodle's own question form refuses that too.
        ("line 98", "The positive weights of a multiple-choice question must add up to 100%.")]


def test_moodles_nested_categories_name_the_units():
    questions, problems = parse_xml(NESTED.read_bytes())
    assert problems == []
    assert [(q.title, q.type, q.unit_code, q.points) for q in questions] == [
        ("Iota Question", T.TRUE_FALSE, "Iota", "1"), ("Kappa Essay Question", T.ESSAY, "Kappa", "1"),
        ("Kappa Question", T.TRUE_FALSE, "Kappa", "1"), ("Lambda Question", T.TRUE_FALSE, "Lambda", "1"),
        ("Mu Question", T.TRUE_FALSE, "Mu", "1")]
    assert questions[0].stem == "<p>Testing Iota Question</p>" and questions[0].correct == ("T",)


EVERY_KIND = [
    ParsedQuestion(T.SINGLE, "**Bold** <b>", ["a<b", "b & c", "c"], ("B",), explanation="因为", unit_code="M1.1",
                   title="T1", points="2.5", shuffle=False, feedback=["no", "yes", ""], tags=["x", "y"]),
    ParsedQuestion(T.MULTIPLE, "=SUM(A1)", ["a", "b", "c", "d"], ("A", "C"), partial_credit=P.NO_WRONG, difficulty="hard"),
    ParsedQuestion(T.MULTIPLE, "weighted", ["a", "b", "c"], ("A", "B"), weights=["50", "50", "-100"],
                   partial_credit=P.RIGHT_MINUS_WRONG),
    ParsedQuestion(T.MULTIPLE, "thirds", ["a", "b", "c", "d"], ("A", "B", "C"), partial_credit=P.RIGHT_MINUS_WRONG),
    ParsedQuestion(T.TRUE_FALSE, "tf", correct=("F",), feedback=["wrong", ""]),
    ParsedQuestion(T.FILL_BLANK, "one *x*", correct=(("a*b", "A2"),), weights=[["100", "50"]], feedback=[["good", "ok"]],
                   case_sensitive=True),
    ParsedQuestion(T.FILL_BLANK, "two", correct=(("x",), ("y", "z}")), width_sensitive=True),
    ParsedQuestion(T.FILL_BLANK, "placed _____ and _____.", correct=(("x",), ("y",))),
    ParsedQuestion(T.NUMERICAL, "num", correct=({"min": "3.141", "max": "3.142"}, {"value": "1822", "tolerance": "2"}),
                   weights=["100", "50"], units=[["m", "1"], ["km", "0.001"]]),
    ParsedQuestion(T.MATCHING, "match", options=["extra"], correct=(("a", "1"), ("b", "2")), shuffle=False),
    ParsedQuestion(T.ESSAY, "essay", rubric="key points\nline 2", points="10"),
]


def test_the_export_reads_back_to_the_same_questions():
    back, problems = parse_xml(write_xml(EVERY_KIND))
    assert problems == []
    for written, read in zip(EVERY_KIND, back, strict=True):
        read.place = ""
        assert read == written


def test_the_export_is_what_moodle_reads():
    root = ET.fromstring(write_xml(EVERY_KIND))
    kinds = [q.get("type") for q in root.findall("question")]
    assert kinds == ["category", "multichoice", "category", "multichoice", "multichoice", "multichoice", "truefalse",
                     "shortanswer", "cloze", "cloze", "numerical", "matching", "essay"]
    assert root.find("question/category/text").text == "$course$/top/M1.1"
    thirds = root.findall("question")[5]
    assert [a.get("fraction") for a in thirds.findall("answer")] == ["33.33333"] * 3 + ["-33.33333"]
    ranged = root.findall("question")[10].find("answer")
    assert (ranged.findtext("text"), ranged.findtext("tolerance")) == ("3.1415", "0.0005")
    placed = root.findall("question")[9].findtext("questiontext/text")
    assert placed == "placed {1:SHORTANSWER:%100%x} and {1:SHORTANSWER:%100%y}."


def _question(body: str, kind: str = "multichoice") -> bytes:
    return (f'<?xml version="1.0"?>\n<quiz>\n  <question type="{kind}">\n    <name><text>Q</text></name>\n'
            f'    <questiontext format="html"><text>Stem</text></questiontext>\n{body}\n  </question>\n</quiz>\n').encode()


@pytest.mark.parametrize("data,words", [
    (_question("", "calculated"), "Calculated (calculated) is not supported"),
    (_question("", "ddwtos"), "Drag and drop into text (ddwtos) is not supported"),
    (_question("", "gapselect"), "Select missing words"),
    (_question("", "random"), "Random (random)"),
    (_question("", "description"), "Description (description)"),
    (_question("", "coderunner"), "coderunner (coderunner)"),
    (_question('<answer fraction="100"><text>=x</text></answer>'.replace("=x", "{1:MULTICHOICE:=a~b}"), "cloze")
     .replace(b"<text>Stem</text>", b"<text>Pick {1:MULTICHOICE:=a~b}</text>"), "MULTICHOICE is not supported"),
    (_question('<answer fraction="100"><text>a</text></answer><answer fraction="0"><text>b</text></answer>')
     .replace(b"Stem", b'&lt;img src="@@PLUGINFILE@@/x.png"&gt;'), "@@PLUGINFILE@@"),
    (_question('<file name="logo.jpg" encoding="base64">AAAA</file><answer fraction="100"><text>a</text></answer>'),
     "embeds the file logo.jpg"),
    (_question('<answer fraction="100" format="html"><text>&lt;img src="x.png"&gt;</text></answer>'
               '<answer fraction="0"><text>b</text></answer>'), "HTML <img>"),
    (_question('<answer fraction="100"><text>a</text></answer><answer fraction="50"><text>*</text></answer>',
               "shortanswer"), "any other answer"),
    (_question('<answer fraction="100"><text>fr*g</text></answer>', "shortanswer"), "wildcard"),
    (_question('<answer fraction="100"><text>5</text><tolerance>0</tolerance></answer><unitgradingtype>1</unitgradingtype>'
               '<unitpenalty>0.1</unitpenalty><units><unit><multiplier>1</multiplier><unit_name>m</unit_name></unit></units>',
               "numerical"), "penalty for a wrong unit"),
    (_question('<answer fraction="100"><text>a</text></answer><answer fraction="100"><text>b</text></answer>'),
     "exactly one right option"),
])
def test_what_the_bank_cannot_hold_is_refused_by_name_and_line(data, words):
    questions, problems = parse_xml(data)
    assert questions == [] and len(problems) == 1
    assert str(problems[0].place) == "line 3" and words in str(problems[0].message)


@pytest.mark.parametrize("data", [
    b'<?xml version="1.0"?><!DOCTYPE quiz [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    b'<quiz><question type="essay"><questiontext><text>&b;</text></questiontext></question></quiz>',
    b'<?xml version="1.0"?><!DOCTYPE quiz SYSTEM "file:///etc/passwd"><quiz/>',
    b'<?xml version="1.0"?><!DOCTYPE q [<!ENTITY x SYSTEM "file:///etc/passwd">]><quiz><question>&x;</question></quiz>',
])
def test_dtds_and_entities_are_refused_unexpanded(data):
    questions, problems = parse_xml(data)
    assert questions == [] and "DTD or entities" in str(problems[0].message)


@pytest.mark.parametrize("data,words", [(b"<quiz><question>", "not well-formed"), (b"<html/>", "starts with <quiz>"),
                                         (b"\xff\xfe\x00<", "not well-formed")])
def test_broken_files_are_refused(data, words):
    questions, problems = parse_xml(data)
    assert questions == [] and words in str(problems[0].message)


@pytest.fixture
def instructor(make_user, client, make_syllabus):
    make_syllabus()
    log_in(client, make_user("xml-teacher", Role.INSTRUCTOR).username)


def _count():
    return db.session.scalar(sa.select(sa.func.count(Question.id)))


def test_moodles_file_is_previewed_with_what_is_not_kept_then_imported(instructor, client):
    root = ET.parse(EXPORTED).getroot()
    for refused in [q for q in root.findall("question") if q.get("type") == "description"
                    or q.findtext("name/text") == "Multiple choice question"]:
        root.remove(refused)
    category = ET.Element("question", type="category")
    ET.SubElement(ET.SubElement(category, "category"), "text").text = "$course$/top/Policy/Law"  # a unit's title
    root.insert(0, category)
    before = _count()
    preview = upload(client, "moodle.xml", ET.tostring(root, encoding="utf-8"))
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200, html[-2000:]
    assert html.count('data-testid="preview-question"') == 5 and _count() == before
    assert "Not kept" in html and "Completely wrong." in html and "Grade generously!" in html
    assert confirm(client, html).status_code == 302 and _count() == before + 5
    saved = {q.title: q for q in db.session.scalars(sa.select(Question).order_by(Question.id).offset(before))}
    assert saved["An essay"].rubric == "Grade generously!" and saved["An essay"].points == Decimal("1.00")
    assert {q.unit.code for q in saved.values()} == {"M1.1"}
    exported = client.get("/exams/bank/export?format=xml")
    assert exported.status_code == 200 and exported.mimetype == "application/xml"
    again, problems = parse_xml(exported.get_data())
    assert problems == [] and {q.title for q in again} == set(saved)


def test_an_unknown_category_is_refused_and_nothing_written(instructor, client):
    response = upload(client, "nested.xml", NESTED.read_bytes())
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "Unknown syllabus unit Iota" in html and _count() == 0
    assert re.search(r"line 15", html)
