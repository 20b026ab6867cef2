"""Moodle XML, the file Moodle's question bank exports ("Moodle XML format"), read as Moodle's ``qformat_xml`` reads it.

Read: ``multichoice`` (one right answer or several, ``fraction`` as the weight of each answer),
``truefalse``, ``shortanswer`` (``usecase``), ``numerical`` (``tolerance``, ``units``), ``matching``
(an empty ``subquestion`` adds a match to choose from), ``essay`` (``graderinfo`` as the reference
answer), ``cloze`` made of short-answer blanks only (a fill-in-the-blank question), per-answer and
general feedback, ``name`` (the title), ``defaultgrade`` (the default points), ``shuffleanswers``,
``tags`` and ``$course$/.../category`` (the last part names the syllabus unit, by code or title).

Refused, by type and question, with the line: calculated, drag-and-drop, select-missing-words,
random and every other type the bank has no equivalent for; descriptions; cloze blanks other than
short answers; embedded files and images (``@@PLUGINFILE@@``); HTML in answers beyond paragraphs and
emphasis; a right "any other answer" (``*``); a penalty for a wrong unit. Kept only as a note shown in
the preview, because it changes no score: hints, the combined feedback, the feedback for any other answer.

The file is parsed by defusedxml: a DTD or an entity declaration is refused, so no entity is expanded.
"""
from __future__ import annotations

import re
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from flask_babel import lazy_gettext as _l

from academy.web.textguard import text_problem
from courses.exams.formats import (
    ParsedQuestion,
    Problem,
    Refusal,
    category_unit,
    plain_to_markdown,
    points_text,
    read_each,
)
from courses.exams.formats.moodletext import html_text, no_pluginfile
from courses.exams.formats.moodlexml_write import BLANK, derived_fractions
from courses.exams.grading import PartialCredit, QuestionType, parse_number

TYPE_NAMES = {  # Moodle's types the bank has no equivalent for, by the name Moodle's editor shows
    "calculated": "Calculated", "calculatedsimple": "Simple calculated", "calculatedmulti": "Calculated multichoice",
    "ddwtos": "Drag and drop into text", "ddimageortext": "Drag and drop onto image", "ddmarker": "Drag and drop markers",
    "gapselect": "Select missing words", "randomsamatch": "Random short-answer matching", "random": "Random",
    "ordering": "Ordering", "multianswer": "Embedded answers (Cloze)", "description": "Description",
}
_QUESTION_TAG = re.compile(r"<question[\s>]")
_CLOZE = re.compile(r"\{(\d*):([A-Z_]+):((?:\\.|[^\\}])*)\}")
_CLOZE_SHORT = ("SHORTANSWER", "SA", "MW", "SHORTANSWER_C", "SAC", "MWC")
MAX_BYTES = 20 * 1024 * 1024


def _text(element: Element | None, *path: str) -> str:
    found = element.find("/".join((*path, "text"))) if element is not None else None
    return (found.text or "") if found is not None else ""


def _value(element: Element, name: str, default: str = "") -> str:
    found = element.find(name)
    return (found.text or "").strip() if found is not None else default


def _files(element: Element) -> None:
    found = element.find(".//file")
    if found is not None:
        raise Refusal(_l("The question embeds the file %(name)s; embedded files and images are not imported.",
                         name=(found.get("name") or "")[:80]))


def _stem(question: ParsedQuestion, element: Element) -> None:
    text_el = element.find("questiontext")
    fmt = text_el.get("format", "html") if text_el is not None else "html"
    text = no_pluginfile(_text(text_el))
    question.stem = plain_to_markdown(text.strip()) if fmt == "plain_text" else text.strip()


def _truth(text: str, default: bool) -> bool:
    text = (text or "").strip().lower()
    return default if not text else text in ("1", "true", "yes")


def _fraction(answer: Element) -> str:
    return points_text(answer.get("fraction", "0")) or "0"


def _answers(element: Element) -> list[tuple[str, str, str, Element]]:
    """(text, fraction, feedback, element) of each <answer>; the text still in its own format."""
    result = []
    for answer in element.findall("answer"):
        feedback_el = answer.find("feedback")
        feedback = html_text(_text(feedback_el), feedback_el.get("format", "html")) if feedback_el is not None else ""
        result.append((_text(answer), _fraction(answer), feedback, answer))
    return result


def _any_other(question: ParsedQuestion, answers: list) -> list:
    """Moodle's "*": any other answer. Worth nothing it only carries feedback (kept as a note); worth more, refused."""
    kept = []
    for text, fraction, feedback, element in answers:
        if text.strip() != "*":
            kept.append((text, fraction, feedback, element))
        elif parse_number(fraction):
            raise Refusal(_l("An answer * (any other answer) worth %(w)s%% is not supported: the bank gives "
                             "points only for the answers it names.", w=fraction))
        elif feedback:
            question.notes.append(_l("The feedback for any other answer (*) is not kept: %(text)s", text=feedback[:80]))
    return kept


