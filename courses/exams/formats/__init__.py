"""Question exchange formats: what an imported question is, and the problems a file can have.

Both formats (Moodle GIFT text, the common Chinese spreadsheet layout) parse into
``ParsedQuestion`` and report ``Problem``s with their place in the file; an import writes nothing
unless the whole file parsed without a problem.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

from courses.exams.grading import PartialCredit, QuestionType


class Difficulty:
    EASY = "easy"
    MEDIUM = "medium"
    HARD = "hard"
    ALL = (EASY, MEDIUM, HARD)


MAX_OPTIONS = 6  # A-F, as the spreadsheet template has
OPTION_LETTERS = "ABCDEF"
MAX_STEM = 5000
MAX_TEXT = 1000


@dataclass
class ParsedQuestion:
    """A question as a file states it, before it is matched to syllabus units and saved.

    ``correct`` holds option letters for choice types, ("T",) or ("F",) for true/false, and one
    tuple of accepted answers per blank for fill-in-the-blank (empty for essays).
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
    place: str = ""  # "line 12" or "row 5", for messages


@dataclass(frozen=True)
class Problem:
    """Something wrong in a file, where it is, and what (a translated message)."""

    place: str
    column: str
    message: str  # translated (a lazy string until shown)


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
    if len(question.explanation) > MAX_STEM:
        problems.append(("explanation", _l("The explanation is too long.")))
    return problems


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
