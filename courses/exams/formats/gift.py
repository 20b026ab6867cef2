"""Moodle's GIFT text format: parse questions from it and write them back.

Supported: titles (``::title::``), single choice (``{=right ~wrong}``), multiple choice with
weights (``{~%50%A ~%50%B ~%-100%C}``), true/false (``{T}``/``{FALSE}``), short answer as one
blank (``{=answer =other}``), essay (``{}``), general feedback (``####text``) as the explanation,
``$CATEGORY:`` naming the syllabus unit of the questions after it, ``//`` comments and the
backslash escapes of ``~ = # { } :``, and ``\\n`` for a line break (as Moodle writes it: a blank line
would end the question, so a stem of several paragraphs, an image on its own line, survives the
round trip). Per-answer feedback (``#...`` after an answer) is dropped.
"""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from academy.web.textguard import text_problem
from courses.exams.formats import ParsedQuestion, Problem, check_question
from courses.exams.grading import PartialCredit, QuestionType

SPECIALS = "~=#{}:"
_ESCAPED = re.compile(r"\\([~=#{}:])")
_TITLE = re.compile(r"^::(.*?)::", re.S)


def _unescape(text: str) -> str:
    return _ESCAPED.sub(r"\1", text.replace("\\n", "\n")).strip()


def escape(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return "".join("\\" + ch if ch in SPECIALS else "\\n" if ch == "\n" else ch for ch in text)


def _split_unescaped(text: str, markers: str) -> list[tuple[str, str]]:
    """Split answer text at unescaped ``=``/``~`` into (marker, body) pairs."""
    parts, current, marker, index = [], [], None, 0
    while index < len(text):
        ch = text[index]
        if ch == "\\" and index + 1 < len(text):
            current.append(text[index: index + 2])
            index += 2
            continue
        if ch in markers:
            if marker is not None:
                parts.append((marker, "".join(current)))
            marker, current = ch, []
        else:
            current.append(ch)
        index += 1
    if marker is not None:
        parts.append((marker, "".join(current)))
    return parts


def _drop_feedback(body: str) -> str:
    match = re.search(r"(?<!\\)#", body)
    return body[: match.start()] if match else body


def _find_answer_block(text: str) -> tuple[int, int] | None:
    opening = re.search(r"(?<!\\)\{", text)
    if not opening:
        return None
    closing = re.search(r"(?<!\\)\}", text[opening.end():])
    if not closing:
        return None
    return opening.start(), opening.end() + closing.start()


def _parse_answers(question: ParsedQuestion, block: str) -> str | None:
    """Fill type, options and key from the text between the braces; return an error or None."""
    general = re.split(r"(?<!\\)####", block, maxsplit=1)
    block = general[0]
    if len(general) > 1:
        question.explanation = _unescape(general[1])
    stripped = block.strip()
    if not stripped:
        question.type = QuestionType.ESSAY
        return None
    if stripped.upper() in ("T", "TRUE", "F", "FALSE"):
        question.type, question.correct = QuestionType.TRUE_FALSE, (stripped[0].upper(),)
        return None
    answers = _split_unescaped(stripped, "=~")
    if not answers:
        return _l("The answer block could not be read.")
    if all(marker == "=" for marker, _ in answers):
        question.type = QuestionType.FILL_BLANK
        question.correct = (tuple(_unescape(_drop_feedback(body)) for _, body in answers),)
        return None
    return _parse_choices(question, answers)


def _parse_choices(question: ParsedQuestion, answers: list[tuple[str, str]]) -> str | None:
    weighted = False
    for index, (marker, body) in enumerate(answers):
        body = _drop_feedback(body)
        weight = re.match(r"\s*%(-?\d+(?:\.\d+)?)%", body)
        if weight:
            weighted = True
            body = body[weight.end():]
        question.options.append(_unescape(body))
        right = marker == "=" or (weight is not None and float(weight.group(1)) > 0)
        if right and index < 26:
            question.correct += (chr(ord("A") + index),)
    if not weighted and len(question.correct) > 1:
        return _l("Several right options need a percentage weight each (the GIFT multiple-answer form).")
    question.type = QuestionType.MULTIPLE if weighted else QuestionType.SINGLE
    if question.type is QuestionType.MULTIPLE:
        question.partial_credit = PartialCredit.RIGHT_MINUS_WRONG
    return None


def _parse_one(chunk: str, line: int, unit_code: str) -> tuple[ParsedQuestion | None, list[str]]:
    question = ParsedQuestion(type=QuestionType.ESSAY, stem="", unit_code=unit_code, place=f"line {line}")
    text = chunk
    title = _TITLE.match(text.strip())
    if title:
        question.title = _unescape(title.group(1))
        text = text.strip()[title.end():]
    text = re.sub(r"^\[(?:markdown|html|plain|moodle)\]", "", text.strip())
    block = _find_answer_block(text)
    if block is None:
        return None, [_l("No answer block {...} was found.")]
    start, end = block
    question.stem = _unescape(text[:start] + (" ____ " + text[end + 1:] if text[end + 1:].strip() else ""))
    error = _parse_answers(question, text[start + 1: end])
    if error:
        return None, [error]
    return question, [message for _field, message in check_question(question)]


def _chunks(text: str):
    """Yield (first line number, text) of each question; blank lines separate questions."""
    current, start = [], 1
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if line.lstrip().startswith("//"):
            continue
        if not line.strip():
            if current:
                yield start, "\n".join(current)
            current = []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        yield start, "\n".join(current)


def _unstorable_lines(text: str) -> list[Problem]:
    # Split on LF alone: splitlines() would also break at the control characters looked for
    # (VT, FF, FS...), and the numbers must be the ones an editor shows.
    return [Problem(_l("line %(n)d", n=number), "", message)
            for number, line in enumerate(text.split("\n"), start=1) if (message := text_problem(line))]


def parse_gift(text: str) -> tuple[list[ParsedQuestion], list[Problem]]:
    """Every question of a GIFT file, and every problem found (the caller saves nothing if any)."""
    problems = _unstorable_lines(text)
    if problems:  # a question cut at a control character would only add confusing problems
        return [], problems
    questions, unit_code = [], ""
    for line, chunk in _chunks(text.lstrip("\ufeff")):
        if chunk.startswith("$CATEGORY:"):
            unit_code = chunk.split(":", 1)[1].strip().rsplit("/", 1)[-1]
            continue
        question, messages = _parse_one(chunk, line, unit_code)
        problems.extend(Problem(_l("line %(n)d", n=line), "", message) for message in messages)
        if question is not None and not messages:
            questions.append(question)
    return questions, problems


def _answer_block(question: ParsedQuestion) -> str:
    if question.type is QuestionType.ESSAY:
        body = ""
    elif question.type is QuestionType.TRUE_FALSE:
        body = "TRUE" if question.correct == ("T",) else "FALSE"
    elif question.type is QuestionType.FILL_BLANK:
        body = " ".join("=" + escape(answer) for answer in question.correct[0])
    elif question.type is QuestionType.SINGLE:
        body = " ".join(("=" if chr(65 + i) in question.correct else "~") + escape(o) for i, o in enumerate(question.options))
    else:
        share = 100 / len(question.correct)
        wrong = -100 / max(1, len(question.options) - len(question.correct))
        body = " ".join(f"~%{share if chr(65 + i) in question.correct else wrong:g}%" + escape(o)
                        for i, o in enumerate(question.options))
    if question.explanation:
        body += " ####" + escape(question.explanation)
    return "{" + body + "}"


def write_gift(questions: list[ParsedQuestion]) -> str:
    """GIFT text for ``questions``, grouped under ``$CATEGORY:`` lines by unit."""
    lines, unit = [], None
    for question in questions:
        if question.unit_code != unit:
            unit = question.unit_code
            lines += [f"$CATEGORY: {unit}", ""]
        title = f"::{escape(question.title)}:: " if question.title else ""
        lines += [f"{title}{escape(question.stem)} {_answer_block(question)}", ""]
    return "\n".join(lines)
