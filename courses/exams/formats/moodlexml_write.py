"""Moodle XML written from the bank: Moodle imports it, and ``moodlexml.parse_xml`` reads back the same questions.

Stems go as ``format="markdown"`` (the bank's stems are Markdown, and Moodle has that format);
options, answers, feedback and the explanation as ``plain_text``. Each syllabus unit is a category
``$course$/top/<unit code>``. What Moodle has no field for travels in elements Moodle's importer
passes over: ``<difficulty>``, ``<partialcredit>`` (a multiple choice without weights: Moodle gets
the fractions nearest to it), ``<widthsensitive>`` and, beside a numerical answer's value and
tolerance, the ``<range>`` it was typed as.
"""
from __future__ import annotations

from decimal import Decimal
from xml.etree.ElementTree import Element, SubElement, indent, tostring

from courses.exams.formats import Difficulty, ParsedQuestion, points_text
from courses.exams.formats.gift import BLANK
from courses.exams.grading import PartialCredit, QuestionType, parse_number

__all__ = ["BLANK", "derived_fractions", "write_xml"]

TYPES = {QuestionType.SINGLE: "multichoice", QuestionType.MULTIPLE: "multichoice", QuestionType.TRUE_FALSE: "truefalse",
         QuestionType.FILL_BLANK: "shortanswer", QuestionType.ESSAY: "essay", QuestionType.NUMERICAL: "numerical",
         QuestionType.MATCHING: "matching"}


def derived_fractions(count: int, right: tuple, mode: PartialCredit) -> list[str]:
    """Moodle's fractions nearest to a multiple choice without weights: each right option its share
    (five decimals, as Moodle writes 33.33333), each wrong one minus a share, or minus all of it when
    a wrong choice costs everything."""
    share = points_text(round(Decimal(100) / max(1, len(right)), 5))
    wrong = "-" + share if mode is PartialCredit.RIGHT_MINUS_WRONG else "-100"
    return [share if chr(65 + i) in right else wrong for i in range(count)]


def _text(parent: Element, name: str, text: str, fmt: str | None = None) -> Element:
    element = SubElement(parent, name, {"format": fmt} if fmt else {})
    SubElement(element, "text").text = text
    return element


def _value(parent: Element, name: str, text: str) -> None:
    SubElement(parent, name).text = text


def _answer(parent: Element, text: str, fraction, feedback: str) -> Element:
    answer = SubElement(parent, "answer", {"fraction": str(fraction), "format": "plain_text"})
    SubElement(answer, "text").text = text
    _text(answer, "feedback", feedback, "plain_text")
    return answer


def _at(values: list, index: int, default=""):
    return values[index] if index < len(values) else default


def _choices(element: Element, question: ParsedQuestion) -> None:
    single = question.type is QuestionType.SINGLE
    _value(element, "single", "true" if single else "false")
    _value(element, "shuffleanswers", "true" if question.shuffle else "false")
    _value(element, "answernumbering", "ABCD")
    if single:
        weights = question.weights or ["100" if chr(65 + i) in question.correct else "0" for i in range(len(question.options))]
    else:
        _value(element, "partialcredit", question.partial_credit.value)
        weights = question.weights or derived_fractions(len(question.options), question.correct, question.partial_credit)
    for index, option in enumerate(question.options):
        _answer(element, option, weights[index], _at(question.feedback, index))


def _blanks(element: Element, question: ParsedQuestion) -> None:
    """Several blanks are a cloze question of short answers, placed where the stem has _____ or on a last line."""
    cloze = []
    for index, accepted in enumerate(question.correct):
        weights = _at(question.weights, index, []) or ["100"] * len(accepted)
        feedback = _at(question.feedback, index, [])
        parts = [f"%{w}%" + a.replace("}", "\\}").replace("~", "\\~").replace("#", "\\#").replace("*", "\\*")
                 + (f"#{_at(feedback, i)}" if _at(feedback, i) else "") for i, (a, w) in enumerate(zip(accepted, weights, strict=True))]
        kind = "SHORTANSWER_C" if question.case_sensitive else "SHORTANSWER"
        cloze.append(f"{{1:{kind}:{'~'.join(parts)}}}")
    stem = question.stem
    if stem.count(BLANK) == len(cloze):
        for blank in cloze:
            stem = stem.replace(BLANK, blank, 1)
    else:
        stem = stem + "\n" + " ".join(cloze)
    element.find("questiontext/text").text = stem


