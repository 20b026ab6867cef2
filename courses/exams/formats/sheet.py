"""The common Chinese question spreadsheet: one question per row, headers in Chinese or English.

Columns: 题型 (type), 题干 (stem), 选项A..选项F (option A..F), 答案 (answer), 解析 (explanation),
难度 (difficulty: 易/中/难 or 1-5), 知识点 (the syllabus unit, by code or title), 分值 (the question's
default points), and what the bank's export adds so that it reads back unchanged: 标题 (title),
权重 (weights), 答案反馈 (feedback per answer), 单位 (units), 计分方式 (partial credit), 选项乱序
(shuffle), 区分大小写, 区分全半角, 标签 (tags). 序号 is read as numbering and not kept; any other
column is refused by name (``workbook``), so nothing in a file is dropped without a word.

Answers: option letters, half or full width ("A", "ＡＢＤ", "A,C", "A、C"); for 判断题 对/错 (正确/错误,
√/✓/×/✗, T/F) or A/B (A 对, B 错, or the option they name); for 填空题 the blanks separated by "；"
or ";" with accepted alternatives separated by "|"; for 简答题 the reference answer; numerical
answers as "1822:1" (value:tolerance) or "3.141..3.142", several separated by "|"; matching pairs as
"item->match" separated by "；" ("->match" alone adds a match to choose from).
"""
from __future__ import annotations

import re
import unicodedata

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
    "points": ("分值", "points", "分数"),
    "title": ("标题", "title"),
    "weights": ("权重", "weights"),
    "feedback": ("答案反馈", "feedback"),
    "units": ("单位", "units"),
    "partial_credit": ("计分方式", "partial credit"),
    "shuffle": ("选项乱序", "shuffle"),
    "case_sensitive": ("区分大小写", "case sensitive"),
    "width_sensitive": ("区分全半角", "width sensitive"),
    "tags": ("标签", "tags"),
}
NUMBERING = ("序号", "题号", "编号", "no.", "#")  # the row's number: not a part of the question
TEMPLATE_COLUMNS = [HEADERS[key][0] for key in HEADERS]
FIELD_COLUMNS = {"stem": "题干", "options": "选项A-F", "answer": "答案", "explanation": "解析", "points": "分值"}

TYPE_WORDS = {
    QuestionType.SINGLE: ("单选题", "单选", "单项选择题", "single"),
    QuestionType.MULTIPLE: ("多选题", "多选", "多项选择题", "不定项选择题", "不定项", "multiple"),
    QuestionType.TRUE_FALSE: ("判断题", "判断", "是非题", "true_false", "true/false"),
    QuestionType.FILL_BLANK: ("填空题", "填空", "fill_blank", "fill"),
    QuestionType.ESSAY: ("简答题", "问答题", "论述题", "简答", "essay"),
    QuestionType.NUMERICAL: ("数值题", "数值", "numerical"),
    QuestionType.MATCHING: ("匹配题", "匹配", "matching"),
}
TRUE_WORDS = ("对", "正确", "√", "✓", "✔", "是", "t", "true", "y")
FALSE_WORDS = ("错", "错误", "×", "✗", "✘", "x", "否", "f", "false", "n")
DIFFICULTY_WORDS = {
    Difficulty.EASY: ("易", "简单", "容易", "easy", "1", "2"),
    Difficulty.MEDIUM: ("中", "中等", "一般", "medium", "", "3"),
    Difficulty.HARD: ("难", "困难", "较难", "hard", "4", "5"),
}
CREDIT_WORDS = {PartialCredit.ALL_OR_NOTHING: "全对得分", PartialCredit.NO_WRONG: "少选按比例得分",
                PartialCredit.RIGHT_MINUS_WRONG: "对减错"}
YES, NO = ("是", "y", "yes", "true", "1"), ("否", "n", "no", "false", "0", "")


def column_keys(header_row: list[str]) -> dict[int, str]:
    """Map column positions to field keys from a header row in Chinese or English."""
    lookup = {name.casefold(): key for key, names in HEADERS.items() for name in names}
    return {index: lookup[str(h).strip().casefold()] for index, h in enumerate(header_row)
            if h is not None and str(h).strip().casefold() in lookup}


def unknown_columns(header_row: list[str]) -> dict[int, str]:
    """Columns named in the header that are neither a field nor the row's number: position -> name."""
    known = column_keys(header_row)
    return {index: str(h).strip() for index, h in enumerate(header_row) if index not in known and h is not None
            and str(h).strip() and str(h).strip().casefold() not in NUMBERING}


