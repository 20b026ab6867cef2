"""Moodle's own GIFT examples (tests/data/exams/moodle-gift-examples.txt) import as Moodle reads them:
each question's type, key, weights, feedback and title; what the bank cannot hold is refused by line."""
from __future__ import annotations

from pathlib import Path

import pytest

from courses.exams.formats.gift import parse_gift, write_gift
from courses.exams.grading import QuestionType as T

EXAMPLES = Path(__file__).parents[2] / "data" / "exams" / "moodle-gift-examples.txt"
GRANT = {"value": "1822", "tolerance": "0"}
CLOSE = {"value": "1822", "tolerance": "2"}
NAZARETH = (("Nazareth", "Nazereth", "Bethlehem"),)
NAZARETH_SAYS = [["Yes! That's right!", "Right, but misspelled.", "He was born here, but not raised here."]]

# line: (type, title, correct, weights, feedback), in the file's order.
EXPECTED = {
    8: (T.SINGLE, "", ("C",), [], []),
    10: (T.SINGLE, "", ("B",), [], []),
    12: (T.TRUE_FALSE, "", ("F",), [], []),
    14: (T.FILL_BLANK, "", (("no one", "nobody"),), [], []),
    16: (T.NUMERICAL, "", ({"value": "1822", "tolerance": "1"},), [], []),
    25: (T.SINGLE, "", ("C",), [], []),
    27: (T.SINGLE, "", ("B",), [], []),
    29: (T.SINGLE, "", ("C",), [], []),
    35: (T.SINGLE, "", ("B",), [], []),
    43: (T.FILL_BLANK, "", (("no one", "nobody"),), [], []),
    45: (T.FILL_BLANK, "", (("four", "4"),), [], []),
    49: (T.TRUE_FALSE, "", ("F",), [], []),
    51: (T.TRUE_FALSE, "", ("T",), [], []),
    55: (T.MATCHING, "", (("subquestion1", "subanswer1"), ("subquestion2", "subanswer2"),
                          ("subquestion3", "subanswer3")), [], []),
    61: (T.MATCHING, "", (("Canada", "Ottawa"), ("Italy", "Rome"), ("Japan", "Tokyo"), ("India", "New Delhi")), [], []),
    70: (T.NUMERICAL, "", (GRANT,), [], []),
    72: (T.NUMERICAL, "", ({"value": "3.1415", "tolerance": "0.0005"},), [], []),
    74: (T.NUMERICAL, "", ({"min": "3.141", "max": "3.142"},), [], []),
    76: (T.NUMERICAL, "", (GRANT, CLOSE), ["100", "50"], []),
    85: (T.NUMERICAL, "", ({"value": "4", "tolerance": "0"},), [], []),
    90: (T.FILL_BLANK, "Kanji Origins", (("China",),), [], []),
    93: (T.SINGLE, "Thanksgiving Date", ("C",), [], []),
    98: (T.SINGLE, "", ("C",), [], ["feedback comment on the wrong answer", "feedback comment on this wrong answer",
                                     "Very good!"]),
    103: (T.FILL_BLANK, "", (("no one", "nobody"),), [], [["excellent answer!", "excellent answer!"]]),
    108: (T.FILL_BLANK, "", (("no one", "nobody"),), [], [["excellent answer!", "excellent answer!"]]),
    # {FALSE#...}: the feedback for a wrong answer, shown when "true" is chosen.
    113: (T.TRUE_FALSE, "", ("F",), [], ["No one is buried in Grant's tomb.", ""]),
    115: (T.SINGLE, "", ("C",), ["0", "50", "100"], []),
    117: (T.SINGLE, "Jesus' hometown", ("D",), ["0", "25", "50", "100"],
          ["This was an important city, but the wrong answer.", "He was born here, but not raised here.",
           "You need to be more specific.", "Yes! That's right!"]),
    123: (T.FILL_BLANK, "Jesus' hometown", NAZARETH, [["100", "75", "25"]], NAZARETH_SAYS),
    130: (T.MULTIPLE, "", ("B", "C"), ["0", "50", "50", "0"], []),
    136: (T.MULTIPLE, "", ("B", "C"), ["-50", "50", "50", "-50"], []),
    143: (T.SINGLE, "", ("B",), [], []),
    148: (T.SINGLE, "GIFT Control Characters", ("F",), [], None),
    167: (T.SINGLE, "", ("C",), [], []),
    169: (T.SINGLE, "", ("B",), [], []),
    171: (T.TRUE_FALSE, "", ("F",), [], []),
    173: (T.FILL_BLANK, "", (("no one", "nobody"),), [], []),
    175: (T.NUMERICAL, "", ({"value": "1822", "tolerance": "5"},), [], []),
    177: (T.MATCHING, "", (("Canada", "Ottawa"), ("Italy", "Rome"), ("Japan", "Tokyo")), [], []),
    184: (T.SINGLE, "Grant's Tomb", ("B",), [], ["No one is buried there.", "Right answer!", "We hope not!"]),
    190: (T.SINGLE, "", ("C",), ["0", "50", "100"], ["comment on wrong answer", "comment on answer", "well done!"]),
    195: (T.FILL_BLANK, "Jesus' hometown (Short answer ex.)", NAZARETH, [["100", "75", "25"]], NAZARETH_SAYS),
    202: (T.NUMERICAL, "Numerical example", (GRANT, CLOSE), ["100", "50"],
          ["Correct! 100% credit", "He was born in 1822.\n                  You get 50% credit for being close."]),
}


