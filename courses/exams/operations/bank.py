"""Operations on the question bank: write, version, activate and retire questions; import and export.

Editing an active question never changes it: a new version is added to its family and becomes
the one exams draw, so attempts keep the exact version they showed (and the images it showed:
each version records the uploaded images its stem names, see ``courses.exams.operations.images``). Imports are all-or-nothing:
the whole file is parsed and checked (syllabus units included) before a single row is written.
"""
from __future__ import annotations

import logging
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from academy import audit
from academy.errors import DomainError
from academy.exports import Table, xlsx_bytes
from academy.extensions import db
from courses.exams import queries
from courses.exams.formats import (
    Difficulty,
    ParsedQuestion,
    Problem,
    check_question,
    gift,
    moodlexml,
    moodlexml_write,
    paper,
    place_label,
    points_text,
    sheet,
    workbook,
)
from courses.exams.grading import PartialCredit, QuestionType, parse_number
from courses.exams.models import Question, QuestionStatus
from courses.exams.operations import images

log = logging.getLogger(__name__)

MAX_IMPORT_ROWS = 2000
MAX_TAGS = 10
FIELDS = ["title", "stem", "options", "correct", "weights", "answer_feedback", "units", "explanation", "rubric",
          "difficulty", "tags", "unit_id", "partial_credit", "case_sensitive", "width_sensitive", "points", "shuffle_answers"]


class BankError(DomainError):
    """A question that breaks a rule of the bank; the message is translated."""


def _check(values: dict) -> None:
    parsed = ParsedQuestion(type=values["type"], stem=values["stem"], options=list(values["options"]),
                            correct=tuple(values["correct"]), explanation=values.get("explanation", ""),
                            title=values["title"], weights=values["weights"], feedback=values["answer_feedback"],
                            units=values["units"], rubric=values.get("rubric") or "",
                            points=points_text(values.get("points")))
    problems = check_question(parsed)
    if problems:
        raise BankError(str(problems[0][1]))
    if values.get("difficulty") not in Difficulty.ALL:
        raise BankError(_("Unknown difficulty."))
    if len(values.get("tags") or []) > MAX_TAGS:
        raise BankError(_("A question has at most %(n)d tags.", n=MAX_TAGS))
    missing = images.missing_references(values["stem"])
    if missing:
        raise BankError(_missing_message(missing))


def _missing_message(missing: list[str]) -> str:
    return _("The question shows an image this site does not have: %(ref)s. Upload the image here and put the "
             "reference it gives in the question text, or remove the image.", ref=missing[0][:80])


def _normalised(values: dict) -> dict:
    kind = QuestionType(values["type"])
    values = dict(values, type=kind)
    if kind in (QuestionType.FILL_BLANK, QuestionType.MATCHING):
        values["correct"] = [list(blank) for blank in values["correct"]]
    elif kind is QuestionType.NUMERICAL:
        values["correct"] = [dict(answer) for answer in values["correct"]]
    else:
        values["correct"] = list(values["correct"])
    if kind not in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.MATCHING):
        values["options"] = []
    values["title"] = (values.get("title") or "").strip()
    values["weights"] = [[str(w) for w in b] if isinstance(b, (list, tuple)) else str(b) for b in values.get("weights") or []]
    values["answer_feedback"] = [list(f) if isinstance(f, (list, tuple)) else f for f in values.get("answer_feedback") or []]
    values["units"] = [[str(u), str(m)] for u, m in values.get("units") or []] if kind is QuestionType.NUMERICAL else []
    values.setdefault("partial_credit", PartialCredit.ALL_OR_NOTHING)
    if "points" in values:
        number = parse_number(points_text(values["points"]))
        values["points"] = number.quantize(Decimal("0.01")) if number is not None else values["points"] or None
    values["tags"] = [t.strip()[:30] for t in values.get("tags") or [] if t.strip()]
    return values


def create_question(by, **values) -> Question:
    """Add a draft question to the bank (a new family, version 1)."""
    values = _normalised(values)
    _check(values)
    question = Question(status=QuestionStatus.DRAFT, created_by_id=getattr(by, "id", None), **values)
    db.session.add(question)
    db.session.flush()
    question.family_id = question.id
    images.record_references(question)
    audit.record(by, "question.create", question, summary=question.stem[:100])
    db.session.flush()
    return question


def update_question(question: Question, by, **values) -> Question:
    """Change a question: a draft in place; an active or retired one as a new version of its family."""
    if not question.latest:
        raise BankError(_("Only the latest version of a question can be edited."))
    values = _normalised(dict(values, type=question.type))
    _check(values)
    values.pop("type")
    before, after = audit.changes(question, FIELDS, values)
    if not after:
        return question
    if question.status is QuestionStatus.DRAFT:
        for name, value in values.items():
            setattr(question, name, value)
        images.record_references(question)
        audit.record(by, "question.update", question, before=before, after=after)
        db.session.flush()
        return question
    successor = Question(family_id=question.family_id, version=question.version + 1, type=question.type,
                         status=question.status, created_by_id=getattr(by, "id", None), **values)
    question.latest = False
    db.session.flush()  # the old version stops being latest before the new one is written
    db.session.add(successor)
    db.session.flush()
    images.record_references(successor)
    audit.record(by, "question.new_version", successor, summary=f"v{successor.version}", before=before, after=after)
    return successor


