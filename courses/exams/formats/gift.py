"""Moodle's GIFT text format, read as Moodle's own importer reads it (``qformat_gift``) and written back.

Read: ``::titles::``, ``[markdown]``/``[html]``/``[moodle]``/``[plain]`` (Markdown and Moodle's
auto-format are kept as the stem's Markdown, HTML is kept and sanitised when shown, plain text is
escaped so it shows as typed), single choice (``{=right ~wrong}``, weighted ``~%50%half``), multiple
choice (no ``=``: ``{~%50%A ~%50%B ~%-100%C}``), true/false with feedback (``{FALSE#if wrong#if
right}``), short answer (``{=answer =%75%close}``), numerical (``{#1822:1}``, ``{#3.141..3.142}``,
``{#=1822:0 =%50%1822:2}``), matching (``{=item -> match}``; an empty item adds a match to choose
from), essay (``{}``), feedback per answer (``#...``), general feedback (``####...``) as the
explanation, ``$CATEGORY:`` naming the syllabus unit of the questions after it, ``//`` comment
lines, and every escape (``\\\\ \\~ \\= \\# \\{ \\} \\:`` and ``\\n`` for a line break). As in
Moodle, the text after ``{`` decides the type: ``#`` numerical, any ``~`` choice, ``=`` with ``->``
matching, ``T``/``TRUE``/``F``/``FALSE`` true/false, anything else short answer.

Refused, with the construct and the line, never imported approximately: a description (text with
no answer block), a second answer block, several full-credit answers in a single choice, feedback for
any other numerical answer (``~#...``), and what the bank cannot hold (more than six options ...).
"""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from academy.web.textguard import text_problem
from courses.exams.formats import (
    ParsedQuestion,
    Problem,
    Refusal,
    category_unit,
    numeric_answer,
    numeric_text,
    plain_to_markdown,
    read_comment_tokens,
    read_each,
    tag_comment,
)
from courses.exams.grading import PartialCredit, QuestionType, parse_number

# Escaped characters are swapped for Unicode noncharacters while the structure is read, then restored.
_ESCAPES = {"\\\\": "\ufdd0", "\\:": "\ufdd1", "\\#": "\ufdd2", "\\=": "\ufdd3", "\\{": "\ufdd4", "\\}": "\ufdd5",
            "\\~": "\ufdd6", "\\n": "\ufdd7"}
_RESTORED = {"\ufdd0": "\\", "\ufdd1": ":", "\ufdd2": "#", "\ufdd3": "=", "\ufdd4": "{", "\ufdd5": "}", "\ufdd6": "~",
             "\ufdd7": "\n"}
_WEIGHT = re.compile(r"^%(-?\d{1,3}(?:\.\d+)?)%")
_FORMAT = re.compile(r"^\[(markdown|html|moodle|plain)\]")
BLANK = "_____"  # where a missing-word answer block stood, as Moodle writes it


def _protect(text: str) -> str:
    # "\\" first, so that "\\=" is a backslash and then a real "=" (Moodle's escapedchar_pre).
    text = text.replace("\\\\", _ESCAPES["\\\\"])
    for escaped, placeholder in _ESCAPES.items():
        text = text.replace(escaped, placeholder)
    return text


def _restore(text: str) -> str:
    return "".join(_RESTORED.get(ch, ch) for ch in text).strip()


def _formatted(text: str, default: str = "moodle") -> tuple[str, str]:
    """(text as the bank's Markdown, its GIFT format) of a piece of text that may start with [format]."""
    text = text.strip()
    match = _FORMAT.match(text)
    kind = match.group(1) if match else default
    text = _restore(text[match.end():] if match else text)
    if kind == "plain":
        text = plain_to_markdown(text)
    return text, kind


def _weight(answer: str) -> tuple[str | None, str]:
    match = _WEIGHT.match(answer)
    return (match.group(1), answer[match.end():]) if match else (None, answer)


def _feedback(answer: str, fmt: str) -> tuple[str, str]:
    body, _sep, feedback = answer.partition("#")
    return _restore(body), _formatted(feedback, fmt)[0]


def _answers(text: str, marker: str, minimum: int) -> list[str]:
    parts = [part.strip() for part in text.split(marker)]
    if parts and not parts[0]:
        parts.pop(0)
    if len(parts) < minimum or not all(parts):
        raise Refusal(_l("The answer block {...} needs at least %(n)d answers.", n=minimum))
    return parts


def _keep(values: list) -> list:
    """Per-answer lists are kept only when they say something (a weight or a feedback not the default)."""
    return values if any(values) else []