def _multichoice(question: ParsedQuestion, element: Element) -> None:
    single = _truth(_value(element, "single"), True)
    answers = _answers(element)
    question.options = [html_text(text, answer.get("format", "html")) for text, _f, _fb, answer in answers]
    weights = [fraction for _t, fraction, _fb, _a in answers]
    letters = [chr(65 + i) for i in range(len(answers))]
    if single:
        question.type = QuestionType.SINGLE
        question.correct = tuple(letter for letter, w in zip(letters, weights, strict=True) if parse_number(w) == 100)
        question.weights = [] if set(weights) <= {"0", "100"} else weights
        if len(question.correct) > 1:
            raise Refusal(_l("A single-choice question has exactly one right option: several answers are worth 100%."))
    else:
        question.type = QuestionType.MULTIPLE
        question.correct = tuple(letter for letter, w in zip(letters, weights, strict=True) if (parse_number(w) or 0) > 0)
        mode = _value(element, "partialcredit")
        question.partial_credit = PartialCredit(mode) if mode in set(PartialCredit) else PartialCredit.RIGHT_MINUS_WRONG
        derived = derived_fractions(len(weights), question.correct, question.partial_credit)
        question.weights = [] if mode in set(PartialCredit) and weights == derived else weights
    feedback = [fb for _t, _f, fb, _a in answers]
    question.feedback = feedback if any(feedback) else []


def _truefalse(question: ParsedQuestion, element: Element) -> None:
    by_word = {}
    for text, fraction, feedback, _answer in _answers(element):
        by_word[text.strip().lower()] = (fraction, feedback)
    if set(by_word) != {"true", "false"}:
        raise Refusal(_l("A true/false question needs the answers true and false."))
    question.type = QuestionType.TRUE_FALSE
    question.correct = ("T",) if parse_number(by_word["true"][0]) == 100 else ("F",)
    feedback = [by_word["true"][1], by_word["false"][1]]
    question.feedback = feedback if any(feedback) else []


def _accepted(text: str) -> str:
    text = text.strip()
    if re.search(r"(?<!\\)\*", text):
        raise Refusal(_l("The wildcard * inside a short answer (%(text)s) is not supported.", text=text[:40]))
    return text.replace("\\*", "*")


def _shortanswer(question: ParsedQuestion, element: Element) -> None:
    answers = _any_other(question, _answers(element))
    if not answers:
        raise Refusal(_l("A short-answer question needs at least one answer."))
    question.type = QuestionType.FILL_BLANK
    question.case_sensitive = _truth(_value(element, "usecase"), False)
    question.correct = (tuple(_accepted(html_text(t, a.get("format", "plain_text"))) for t, _f, _fb, a in answers),)
    weights = [f for _t, f, _fb, _a in answers]
    question.weights = [] if set(weights) == {"100"} else [weights]
    feedback = [fb for _t, _f, fb, _a in answers]
    question.feedback = [feedback] if any(feedback) else []


def _numerical(question: ParsedQuestion, element: Element) -> None:
    answers = _any_other(question, _answers(element))
    question.type = QuestionType.NUMERICAL
    correct = []
    for text, _f, _fb, answer in answers:
        value, tolerance = text.strip(), _value(answer, "tolerance") or "0"
        low, high = _value(answer, "range/min"), _value(answer, "range/max")
        # This bank's own export keeps a range beside the value and tolerance Moodle reads; it is
        # used only while it still says the same as they do.
        same = low and high and all(n is not None for n in map(parse_number, (low, high, value, tolerance))) and \
            parse_number(low) + parse_number(high) == 2 * parse_number(value) and \
            parse_number(high) - parse_number(low) == 2 * parse_number(tolerance)
        correct.append({"min": low, "max": high} if same else {"value": value, "tolerance": tolerance})
    question.correct = tuple(correct)
    weights = [f for _t, f, _fb, _a in answers]
    question.weights = [] if set(weights) == {"100"} else weights
    feedback = [fb for _t, _f, fb, _a in answers]
    question.feedback = feedback if any(feedback) else []
    question.units = [[_value(unit, "unit_name"), points_text(_value(unit, "multiplier")) or "1"]
                      for unit in element.findall("units/unit")]
    if question.units and _value(element, "unitgradingtype", "0") not in ("", "0") and \
            parse_number(_value(element, "unitpenalty", "0") or "0"):
        raise Refusal(_l("A penalty for a wrong unit is not supported: units are optional in this bank."))


def _matching(question: ParsedQuestion, element: Element) -> None:
    question.type = QuestionType.MATCHING
    pairs = []
    for sub in element.findall("subquestion"):
        item = html_text(_text(sub), sub.get("format", "html"))
        match = html_text(_text(sub, "answer"), "plain_text")
        if item:
            pairs.append((item, match))
        else:
            question.options.append(match)
    question.correct = tuple(pairs)


def _essay(question: ParsedQuestion, element: Element) -> None:
    question.type = QuestionType.ESSAY
    info = element.find("graderinfo")
    question.rubric = html_text(_text(info), info.get("format", "html")) if info is not None else ""
    if html_text(_text(element.find("responsetemplate")), "html"):
        question.notes.append(_l("The response template is not kept."))
    if _value(element, "attachments", "0") not in ("", "0"):
        question.notes.append(_l("Attachments are not kept: answers are typed text."))


