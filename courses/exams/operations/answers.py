"""The answers an autosave brings, checked before anything is written: each names an item of the
attempt (re-read under the attempt's lock) and has the shape its question takes. Anything else is an
``ExamError`` and the save changes nothing (``attempts.save_answers``)."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import joinedload

from academy.extensions import db
from courses.exams.grading import QuestionType
from courses.exams.models import Attempt, AttemptItem, Question
from courses.exams.operations.exams import ExamError

MAX_TEXT_ANSWER = 20000
MAX_BLANK = 500
MAX_NUMBER_ANSWER = 60  # a number and a unit
MAX_FLAGS = 200  # as many as an attempt has questions


def _clean_matches(item: AttemptItem, value) -> list[str]:
    """One letter (or "" when not matched yet) per item of the question, naming a match shown."""
    allowed = set(item.option_order) | {""}
    if (not isinstance(value, list) or len(value) > len(item.question.correct)
            or not all(isinstance(x, str) and x in allowed for x in value)):
        raise ExamError(_("An answer names an option that does not exist."))
    return value


def clean_response(item: AttemptItem, value):
    """The response in the shape its question takes, or ExamError for anything else."""
    question = item.question
    if value is None or value == "" or value == []:
        return None
    if question.type in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE):
        allowed = set(item.option_order) if question.type is not QuestionType.TRUE_FALSE else {"T", "F"}
        letters = [value] if isinstance(value, str) else value
        if not isinstance(letters, list) or not all(isinstance(x, str) and x in allowed for x in letters):
            raise ExamError(_("An answer names an option that does not exist."))
        letters = sorted(set(letters))
        if question.type is not QuestionType.MULTIPLE and len(letters) > 1:
            raise ExamError(_("Choose one option."))
        return letters
    if question.type is QuestionType.FILL_BLANK:
        blanks = [value] if isinstance(value, str) else value
        if (not isinstance(blanks, list) or len(blanks) > question.blanks
                or not all(isinstance(x, str) and len(x) <= MAX_BLANK for x in blanks)):
            raise ExamError(_("An answer to a blank is too long or malformed."))
        return blanks
    if question.type is QuestionType.NUMERICAL:
        if not isinstance(value, str) or len(value) > MAX_NUMBER_ANSWER:
            raise ExamError(_("A numerical answer is a number, with its unit if the question names units."))
        return value
    if question.type is QuestionType.MATCHING:
        return _clean_matches(item, value)
    if not isinstance(value, str) or len(value) > MAX_TEXT_ANSWER:
        raise ExamError(_("The answer is too long."))
    return value


def named_items(attempt: Attempt, keys) -> dict[str, AttemptItem]:
    """The attempt's items that ``keys`` (item ids, as text or numbers) name, with their questions,
    re-read under the attempt's lock; ExamError when a key names no item of this attempt."""
    ids = set()
    for key in keys:
        text = str(key)
        if not (text.isascii() and text.isdigit() and str(int(text)) == text and int(text) <= 2**31 - 1):
            raise ExamError(_("An answer is for a question outside this attempt."))
        ids.add(int(text))
    if not ids:
        return {}
    # Of each question only what checking an answer's shape needs (its type, its blanks): the stem,
    # options and key are the wide part of the row, and an autosave never shows them.
    query = (sa.select(AttemptItem).where(AttemptItem.attempt_id == attempt.id, AttemptItem.id.in_(ids))
             .options(joinedload(AttemptItem.question, innerjoin=True).load_only(Question.type, Question.correct))  # blanks, pairs
             .execution_options(populate_existing=True))
    items = {str(item.id): item for item in db.session.scalars(query)}
    if len(items) != len(ids):
        raise ExamError(_("An answer is for a question outside this attempt."))
    return items


def clean_flags(attempt: Attempt, flagged) -> list[int] | None:
    """The item ids a save flags for review, sorted, each an item of this attempt; None when the save
    says nothing of flags; ExamError for anything else (not a list, or a flag naming no item of it)."""
    if flagged is None:
        return None
    if not isinstance(flagged, list) or len(flagged) > MAX_FLAGS:
        raise ExamError(_("A flag is for a question outside this attempt."))
    try:
        items = named_items(attempt, flagged)  # True, 1.5, "x" or another attempt's item: refused there
    except ExamError:
        raise ExamError(_("A flag is for a question outside this attempt.")) from None
    return sorted(item.id for item in items.values())