@pytest.fixture(autouse=True)
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@pytest.fixture
def examples():
    questions, problems = parse_gift(EXAMPLES.read_text(encoding="utf-8"))
    assert problems == []
    return {int(q.place.removeprefix("line ")): q for q in questions}


def test_every_example_question_imports_with_its_type_key_weights_feedback_and_title(examples):
    assert sorted(examples) == sorted(EXPECTED)
    for line, (kind, title, correct, weights, feedback) in EXPECTED.items():
        question = examples[line]
        assert (question.type, question.title, question.correct, question.weights) == (kind, title, correct, weights), line
        if feedback is not None:
            assert question.feedback == feedback, line


def test_stems_options_and_escapes_as_moodle_shows_them(examples):
    assert examples[10].stem == "Grant is _____ in Grant's tomb." and examples[10].options == ["buried", "entombed", "living"]
    assert examples[72].stem == "What is the value of pi (to 3 decimal places)? _____."
    assert examples[90].stem == "Japanese characters originally\ncame from what country?"
    assert examples[108].stem == "Who's buried in **Grant's tomb**?"  # [markdown] kept as Markdown
    assert examples[143].options == ["= 2 + 2", "= 2 + 3", "= 2 + 4"]
    control = examples[148]
    assert control.options == ["~", "=", "#", "{", "}", "\\"]  # \\ is one backslash
    assert control.feedback[0] == "~ is a control character."
    assert control.feedback[5].startswith("Correct! \\ (backslash) is not a control character. BUT,")


def test_the_examples_written_back_read_the_same(examples):
    questions = list(examples.values())
    again, problems = parse_gift(write_gift(questions))
    assert problems == []
    fields = ("type", "title", "stem", "options", "correct", "weights", "feedback", "explanation")
    assert [[getattr(q, f) for f in fields] for q in again] == [[getattr(q, f) for f in fields] for q in questions]


def test_plain_html_category_and_general_feedback():
    text = ("$CATEGORY: $course$/top/M1.1\n\n::P::[plain]2*3 = 6, not _2_ {T####Because *2*3* is 6.}\n\n"
            "[html]<p>Pick <b>one</b></p>{=a ~b}\n")
    questions, problems = parse_gift(text)
    assert problems == []
    plain, html = questions
    assert plain.unit_code == "M1.1" and plain.stem == r"2\*3 = 6, not \_2\_" and plain.explanation == r"Because \*2\*3\* is 6."
    assert html.stem == "<p>Pick <b>one</b></p>" and html.unit_code == "M1.1"


