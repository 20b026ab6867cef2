"""Question files: GIFT and the Chinese spreadsheet layout, read, checked and written back."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courses.exams.formats import ParsedQuestion
from courses.exams.formats.gift import parse_gift, write_gift
from courses.exams.formats.sheet import TEMPLATE_COLUMNS, column_keys, parse_row, to_row
from courses.exams.grading import QuestionType

GIFT = r"""
// 网格员岗前培训题库
$CATEGORY: $course$/P-01

::Q1:: 网格员每日巡查的基本要求是？ {=一日双巡 ~每周一次 ~每月一次 ####一日双巡是东丽区的做法。}

::Q2:: 以下哪些属于“五小”矛盾？ {~%50%邻里纠纷 ~%50%家庭矛盾 ~%-100%刑事案件}

::Q3:: 网格员可以自办自结简单事件。 {TRUE}

::Q4:: 12345 是政务服务便民热线，又称 {=市民热线 =便民热线} 。

::Q5:: 请简述入户走访的要点。 {}

::Q6:: Escapes \{ \} \= \~ work {=yes \= sure ~no}
"""


@pytest.fixture(autouse=True)
def english(app):
    """Messages and places read in English, as an English-speaking instructor would see them."""
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def test_gift_reads_every_type():
    questions, problems = parse_gift(GIFT)
    assert problems == []
    kinds = [q.type for q in questions]
    assert kinds == [QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE,
                     QuestionType.FILL_BLANK, QuestionType.ESSAY, QuestionType.SINGLE]
    q1, q2, q3, q4, q5, q6 = questions
    assert q1.options == ["一日双巡", "每周一次", "每月一次"] and q1.correct == ("A",)
    assert q1.explanation == "一日双巡是东丽区的做法。" and q1.unit_code == "P-01" and q1.title == "Q1"
    assert q2.correct == ("A", "B")
    assert q3.correct == ("T",)
    assert q4.correct == (("市民热线", "便民热线"),) and "____" in q4.stem
    assert q6.stem == "Escapes { } = ~ work" and q6.options == ["yes = sure", "no"]


def test_gift_problems_name_their_line_and_nothing_is_returned_for_them():
    questions, problems = parse_gift("::A:: no answers here\n\n::B:: one option {=only}\n\n::C:: bad {=a ~b =c}\n")
    assert [str(p.place) for p in problems] == ["line 1", "line 5"]
    assert [q.title for q in questions] == ["B"]  # a one-answer short-answer question is fine


def test_gift_round_trip():
    questions, _ = parse_gift(GIFT)
    again, problems = parse_gift(write_gift(questions))
    assert problems == []
    assert [(q.type, q.stem, q.options, q.correct, q.explanation, q.unit_code) for q in again] == \
           [(q.type, q.stem, q.options, q.correct, q.explanation, q.unit_code) for q in questions]


@settings(max_examples=200)
@given(st.text(max_size=300))
def test_gift_never_crashes_on_garbage(text):
    questions, problems = parse_gift(text)
    assert isinstance(questions, list) and isinstance(problems, list)


def _row(**values):
    base = {"type": "单选题", "stem": "题干", "option_A": "甲", "option_B": "乙", "answer": "A", "difficulty": "中"}
    base.update(values)
    return base


def test_sheet_rows_of_every_type():
    single, problems = parse_row(_row(), 2)
    assert problems == [] and single.correct == ("A",) and single.difficulty == "medium"
    multi, _ = parse_row(_row(type="多选题", option_C="丙", answer="A、C"), 3)
    assert multi.type is QuestionType.MULTIPLE and multi.correct == ("A", "C")
    tf, _ = parse_row(_row(type="判断题", answer="错", option_A="", option_B=""), 4)
    assert tf.correct == ("F",)
    fill, _ = parse_row(_row(type="填空题", answer="南京|金陵；玄武区", option_A="", option_B=""), 5)
    assert fill.correct == (("南京", "金陵"), ("玄武区",))


def test_sheet_problems_are_reported_by_row_and_column():
    cases = [
        (_row(type="选择题"), "题型"),
        (_row(answer="E"), "答案"),
        (_row(difficulty="极难"), "难度"),
        (_row(type="判断题", answer="也许"), "答案"),
    ]
    for values, column in cases:
        question, problems = parse_row(values, 9)
        assert question is None and problems and problems[0].column == column and str(problems[0].place) == "row 9"
    question, problems = parse_row(_row(type="单选题", answer="AB"), 9)
    assert question is None and "exactly one" in str(problems[0].message)


def test_headers_in_chinese_or_english():
    keys = column_keys(["题型", "Stem", "选项A", "option b", "答案", "unknown"])
    assert keys == {0: "type", 1: "stem", 2: "option_A", 3: "option_B", 4: "answer"}


def test_sheet_export_reads_back():
    question = ParsedQuestion(type=QuestionType.MULTIPLE, stem="哪些?", options=["甲", "乙", "丙"], correct=("A", "C"),
                              difficulty="hard", unit_code="U1")
    row = dict(zip([column_keys(TEMPLATE_COLUMNS)[i] for i in range(len(TEMPLATE_COLUMNS))], to_row(question), strict=True))
    again, problems = parse_row(row, 2)
    assert problems == [] and again.correct == ("A", "C") and again.difficulty == "hard" and again.unit_code == "U1"
