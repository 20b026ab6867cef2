"""The common Chinese question spreadsheet: one question per row, headers in Chinese or English.

Columns: 题型 (type), 题干 (stem), 选项A..选项F (option A..F), 答案 (answer), 解析 (explanation),
难度 (difficulty), 知识点 (unit code). Answers: option letters ("A", "ACD", "A,C", "A、C"),
对/错 (or 正确/错误, √/×, T/F) for true/false, and for fill-in-the-blank the blanks separated by
"；" or ";" with accepted alternatives separated by "|"; numerical answers as "1822:1" (value:tolerance)
or "3.141..3.142", several separated by "|"; matching pairs as "item->match" separated by "；".
Weights, per-answer feedback and units have no column: GIFT and Moodle XML carry them.
"""
from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from academy.web.textguard import text_problem
from courses.exams.formats import (
    OPTION_LETTERS,
    Difficulty,
    ParsedQuestion,
    Problem,
    check_question,
    numeric_answer,
    numeric_text,
)
from courses.exams.grading import PartialCredit, QuestionType

HEADERS = {
    "type": ("题型", "type"),
    "stem": ("题干", "stem"),
    **{f"option_{letter}": (f"选项{letter}", f"option {letter}") for letter in OPTION_LETTERS},
    "answer": ("答案", "answer"),
    "explanation": ("解析", "explanation"),
    "difficulty": ("难度", "difficulty"),
    "unit": ("知识点", "unit"),
}
TEMPLATE_COLUMNS = [HEADERS[key][0] for key in HEADERS]
FIELD_COLUMNS = {"stem": "题干", "options": "选项A-F", "answer": "答案", "explanation": "解析"}

TYPE_WORDS = {
    QuestionType.SINGLE: ("单选题", "单选", "single"),
    QuestionType.MULTIPLE: ("多选题", "多选", "multiple"),
    QuestionType.TRUE_FALSE: ("判断题", "判断", "true_false", "true/false"),
    QuestionType.FILL_BLANK: ("填空题", "填空", "fill_blank", "fill"),
    QuestionType.ESSAY: ("简答题", "问答题", "论述题", "简答", "essay"),
    QuestionType.NUMERICAL: ("数值题", "数值", "numerical"),
    QuestionType.MATCHING: ("匹配题", "匹配", "matching"),
}
TRUE_WORDS = ("对", "正确", "√", "是", "t", "true", "y")
FALSE_WORDS = ("错", "错误", "×", "否", "f", "false", "n")
DIFFICULTY_WORDS = {
    Difficulty.EASY: ("易", "简单", "容易", "1", "easy"),
    Difficulty.MEDIUM: ("中", "中等", "一般", "2", "medium", ""),
    Difficulty.HARD: ("难", "困难", "较难", "3", "hard"),
}


def column_keys(header_row: list[str]) -> dict[int, str]:
    """Map column positions to field keys from a header row in Chinese or English."""
    lookup = {name.casefold(): key for key, names in HEADERS.items() for name in names}
    return {index: lookup[str(h).strip().casefold()] for index, h in enumerate(header_row)
            if h is not None and str(h).strip().casefold() in lookup}


def _lookup(words: dict, value: str):
    value = value.strip().casefold()
    for key, names in words.items():
        if value in names:
            return key
    return None


def _answer(question: ParsedQuestion, raw: str) -> str | None:
    if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        letters = re.sub(r"[\s,，、;；]", "", raw).upper()
        if not letters or not all(ch in OPTION_LETTERS for ch in letters):
            return _l("The answer must be option letters such as A or ACD.")
        question.correct = tuple(sorted(set(letters)))
    elif question.type is QuestionType.TRUE_FALSE:
        word = raw.strip().casefold()
        if word not in TRUE_WORDS + FALSE_WORDS:
            return _l("A true/false answer must be 对 or 错.")
        question.correct = ("T",) if word in TRUE_WORDS else ("F",)
    elif question.type is QuestionType.FILL_BLANK:
        blanks = [b for b in re.split(r"[;；]", raw) if b.strip()]
        question.correct = tuple(tuple(a.strip() for a in b.split("|") if a.strip()) for b in blanks)
    elif question.type is QuestionType.NUMERICAL:
        question.correct = tuple(numeric_answer(a) for a in raw.split("|") if a.strip())
    elif question.type is QuestionType.MATCHING:
        pairs = [p.partition("->") for p in re.split(r"[;；]", raw) if p.strip()]
        question.correct = tuple((item.strip(), match.strip()) for item, _arrow, match in pairs)
    return None


def parse_row(values: dict[str, str], row: int) -> tuple[ParsedQuestion | None, list[Problem]]:
    """One spreadsheet row (field key -> text) as a question, or the problems it has."""
    place = _l("row %(n)d", n=row)
    unstorable = [Problem(place, HEADERS[key][0], message) for key, value in values.items()
                  if (message := text_problem(value))]
    if unstorable:
        return None, unstorable
    kind = _lookup(TYPE_WORDS, values.get("type", ""))
    if kind is None:
        return None, [Problem(place, "题型", _l("Unknown question type %(value)s.", value=values.get("type", "")[:20]))]
    question = ParsedQuestion(type=kind, stem=values.get("stem", "").strip(), place=str(row),
                              explanation=values.get("explanation", "").strip(), unit_code=values.get("unit", "").strip())
    question.options = [values[f"option_{letter}"].strip() for letter in OPTION_LETTERS
                        if values.get(f"option_{letter}", "").strip()]
    if kind is QuestionType.MULTIPLE:
        question.partial_credit = PartialCredit.NO_WRONG
    problems = []
    difficulty = _lookup(DIFFICULTY_WORDS, values.get("difficulty", ""))
    if difficulty is None:
        problems.append(Problem(place, "难度", _l("Difficulty must be 易, 中 or 难.")))
    else:
        question.difficulty = difficulty
    error = _answer(question, values.get("answer", ""))
    if error:
        problems.append(Problem(place, "答案", error))
    else:
        problems.extend(Problem(place, FIELD_COLUMNS[field], message) for field, message in check_question(question))
    return (None if problems else question), problems


def to_row(question: ParsedQuestion) -> list[str]:
    """A question as a template row (the export), in TEMPLATE_COLUMNS order."""
    type_word = TYPE_WORDS[question.type][0]
    if question.type is QuestionType.TRUE_FALSE:
        answer = "对" if question.correct == ("T",) else "错"
    elif question.type is QuestionType.FILL_BLANK:
        answer = "；".join("|".join(accepted) for accepted in question.correct)
    elif question.type is QuestionType.NUMERICAL:
        answer = "|".join(numeric_text(a) for a in question.correct)
    elif question.type is QuestionType.MATCHING:
        answer = "；".join(f"{item}->{match}" for item, match in question.correct)
    else:
        answer = "".join(question.correct)
    options = [question.options[i] if i < len(question.options) else "" for i in range(len(OPTION_LETTERS))]
    difficulty = DIFFICULTY_WORDS[question.difficulty][0]
    return [type_word, question.stem, *options, answer, question.explanation, difficulty, question.unit_code]