def test_tags_and_id_numbers_in_a_questions_comments_as_moodle_writes_them():
    """Moodle 3.6+ writes a question's tags and ID number as comment tokens above it (its GIFT export's
    "// [id:...] [tag:...]" line): the tags are kept, the ID number is named as not kept, and a comment
    cut off by a blank line belongs to no question."""
    text = ("// question: 12  name: Grant\n// [id:GR-1] [tag:history] [tag:us \\] presidents]\n"
            "::Grant::Who is buried in Grant's tomb?{=no one ~Grant}\n\n"
            "// [tag:lost]\n\nPlain {T}\n")
    (grant, plain), problems = parse_gift(text)
    assert problems == []
    assert grant.tags == ["history", "us ] presidents"] and [str(n) for n in grant.notes] == [
        "Moodle's ID number is not kept: GR-1"]
    assert plain.tags == [] and plain.notes == []
    again, _problems = parse_gift(write_gift([grant]))  # written back as Moodle writes them
    assert again[0].tags == grant.tags


@pytest.mark.parametrize("text,line,words", [
    ("Just a description, no answers.\n", 1, "description"),
    ("\n\nTwo blocks {=a} and {=b}\n", 3, "one answer block"),
    ("Unclosed {=a ~b\n", 1, "braces"),
    ("When? {#1822:1 ~#Wrong, it was 1822}\n", 1, "any other numerical answer"),
    ("Pick {=a =b ~c}\n", 1, "exactly one right option"),
    ("Huge {#1e999999}\n", 1, "no NaN, no infinity"),
    ("Signalling {#sNaN}\n", 1, "no NaN"),
    ("Not a number {#abc:1}\n", 1, "no NaN"),
    ("Bad range {#5..3}\n", 1, "range"),
    ("Too many {~a ~b ~c ~d ~e ~f =g}\n", 1, "2 to 6 options"),
    ("One pair {=a -> b}\n", 1, "at least 2 answers"),
    ("Thirteen pairs {" + " ".join(f"={n} -> {n}" for n in range(13)) + "}\n", 1, "2 to 12 pairs"),
    ("Half {~%50%a ~%30%b ~c}\n", 1, "add up to 100%"),
    ("Weight {~%150%a ~b}\n", 1, "-100 to 100"),
    ("No full {=%50%close =%25%far}\n", 1, "worth 100%"),
    ("Matching {=a -> 1 =b}\n", 1, "=item -> match"),
])
def test_what_the_bank_cannot_hold_is_refused_with_its_line(text, line, words):
    questions, problems = parse_gift(text)
    assert questions == [] and problems
    assert str(problems[0].place) == f"line {line}" and words in str(problems[0].message)


def test_a_refusal_reads_in_chinese_with_its_line(app):
    with app.test_request_context(headers={"Accept-Language": "zh-CN"}):
        _questions, problems = parse_gift("\n" * 84 + "When? {#1822:1 ~#Wrong}\n")
        assert str(problems[0].place) == "第 85 行"
        assert "~#" in str(problems[0].message) and "not supported" not in str(problems[0].message)


@pytest.mark.parametrize("category,unit", [
    ("$course$/top/Default for 网格员培训", ""),  # what Moodle's own GIFT export starts with
    ("$module$/top", ""),
    ("$course$/top/Default for Quiz 1/M1.1", "M1.1"),
    ("$course$/top/Policy/Law", "Law"),
])
def test_moodles_own_categories_name_no_unit_and_others_their_last_part(category, unit):
    questions, problems = parse_gift(f"$CATEGORY: {category}\n\n// question: 1  name: Q\n::Q::[html]Yes?{{TRUE}}\n")
    assert problems == [] and [(q.title, q.unit_code) for q in questions] == [("Q", unit)]
