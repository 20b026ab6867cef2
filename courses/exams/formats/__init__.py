"""Question exchange formats: what an imported question is, and the problems a file can have.

Every format (Moodle GIFT text, Moodle XML, the common Chinese spreadsheet layout, Word question
papers) parses into ``ParsedQuestion`` and reports ``Problem``s with their place in the file; an
import writes nothing unless the whole file parsed without a problem. What a file says that changes
no score and that the bank has no place for (Moodle's hints, its "any other answer" feedback...) is
named in the question's ``notes``, which the preview shows before anything is written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import lazy_gettext as _l

from courses.exams.grading import PartialCredit, QuestionType, numeric_range, parse_number


class Difficulty:
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"
    ALL = (EASY, MEDIUM, HARD)


MAX_OPTIONS = 6  # A-F, as the spreadsheet template has
OPTION_LETTERS = "ABCDEF"
MAX_STEM = 5000
MAX_TEXT = 1000
MAX_PAIRS = 12
MAX_ANSWERS = 20  # accepted answers of a blank, answers of a numerical question
MAX_POINTS = 1000  # a question's default points (the column holds 9999.99)


@dataclass
class ParsedQuestion:
    """A question as a file states it, before it is matched to syllabus units and saved.

    ``correct`` holds option letters for choice types, ("T",) or ("F",) for true/false, one
    tuple of accepted answers per blank for fill-in-the-blank (empty for essays), the answers of a
    numerical question and the (item, match) pairs of a matching one, as ``grading.AnswerKey`` has
    them. ``weights`` and ``feedback`` follow the answers (see ``models.Question``).
    """

    type: QuestionType
    stem: str
    options: list[str] = field(default_factory=list)
    correct: tuple = ()
    explanation: str = ""
    difficulty: str = Difficulty.MEDIUM
    unit_code: str = ""
    title: str = ""
    partial_credit: PartialCredit = PartialCredit.ALL_OR_NOTHING
    weights: list = field(default_factory=list)
    feedback: list = field(default_factory=list)
    units: list = field(default_factory=list)
    points: str = ""  # the question's default points (分值, Moodle's defaultgrade); "" for none
    shuffle: bool = True  # options may be shown in another order
    rubric: str = ""  # essays: the reference answer or what graders look for
    case_sensitive: bool = False
    width_sensitive: bool = False
    tags: list = field(default_factory=list)
    notes: list = field(default_factory=list)  # translated: what the file says that the bank does not keep
    place: str = ""  # "line 12", "row 5" or "paragraph 3", for messages


@dataclass(frozen=True)
class Problem:
    """Something wrong in a file, where it is, and what (a translated message)."""

    place: str
    column: str
    message: str  # translated (a lazy string until shown)


class Refusal(Exception):
    """A question an importer will not take, with the (translated) reason."""


def read_each(items, read, *, text_check=None) -> tuple[list[ParsedQuestion], list[Problem]]:
    """The questions of a text format's ``(line, item)`` pairs, each made by ``read(item)``, and every
    problem by line: a ``Refusal``, what ``check_question`` finds, and what ``text_check`` (a text
    field's problem or None) finds in the stem, title, explanation and rubric. ``read`` answers None
    for an item that is no question (a category)."""
    questions, problems = [], []
    for line, item in items:
        place = _l("line %(n)d", n=line)
        try:
            question = read(item)
        except Refusal as refusal:
            problems.append(Problem(place, "", refusal.args[0]))
            continue
        if question is None:
            continue
        question.place = f"line {line}"
        messages = [message for _field, message in check_question(question)]
        if text_check is not None:
            messages += [message for value in (question.stem, question.title, question.explanation, question.rubric)
                         if (message := text_check(value))]
        problems.extend(Problem(place, "", message) for message in messages)
        if not messages:
            questions.append(question)
    return questions, problems


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]<>])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)([#>+-]|\d+\.)", re.M)


def plain_to_markdown(text: str) -> str:
    """Plain text as Markdown that shows it as typed (stems are Markdown): specials and line starts escaped."""
    return _MARKDOWN_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), _MARKDOWN_SPECIALS.sub(r"\\\1", text))


def place_label(question: ParsedQuestion):
    """Where a question stands in its file, in the reader's language ("row 5", "第 12 行", "第 3 段")."""
    if question.place.startswith("paragraph ") and question.place[10:].isdigit():
        return _l("paragraph %(n)d", n=int(question.place[10:]))
    if question.place.startswith("sheet "):  # "sheet 2 row 5": a workbook of several sheets
        sheet_name, _sep, row = question.place[6:].rpartition(" row ")
        return _l("sheet %(sheet)s, row %(n)d", sheet=sheet_name, n=int(row)) if row.isdigit() else question.place
    number = question.place.removeprefix("line ")
    if not number.isdigit():
        return question.place
    return _l("row %(n)d", n=int(number)) if question.place.isdigit() else _l("line %(n)d", n=int(number))


def points_text(value) -> str:
    """Points as the formats write them: "2", "1.5" ("1.0000000" as Moodle writes 1); "" for none.
    Text that is not a number stays as it is, for ``check_question`` to refuse."""
    if value is None or str(value).strip() == "":
        return ""
    number = parse_number(str(value)) if not isinstance(value, Decimal) else value
    if number is None:
        return str(value).strip()
    text = f"{number.normalize():f}"
    return text


def category_unit(path: str) -> str:
    """The syllabus unit a Moodle category path names (GIFT's ``$CATEGORY:``, XML's category question): its
    last part, by code or title; none for Moodle's own top and default categories ("$course$/top/Default for
    ..."), which every Moodle export starts with."""
    last = path.strip().rstrip("/").rsplit("/", 1)[-1].strip()
    return "" if last == "top" or last.startswith("$") or last.startswith("Default for ") else last


def numeric_answer(text: str) -> dict:
    """A numerical answer as written in GIFT and the question form: "low..high", "value:tolerance" or "value"."""
    text = text.strip()
    if text.find("..") > 0:
        low, _dots, high = text.partition("..")
        return {"min": low.strip(), "max": high.strip()}
    if text.find(":") > 0:
        value, _colon, tolerance = text.partition(":")
        return {"value": value.strip(), "tolerance": tolerance.strip()}
    return {"value": text, "tolerance": "0"}


def numeric_text(answer: dict) -> str:
    """``numeric_answer``'s text of an answer again."""
    return f"{answer['min']}..{answer['max']}" if "min" in answer else f"{answer['value']}:{answer['tolerance']}"


def check_question(question: ParsedQuestion) -> list[tuple[str, str]]:
    """Rules every format shares: (field, translated message) pairs, field one of
    ``stem``, ``options``, ``answer``, ``explanation``."""
    problems = []
    if not question.stem.strip():
        problems.append(("stem", _l("The question text is empty.")))
    if len(question.stem) > MAX_STEM:
        problems.append(("stem", _l("The question text is too long.")))
    if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        problems.extend(_check_choices(question))
    if question.type is QuestionType.TRUE_FALSE and question.correct not in (("T",), ("F",)):
        problems.append(("answer", _l("A true/false answer must be true or false.")))
    if question.type is QuestionType.FILL_BLANK and (not question.correct or not all(question.correct)):
        problems.append(("answer", _l("Each blank needs at least one accepted answer.")))
    if question.type is QuestionType.NUMERICAL:
        problems.extend(_check_numerical(question))
    if question.type is QuestionType.MATCHING:
        problems.extend(_check_matching(question))
    if len(question.explanation) > MAX_STEM:
        problems.append(("explanation", _l("The explanation is too long.")))
    if len(question.title) > 255:
        problems.append(("stem", _l("The title is too long.")))
    if any(not isinstance(f, str) or len(f) > MAX_STEM for f in _flat(question.feedback)):
        problems.append(("explanation", _l("A feedback is too long.")))
    if len(question.rubric) > MAX_STEM:
        problems.append(("explanation", _l("The reference answer is too long.")))
    if question.points:
        number = parse_number(question.points)
        if number is None or not 0 < number <= MAX_POINTS or number != round(number, 2):
            problems.append(("points", _l("Points are a number above 0 and at most %(n)d, with at most two decimals.",
                                          n=MAX_POINTS)))
    return problems + _check_weights(question)


def _flat(values) -> list:
    return [x for value in values for x in (value if isinstance(value, (list, tuple)) else [value])]


def _check_weights(question: ParsedQuestion) -> list[tuple[str, str]]:
    """Moodle's rules: -100..100 %, a single choice, blank or numerical question has an answer worth
    100 %, a multiple choice's positive weights add up to 100 %."""
    if not question.weights:
        return []
    numbers = [parse_number(str(w)) for w in _flat(question.weights)]
    if any(n is None or not -100 <= n <= 100 for n in numbers):
        return [("answer", _l("A weight is a percentage from -100 to 100."))]
    if question.type is QuestionType.MULTIPLE:
        if len(question.weights) != len(question.options):
            return [("answer", _l("Give one weight per option."))]
        if abs(sum(n for n in numbers if n > 0) - 100) > Decimal("0.01"):
            return [("answer", _l("The positive weights of a multiple-choice question must add up to 100%."))]
        return []
    groups = question.weights if question.type is QuestionType.FILL_BLANK else [question.weights]
    sizes = ([len(b) for b in question.correct] if question.type is QuestionType.FILL_BLANK
             else [len(question.options) if question.type is QuestionType.SINGLE else len(question.correct)])
    if [len(g) if isinstance(g, (list, tuple)) else -1 for g in groups] != sizes:
        return [("answer", _l("Give one weight per answer."))]
    if any(max(parse_number(str(w)) for w in group) != 100 for group in groups):
        return [("answer", _l("One answer must be worth 100%."))]
    if question.type is QuestionType.NUMERICAL and any(parse_number(str(w)) < 0 for w in question.weights):
        return [("answer", _l("A weight is a percentage from -100 to 100."))]
    return []


def _check_numerical(question: ParsedQuestion) -> list[tuple[str, str]]:
    if not question.correct or len(question.correct) > MAX_ANSWERS:
        return [("answer", _l("A numerical question needs 1 to 20 answers."))]
    if any(numeric_range(answer) is None for answer in question.correct):
        return [("answer", _l("A numerical answer must be a number with a tolerance, or a range low..high, "
                              "of ordinary numbers (no NaN, no infinity, at most 10^30)."))]
    units = question.units
    if any(not isinstance(u, (list, tuple)) or len(u) != 2 or not str(u[0]).strip() or len(str(u[0])) > 20
           or not parse_number(str(u[1])) for u in units) or len({str(u[0]) for u in units}) != len(units):
        return [("answer", _l("Each unit needs a name and a multiplier other than zero, names once each."))]
    return []


def _check_matching(question: ParsedQuestion) -> list[tuple[str, str]]:
    pairs = question.correct
    if not 2 <= len(pairs) <= MAX_PAIRS:
        return [("answer", _l("A matching question needs 2 to 12 pairs."))]
    texts = [text for pair in pairs for text in pair] + list(question.options)
    if any(len(pair) != 2 for pair in pairs) or any(not str(t).strip() or len(str(t)) > MAX_TEXT for t in texts):
        return [("answer", _l("Each pair needs an item and its match, neither empty nor too long."))]
    if len({pair[0] for pair in pairs}) != len(pairs):
        return [("answer", _l("Each item of a matching question appears once."))]
    return []


def _check_choices(question: ParsedQuestion) -> list[tuple[str, str]]:
    problems = []
    if not 2 <= len(question.options) <= MAX_OPTIONS:
        problems.append(("options", _l("A choice question needs 2 to 6 options.")))
    if any(len(option) > MAX_TEXT or not option.strip() for option in question.options):
        problems.append(("options", _l("An option is empty or too long.")))
    letters = set(OPTION_LETTERS[: len(question.options)])
    if not question.correct or not set(question.correct) <= letters:
        problems.append(("answer", _l("The answer names an option that does not exist.")))
    elif question.type is QuestionType.SINGLE and len(question.correct) != 1:
        problems.append(("answer", _l("A single-choice question has exactly one right option.")))
    return problems


# Moodle's tokens in a question's GIFT comments (qformat_gift extract_idnumber_and_tags_from_comment):
# any characters but control ones (and < > for tags), a "]" escaped as "\]".
_TAG = re.compile(r"\[tag:((?:\\\]|[^\]<>\x00-\x1f\x7f])+)\]")
_ID = re.compile(r"\[id:((?:\\\]|[^\]\x00-\x1f\x7f])+)\]")


def read_comment_tokens(question: ParsedQuestion, comments: list[str]) -> None:
    """The tags a question's comment lines carry; an ID number, which the bank has not, named as not kept."""
    text = "\n".join(comments)
    question.tags = [tag for match in _TAG.finditer(text) if (tag := match.group(1).replace("\\]", "]").strip())]
    if (match := _ID.search(text)) and (number := match.group(1).replace("\\]", "]").strip()):
        question.notes.append(_l("Moodle's ID number is not kept: %(id)s", id=number))


def tag_comment(tags: list[str]) -> str:
    """The comment line Moodle writes above a question for its tags (and reads back)."""
    return "// " + " ".join("[tag:" + tag.replace("]", "\\]") + "]" for tag in tags)