def type_of(word: str) -> QuestionType | None:
    return _lookup(TYPE_WORDS, word)


def _lookup(words: dict, value: str):
    value = unicodedata.normalize("NFKC", value).strip().casefold()
    for key, names in words.items():
        if value in names:
            return key
    return None


def _flag(value: str, default: bool) -> bool | None:
    value = unicodedata.normalize("NFKC", value).strip().casefold()
    return default if not value else True if value in YES else False if value in NO else None


def _true_false(question: ParsedQuestion, raw: str) -> str | None:
    word = unicodedata.normalize("NFKC", raw).strip().casefold()
    options = [unicodedata.normalize("NFKC", o).strip().casefold() for o in question.options]
    if options and any(o not in TRUE_WORDS + FALSE_WORDS for o in options):
        return _l("The options of a 判断题 can only be 对 and 错 (正确/错误).")
    if word in ("a", "b"):
        word = options["ab".index(word)] if len(options) > "ab".index(word) else ("对" if word == "a" else "错")
    if word not in TRUE_WORDS + FALSE_WORDS:
        return _l("A true/false answer must be 对 or 错 (or A/B).")
    question.options, question.correct = [], ("T",) if word in TRUE_WORDS else ("F",)
    return None


def _answer(question: ParsedQuestion, raw: str) -> str | None:
    if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        letters = re.sub(r"[\s,，、;；]", "", unicodedata.normalize("NFKC", raw)).upper()
        if not letters or not all(ch in OPTION_LETTERS for ch in letters):
            return _l("The answer must be option letters such as A or ACD.")
        question.correct = tuple(sorted(set(letters)))
    elif question.type is QuestionType.TRUE_FALSE:
        return _true_false(question, raw)
    elif question.type is QuestionType.FILL_BLANK:
        blanks = [b for b in re.split(r"[;；]", raw) if b.strip()]
        question.correct = tuple(tuple(a.strip() for a in b.split("|") if a.strip()) for b in blanks)
    elif question.type is QuestionType.NUMERICAL:
        question.correct = tuple(numeric_answer(a) for a in raw.split("|") if a.strip())
    elif question.type is QuestionType.MATCHING:
        pairs = [p.partition("->") for p in re.split(r"[;；]", raw) if p.strip()]
        question.correct = tuple((item.strip(), match.strip()) for item, _arrow, match in pairs if item.strip())
        question.options = [match.strip() for item, _arrow, match in pairs if not item.strip()]
    else:
        question.rubric = raw.strip()
    return None


def _split(text: str, separator: str) -> list[str]:
    return [part.strip() for part in text.replace("；", ";").replace("，", ",").split(separator) if part.strip()]


def _lines(text: str) -> list[str]:
    r"""One feedback per line; a line break inside one feedback is written \n, a backslash \\."""
    return [line.replace("\\\\", "\0").replace("\\n", "\n").replace("\0", "\\") for line in text.split("\n")]


def _extras(question: ParsedQuestion, values: dict[str, str]) -> list[tuple[str, str]]:
    """The columns past the template's first ones; (column, message) for each that cannot be read."""
    problems = []
    question.title = values.get("title", "").strip()
    question.points = values.get("points", "").strip()
    question.tags = _split(values.get("tags", ""), ",")
    if values.get("weights", "").strip():
        question.weights = ([_split(blank, ",") for blank in _split(values["weights"], ";")]
                            if question.type is QuestionType.FILL_BLANK else _split(values["weights"], ","))
    if values.get("feedback", "").strip():
        lines = _lines(values["feedback"].rstrip("\n"))
        if question.type is QuestionType.FILL_BLANK:
            grouped = []
            for accepted in question.correct:
                grouped.append((lines + [""] * len(accepted))[:len(accepted)])
                lines = lines[len(accepted):]
            lines = grouped
        else:  # one per answer, as GIFT and Moodle XML give them: a trailing empty one is not lost
            size = {QuestionType.TRUE_FALSE: 2, QuestionType.NUMERICAL: len(question.correct)}.get(question.type,
                                                                                                  len(question.options))
            lines = lines + [""] * (size - len(lines))
        question.feedback = lines
    if values.get("units", "").strip():
        question.units = [[unit.strip(), multiplier.strip()] for unit, _eq, multiplier in
                          (part.partition("=") for part in _split(values["units"], ","))]
    credit = values.get("partial_credit", "").strip()
    if credit:
        found = [key for key, word in CREDIT_WORDS.items() if credit in (word, key.value)]
        if not found:
            problems.append(("计分方式", _l("计分方式 must be one of: %(words)s.", words="、".join(CREDIT_WORDS.values()))))
        else:
            question.partial_credit = found[0]
    for key, attribute, default in (("shuffle", "shuffle", True), ("case_sensitive", "case_sensitive", False),
                                    ("width_sensitive", "width_sensitive", False)):
        flag = _flag(values.get(key, ""), default)
        if flag is None:
            problems.append((HEADERS[key][0], _l("Write 是 or 否.")))
        else:
            setattr(question, attribute, flag)
    return problems