def _short_answer(element: Element, question: ParsedQuestion) -> None:
    _value(element, "usecase", "1" if question.case_sensitive else "0")
    accepted = question.correct[0]
    weights = _at(question.weights, 0, []) or ["100"] * len(accepted)
    feedback = _at(question.feedback, 0, [])
    for index, answer in enumerate(accepted):
        _answer(element, answer.replace("*", "\\*"), weights[index], _at(feedback, index))


def _numerical(element: Element, question: ParsedQuestion) -> None:
    weights = question.weights or ["100"] * len(question.correct)
    for index, answer in enumerate(question.correct):
        if "min" in answer:
            low, high = parse_number(answer["min"]), parse_number(answer["max"])
            value, tolerance = points_text((low + high) / 2), points_text((high - low) / 2)
        else:
            value, tolerance = answer["value"], answer["tolerance"]
        node = _answer(element, value, weights[index], _at(question.feedback, index))
        _value(node, "tolerance", tolerance)
        if "min" in answer:
            span = SubElement(node, "range")
            _value(span, "min", answer["min"])
            _value(span, "max", answer["max"])
    if question.units:
        units = SubElement(element, "units")
        for name, multiplier in question.units:
            unit = SubElement(units, "unit")
            _value(unit, "multiplier", str(multiplier))
            _value(unit, "unit_name", name)
        _value(element, "unitgradingtype", "0")
        _value(element, "showunits", "3")


def _matching(element: Element, question: ParsedQuestion) -> None:
    _value(element, "shuffleanswers", "true" if question.shuffle else "false")
    for item, match in list(question.correct) + [("", extra) for extra in question.options]:
        sub = _text(element, "subquestion", item, "plain_text")
        _text(sub, "answer", match)


def _truefalse(element: Element, question: ParsedQuestion) -> None:
    truth = question.correct == ("T",)
    _answer(element, "true", 100 if truth else 0, _at(question.feedback, 0))
    _answer(element, "false", 0 if truth else 100, _at(question.feedback, 1))


def _question(quiz: Element, question: ParsedQuestion) -> None:
    blanks = question.type is QuestionType.FILL_BLANK and len(question.correct) != 1
    element = SubElement(quiz, "question", {"type": "cloze" if blanks else TYPES[question.type]})
    _text(element, "name", question.title)
    _text(element, "questiontext", question.stem, "markdown")
    _text(element, "generalfeedback", question.explanation, "plain_text")
    if question.points:
        _value(element, "defaultgrade", question.points)
    if question.difficulty != Difficulty.MEDIUM:
        _value(element, "difficulty", question.difficulty)
    if question.width_sensitive:
        _value(element, "widthsensitive", "1")
    if question.tags:
        tags = SubElement(element, "tags")
        for tag in question.tags:
            _text(tags, "tag", tag)
    if blanks:
        _blanks(element, question)
    elif question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        _choices(element, question)
    elif question.type is QuestionType.ESSAY:
        _value(element, "responseformat", "plain")
        _text(element, "graderinfo", question.rubric, "plain_text")
    else:
        {QuestionType.TRUE_FALSE: _truefalse, QuestionType.FILL_BLANK: _short_answer,
         QuestionType.NUMERICAL: _numerical, QuestionType.MATCHING: _matching}[question.type](element, question)


def write_xml(questions: list[ParsedQuestion]) -> bytes:
    """A Moodle XML file of ``questions``, a category before each run of one syllabus unit."""
    quiz, unit = Element("quiz"), None
    for question in questions:
        if question.unit_code != unit:
            unit = question.unit_code
            category = SubElement(quiz, "question", {"type": "category"})
            _text(category, "category", "$course$/top" + (f"/{unit}" if unit else ""))
        _question(quiz, question)
    indent(quiz, space="  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + tostring(quiz, encoding="utf-8") + b"\n"