def _cloze(question: ParsedQuestion, element: Element) -> None:
    """A cloze question of short-answer blanks: each blank becomes _____ in the stem, or goes away when
    the blanks stand alone on the last line (this bank's export of blanks the stem does not place)."""
    blanks, weights, feedback = [], [], []
    for _weight, kind, body in _CLOZE.findall(question.stem):
        if kind not in _CLOZE_SHORT:
            raise Refusal(_l("A cloze blank of the kind %(kind)s is not supported; only short-answer blanks are.", kind=kind))
        answers = []
        for part in re.split(r"(?<!\\)~", body):
            fraction, text = ("100", part[1:]) if part.startswith("=") else re.match(r"(?:%(-?[\d.]+)%)?(.*)", part, re.S).groups()
            text, _hash, said = text.partition("#")
            answers.append((text.replace("\\}", "}").replace("\\~", "~").replace("\\#", "#"), points_text(fraction or "0"),
                            said.strip(), None))
        answers = _any_other(question, answers)
        blanks.append(tuple(_accepted(t) for t, _f, _fb, _a in answers))
        weights.append([f for _t, f, _fb, _a in answers])
        feedback.append([fb for _t, _f, fb, _a in answers])
        question.case_sensitive = question.case_sensitive or kind in ("SHORTANSWER_C", "SAC", "MWC")
    lines = question.stem.rstrip().split("\n")
    if len(lines) > 1 and not _CLOZE.sub("", lines[-1]).strip() and len(_CLOZE.findall(lines[-1])) == len(blanks):
        question.stem = "\n".join(lines[:-1]).rstrip()
    question.stem = _CLOZE.sub(BLANK, question.stem)
    question.type, question.correct = QuestionType.FILL_BLANK, tuple(blanks)
    question.weights = [] if all(set(w) == {"100"} for w in weights) else weights
    question.feedback = feedback if any(any(f) for f in feedback) else []


READERS = {"multichoice": _multichoice, "truefalse": _truefalse, "shortanswer": _shortanswer, "numerical": _numerical,
           "matching": _matching, "match": _matching, "essay": _essay, "cloze": _cloze}


def _notes(question: ParsedQuestion, element: Element) -> None:
    hints = [hint for hint in element.findall("hint") if _text(hint).strip()]
    if hints:
        question.notes.append(_l("Hints are not kept (the bank's exams show no hints): %(n)d.", n=len(hints)))
    if any(_text(element.find(name)).strip() for name in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback")):
        question.notes.append(_l("The combined feedback (correct, partially correct, incorrect) is not kept."))


def _read_question(element: Element, unit_code: str) -> ParsedQuestion:
    kind = element.get("type", "")
    if kind not in READERS:
        name = TYPE_NAMES.get(kind, kind[:40])
        raise Refusal(_l("The Moodle question type %(name)s (%(type)s) is not supported by the bank.", name=name, type=kind[:40]))
    _files(element)
    question = ParsedQuestion(type=QuestionType.ESSAY, stem="", unit_code=unit_code)
    question.title = _text(element, "name").strip()
    _stem(question, element)
    general = element.find("generalfeedback")
    question.explanation = html_text(_text(general), general.get("format", "html")) if general is not None else ""
    question.points = points_text(_value(element, "defaultgrade"))
    question.shuffle = _truth(_value(element, "shuffleanswers"), True)
    question.difficulty = _value(element, "difficulty") or question.difficulty
    question.width_sensitive = _truth(_value(element, "widthsensitive"), False)
    question.tags = [text for tag in element.findall("tags/tag") if (text := _text(tag).strip())]
    READERS[kind](question, element)
    _notes(question, element)
    return question


def parse_xml(data: bytes) -> tuple[list[ParsedQuestion], list[Problem]]:
    """Every question of a Moodle XML file, and every problem found (the caller saves nothing if any)."""
    if len(data) > MAX_BYTES:
        return [], [Problem("", "", _l("The file is too large."))]
    try:
        root = fromstring(data, forbid_dtd=True)
        text = data.decode("utf-8-sig", errors="replace")
    except (DefusedXmlException, ValueError):
        return [], [Problem("", "", _l("The XML file declares a DTD or entities; they are refused for safety."))]
    except ParseError as error:
        line = error.position[0] if getattr(error, "position", None) else 0
        return [], [Problem(_l("line %(n)d", n=line), "", _l("The file is not well-formed XML."))]
    if root.tag != "quiz":
        return [], [Problem("", "", _l("A Moodle XML file starts with <quiz>."))]
    lines = [text.count("\n", 0, match.start()) + 1 for match in _QUESTION_TAG.finditer(text)]
    unit = {"code": ""}  # a category question names the unit of the questions after it

    def read(element: Element) -> ParsedQuestion | None:
        if element.get("type") == "category":
            unit["code"] = category_unit(_text(element, "category"))
            return None
        return _read_question(element, unit["code"])

    elements = root.findall("question")
    return read_each(((lines[index] if index < len(lines) else 0, element) for index, element in enumerate(elements)),
                     read, text_check=text_problem)