def _choices(question: ParsedQuestion, block: str, fmt: str) -> None:
    single = "=" in block
    weights, feedback = [], []
    for answer in _answers(block.replace("=", "~="), "~", 2):
        if answer.startswith("="):
            weight, answer = "100", answer[1:]
        else:
            weight, answer = _weight(answer)
        body, comment = _feedback(answer, fmt)
        question.options.append(body)
        weights.append(weight or "0")
        feedback.append(comment)
    question.type = QuestionType.SINGLE if single else QuestionType.MULTIPLE
    letters = [chr(65 + i) for i in range(len(weights))]
    if single:
        right = [letter for letter, w in zip(letters, weights, strict=True) if parse_number(w) == 100]
        if len(right) > 1:
            raise Refusal(_l("A single-choice question has exactly one right option: several answers start with "
                             "= (give the others a weight such as ~%50%, or make them all ~%50%)."))
        question.correct = tuple(right)
        question.weights = [] if set(weights) <= {"0", "100"} else weights
    else:
        question.correct = tuple(letter for letter, w in zip(letters, weights, strict=True) if (parse_number(w) or 0) > 0)
        question.weights = weights
        question.partial_credit = PartialCredit.RIGHT_MINUS_WRONG
    question.feedback = _keep(feedback)


def _matching(question: ParsedQuestion, block: str) -> None:
    question.type = QuestionType.MATCHING
    pairs = []
    for answer in _answers(block, "=", 2):
        item, arrow, match = answer.partition("->")
        if not arrow:
            raise Refusal(_l("Each answer of a matching question is written =item -> match."))
        if item.strip():
            pairs.append((_formatted(item)[0], _restore(match)))
        else:
            question.options.append(_restore(match))
    question.correct = tuple(pairs)


def _true_false(question: ParsedQuestion, block: str, fmt: str) -> None:
    answer, *comments = block.split("#", 2)
    wrong, right = (_formatted(c, fmt)[0] for c in (comments + ["", ""])[:2])
    truth = answer.strip() in ("T", "TRUE")
    question.type, question.correct = QuestionType.TRUE_FALSE, ("T" if truth else "F",)
    question.feedback = _keep([right, wrong] if truth else [wrong, right])  # shown if true chosen, if false chosen


def _short_answer(question: ParsedQuestion, block: str, fmt: str) -> None:
    accepted, weights, feedback = [], [], []
    for answer in _answers(block, "=", 1):
        weight, answer = _weight(answer)
        body, comment = _feedback(answer, fmt)
        accepted.append(body)
        weights.append(weight or "100")
        feedback.append(comment)
    question.type, question.correct = QuestionType.FILL_BLANK, (tuple(accepted),)
    question.weights = [weights] if set(weights) != {"100"} else []
    question.feedback = [feedback] if any(feedback) else []


def _numerical(question: ParsedQuestion, block: str, fmt: str) -> None:
    block = block[1:]
    if "~" in block:
        raise Refusal(_l("Feedback for any other numerical answer (~#...) is not supported: remove it."))
    answers, weights, feedback = [], [], []
    for answer in _answers(block, "=", 1):
        weight, answer = _weight(answer)
        body, comment = _feedback(answer, fmt)
        answers.append(numeric_answer(body))
        weights.append(weight or "100")
        feedback.append(comment)
    question.type, question.correct = QuestionType.NUMERICAL, tuple(answers)
    question.weights = weights if set(weights) != {"100"} else []
    question.feedback = _keep(feedback)


def _read_block(question: ParsedQuestion, block: str, fmt: str) -> None:
    """Moodle's order: empty essay, # numerical, ~ choice, = and -> matching, T/F, else short answer."""
    block, separator, explanation = block.rpartition("####") if "####" in block else (block, "", "")
    if separator:
        question.explanation = _formatted(explanation, fmt)[0]
    block = block.strip()
    if not block:
        question.type = QuestionType.ESSAY
    elif block.startswith("#"):
        _numerical(question, block, fmt)
    elif "~" in block:
        _choices(question, block, fmt)
    elif "=" in block and "->" in block:
        _matching(question, block)
    elif block.split("#", 1)[0].strip() in ("T", "TRUE", "F", "FALSE"):
        _true_false(question, block, fmt)
    else:
        _short_answer(question, block, fmt)


def _parse_one(chunk: str, unit_code: str) -> ParsedQuestion:
    question = ParsedQuestion(type=QuestionType.ESSAY, stem="", unit_code=unit_code)
    text = _protect(chunk).strip()
    if text.startswith("::") and "::" in text[2:]:
        title, _sep, text = text[2:].partition("::")
        question.title = _restore(title)
    elif text.startswith("::"):
        text = text[2:]
    text = text.strip()
    start, end = text.find("{"), text.find("}")
    if start < 0 and end < 0:
        raise Refusal(_l("Text without an answer block {...} is a description in Moodle; the bank has no descriptions."))
    if start < 0 or end < start:
        raise Refusal(_l("The braces { } of the answer block do not match."))
    rest = text[end + 1:]
    stem = text[:start] + (BLANK + rest if rest.strip() else "")
    if "{" in stem or "}" in stem:
        raise Refusal(_l("A question has one answer block {...}; write { and } in text as \\{ and \\}."))
    question.stem, fmt = _formatted(stem)
    _read_block(question, text[start + 1: end], fmt)
    return question