def parse_row(values: dict[str, str], row: int, place=None, sheet_type: QuestionType | None = None
              ) -> tuple[ParsedQuestion | None, list[Problem]]:
    """One spreadsheet row (field key -> text) as a question, or the problems it has. ``sheet_type``:
    the type a sheet's name gives its rows when they have no 题型 column."""
    place = place or _l("row %(n)d", n=row)
    unstorable = [Problem(place, HEADERS[key][0], message) for key, value in values.items()
                  if (message := text_problem(value))]
    if unstorable:
        return None, unstorable
    kind = _lookup(TYPE_WORDS, values["type"]) if "type" in values else sheet_type
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
        problems.append(Problem(place, "难度", _l("Difficulty must be 易, 中 or 难, or 1 to 5.")))
    else:
        question.difficulty = difficulty
        level = unicodedata.normalize("NFKC", values.get("difficulty", "")).strip()
        if level in ("2", "4"):  # the bank has three levels: say where a five-level mark went
            question.notes.append(_l("难度 %(level)s is kept as %(word)s (the bank has three levels: 易, 中, 难).",
                                     level=level, word=DIFFICULTY_WORDS[difficulty][0]))
    if question.options and kind not in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE):
        problems.append(Problem(place, "选项A-F", _l("This question type has no options: leave 选项A-F empty.")))
    error = _answer(question, values.get("answer", ""))
    problems.extend(Problem(place, column, message) for column, message in _extras(question, values))
    if error:
        problems.append(Problem(place, "答案", error))
    elif not problems:
        problems.extend(Problem(place, FIELD_COLUMNS.get(field, field), message) for field, message in check_question(question))
    return (None if problems else question), problems


def _feedback_cell(question: ParsedQuestion) -> str:
    flat = [f for group in question.feedback for f in (group if isinstance(group, (list, tuple)) else [group])]
    return "\n".join(f.replace("\\", "\\\\").replace("\n", "\\n") for f in flat)


def _answer_cell(question: ParsedQuestion) -> str:
    if question.type is QuestionType.TRUE_FALSE:
        return "对" if question.correct == ("T",) else "错"
    if question.type is QuestionType.FILL_BLANK:
        return "；".join("|".join(accepted) for accepted in question.correct)
    if question.type is QuestionType.NUMERICAL:
        return "|".join(numeric_text(a) for a in question.correct)
    if question.type is QuestionType.MATCHING:
        return "；".join([f"{item}->{match}" for item, match in question.correct] + [f"->{m}" for m in question.options])
    if question.type is QuestionType.ESSAY:
        return question.rubric
    return "".join(question.correct)


def to_row(question: ParsedQuestion) -> list[str]:
    """A question as a template row (the export), in TEMPLATE_COLUMNS order; it reads back the same."""
    options = [] if question.type is QuestionType.MATCHING else question.options
    options = [options[i] if i < len(options) else "" for i in range(len(OPTION_LETTERS))]
    weights = ("；".join(",".join(group) for group in question.weights) if question.type is QuestionType.FILL_BLANK
               else ",".join(question.weights))
    multiple = question.type is QuestionType.MULTIPLE
    return [TYPE_WORDS[question.type][0], question.stem, *options, _answer_cell(question), question.explanation,
            DIFFICULTY_WORDS[question.difficulty][0], question.unit_code, question.points, question.title, weights,
            _feedback_cell(question), ", ".join(f"{u}={m}" for u, m in question.units),
            CREDIT_WORDS[question.partial_credit] if multiple else "", "是" if question.shuffle else "否",
            "是" if question.case_sensitive else "否", "是" if question.width_sensitive else "否", ", ".join(question.tags)]