def set_question_status(question: Question, by, status: QuestionStatus) -> None:
    """Activate (drawn by exams), retire (no longer drawn) or return a question to draft."""
    if not question.latest:
        raise BankError(_("Only the latest version of a question can change status."))
    if status is QuestionStatus.DRAFT and question.status is not QuestionStatus.DRAFT:
        raise BankError(_("A question that was active cannot return to draft; edit it to make a new version."))
    if question.status == status:
        return
    audit.record(by, "question.status", question, before={"status": question.status}, after={"status": status})
    question.status = status
    db.session.flush()


# ---- import and export -----------------------------------------------------------------------


def read_file(filename: str, data: bytes) -> tuple[list[ParsedQuestion], list[Problem]]:
    """Parse an uploaded .xlsx or GIFT file; every problem found, with its row or line."""
    name = filename.lower()
    if name.endswith(".xlsx"):
        questions, problems = workbook.read_workbook(data)
    elif name.endswith(".docx"):
        questions, problems = paper.parse_paper(data)
    elif name.endswith(".xml"):
        questions, problems = moodlexml.parse_xml(data)
    elif name.endswith((".gift", ".txt")):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return [], [Problem("", "", _l("The file is not UTF-8 text."))]
        questions, problems = gift.parse_gift(text)
    else:
        return [], [Problem("", "", _l("Upload an .xlsx spreadsheet, a Word .docx paper, a Moodle XML .xml file or a GIFT .txt file."))]
    if len(questions) > MAX_IMPORT_ROWS:
        return [], [Problem("", "", _l("A file may hold at most %(n)d questions.", n=MAX_IMPORT_ROWS))]
    if not questions and not problems:
        problems.append(Problem("", "", _l("The file holds no questions.")))
    units = queries.units_by_code()
    for question in questions:
        place = place_label(question)
        if question.unit_code and question.unit_code not in units:
            problems.append(Problem(place, "知识点",
                                    _l("Unknown syllabus unit %(code)s.", code=question.unit_code[:20])))
        missing = images.missing_references(question.stem)
        if missing:  # a file from another site: its images were not exported with it
            problems.append(Problem(place, "题干", _missing_message(missing)))
    return questions, problems


def import_questions(by, questions: list[ParsedQuestion], status: QuestionStatus = QuestionStatus.ACTIVE) -> list[Question]:
    """Write questions that ``read_file`` found valid, all in the caller's transaction."""
    units = queries.units_by_code()
    created = []
    for parsed in questions:
        unit = units.get(parsed.unit_code)
        question = create_question(
            by, type=parsed.type, title=parsed.title, stem=parsed.stem, options=parsed.options, correct=parsed.correct,
            weights=parsed.weights, answer_feedback=parsed.feedback, units=parsed.units, explanation=parsed.explanation,
            difficulty=parsed.difficulty, unit_id=unit.id if unit else None, partial_credit=parsed.partial_credit,
            tags=parsed.tags, rubric=parsed.rubric, case_sensitive=parsed.case_sensitive,
            width_sensitive=parsed.width_sensitive, points=parsed.points or None, shuffle_answers=parsed.shuffle)
        question.status = status
        created.append(question)
    audit.record(by, "question.import", None, summary=f"{len(created)} questions")
    db.session.flush()
    return created


def to_parsed(question: Question) -> ParsedQuestion:
    """A bank question as the formats write it (its answer key exactly as stored)."""
    key = question.answer_key()
    correct = tuple(dict(a) for a in key.correct) if question.type is QuestionType.NUMERICAL else key.correct
    return ParsedQuestion(type=question.type, stem=question.stem, options=list(question.options), correct=correct,
                          explanation=question.explanation, difficulty=question.difficulty,
                          unit_code=question.unit.code if question.unit else "", title=question.title,
                          partial_credit=question.partial_credit, weights=list(question.weights),
                          feedback=list(question.answer_feedback), units=[list(u) for u in question.units],
                          points=points_text(question.points), shuffle=question.shuffle_answers, rubric=question.rubric,
                          case_sensitive=question.case_sensitive, width_sensitive=question.width_sensitive,
                          tags=list(question.tags or []))


def export_xlsx(questions: list[Question]) -> bytes:
    """The questions in the import template's layout (an empty list gives the blank template)."""
    rows = [sheet.to_row(to_parsed(question)) for question in questions]
    return xlsx_bytes([Table(_("Question bank"), sheet.TEMPLATE_COLUMNS, rows)])


def export_gift(questions: list[Question]) -> str:
    return gift.write_gift([to_parsed(q) for q in questions])


def export_moodle_xml(questions: list[Question]) -> bytes:
    """Moodle XML of the questions (Moodle's own question bank imports it; so does this one, unchanged)."""
    return moodlexml_write.write_xml([to_parsed(q) for q in questions])