def _chunks(text: str):
    """Yield (first line number, (text, comments)) of each question; blank lines separate questions.
    The ``//`` lines of a question (before it or inside it, no blank line between) are its comments,
    where Moodle keeps its ``[tag:...]`` and ``[id:...]``."""
    current, comments, start = [], [], 1
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        if line.lstrip().startswith("//"):
            comments.append(line.lstrip()[2:])
            continue
        if not line.strip():
            if current:
                yield start, ("\n".join(current), comments)
            current, comments = [], []
            continue
        if not current:
            start = number
        current.append(line)
    if current:
        yield start, ("\n".join(current), comments)


def _unstorable_lines(text: str) -> list[Problem]:
    # Split on LF alone: splitlines() would also break at the control characters looked for
    # (VT, FF, FS...), and the numbers must be the ones an editor shows.
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        message = text_problem(line)
        if message is None and any(ch in _RESTORED for ch in line):
            message = _l("Holds a Unicode noncharacter (U+FDD0 to U+FDD7); remove it.")
        if message:
            problems.append(Problem(_l("line %(n)d", n=number), "", message))
    return problems


def parse_gift(text: str) -> tuple[list[ParsedQuestion], list[Problem]]:
    """Every question of a GIFT file, and every problem found (the caller saves nothing if any)."""
    problems = _unstorable_lines(text)
    if problems:  # a question cut at a control character would only add confusing problems
        return [], problems
    unit = {"code": ""}  # the last $CATEGORY: names the unit of the questions after it

    def read(item: tuple[str, list[str]]) -> ParsedQuestion | None:
        chunk, comments = item
        if chunk.startswith("$CATEGORY:"):
            unit["code"] = category_unit(chunk.split(":", 1)[1])
            return None
        question = _parse_one(chunk, unit["code"])
        read_comment_tokens(question, comments)
        return question

    return read_each(_chunks(text.lstrip("\ufeff")), read)


# ---- writing --------------------------------------------------------------------------------


def escape(text: str) -> str:
    """Text with GIFT's control characters escaped and line breaks as \\n (Moodle's repchar)."""
    text = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return "".join("\\" + ch if ch in "\\~=#{}:" else "\\n" if ch == "\n" else ch for ch in text)


def _with_feedback(text: str, feedback: list, index: int) -> str:
    comment = feedback[index] if index < len(feedback) else ""
    return text + (f"#{escape(comment)}" if comment else "")


def _answer_lines(question: ParsedQuestion) -> list[str]:
    kind, feedback = question.type, question.feedback
    if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        weights = question.weights or ["100" if chr(65 + i) in question.correct else "0" for i in range(len(question.options))]
        return [_with_feedback(("=" if kind is QuestionType.SINGLE and str(w) == "100" else
                                "~" if str(w) == "0" else f"~%{w}%") + escape(option), feedback, i)
                for i, (option, w) in enumerate(zip(question.options, weights, strict=True))]
    if kind is QuestionType.FILL_BLANK:
        weights = question.weights[0] if question.weights else ["100"] * len(question.correct[0])
        return [_with_feedback(f"=%{w}%{escape(answer)}", feedback[0] if feedback else [], i)
                for i, (answer, w) in enumerate(zip(question.correct[0], weights, strict=True))]
    if kind is QuestionType.NUMERICAL:
        weights = question.weights or ["100"] * len(question.correct)
        return [_with_feedback(f"=%{w}%{numeric_text(a)}", feedback, i) for i, (a, w) in enumerate(zip(question.correct, weights, strict=True))]
    if kind is QuestionType.MATCHING:
        return [f"={escape(item)} -> {escape(match)}" for item, match in question.correct] + \
            [f"= -> {escape(match)}" for match in question.options]
    return []


def _answer_block(question: ParsedQuestion) -> str:
    lines = _answer_lines(question)
    if question.type is QuestionType.TRUE_FALSE:
        truth = question.correct == ("T",)
        if_true, if_false = (question.feedback + ["", ""])[:2]
        right, wrong = (if_true, if_false) if truth else (if_false, if_true)
        lines = ["TRUE" if truth else "FALSE"]
        if wrong or right:
            lines[0] += f"#{escape(wrong)}" + (f"#{escape(right)}" if right else "")
    head = "{#" if question.type is QuestionType.NUMERICAL else "{"
    general = f"####{escape(question.explanation)}" if question.explanation else ""
    if not lines:
        return head + general + "}"
    return head + "\n" + "".join(f"\t{line}\n" for line in lines) + (f"\t{general}\n" if general else "") + "}"


def write_gift(questions: list[ParsedQuestion]) -> str:
    """GIFT text for ``questions`` (Moodle reads it as they are), grouped under ``$CATEGORY:`` lines by unit.
    Stems are Markdown: each is written with ``[markdown]``."""
    lines, unit = [], None
    for question in questions:
        if question.unit_code != unit:
            unit = question.unit_code
            lines += [f"$CATEGORY: {unit}", ""]
        title = f"::{escape(question.title)}::" if question.title else ""
        if question.tags:  # as Moodle writes them, and reads them back
            lines.append(tag_comment(question.tags))
        lines += [f"{title}[markdown]{escape(question.stem)}{_answer_block(question)}", ""]
    return "\n".join(lines)
