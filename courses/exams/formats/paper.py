"""Word (.docx) question papers in the common layout, read with python-docx.

    【单选题】  (or 一、单项选择题（每题2分）: a heading naming the type of the questions after it)
    1. 网格员巡查发现问题应当（  ）。     (or 1、 / 1．)
    A. 上报  B. 不管                     (options on one line or one per line, A. A、 A． A：)
    答案：A                              (答案: 【答案】; letters, 对/错/√/×, blanks as in the spreadsheet)
    解析：……                             (optional, may run over several lines; also 难度：, 分值：, 知识点：)

Each question is then read as a spreadsheet row is (``sheet.parse_row``), so the answers, 难度 1-5 and
the checks are the same. A line that fits nowhere, a question without 答案 or a type, tables and
images are refused with their paragraph; the title and instructions above the first heading or
question are the paper's, not a question's, and are passed over.
"""
from __future__ import annotations

import io
import logging
import re
import zipfile

from flask_babel import lazy_gettext as _l

from academy.spreadsheets import UnsafeWorkbook, check_workbook
from courses.exams.formats import OPTION_LETTERS, ParsedQuestion, Problem, sheet

log = logging.getLogger(__name__)

_QUESTION = re.compile(r"^\s*(\d{1,4})\s*[.、．]\s*(?!\d)(.*)$")
_OPTION = re.compile(r"(?:^|\s)([A-FＡ-Ｆ])\s*[.、．:：)）]\s*")
_FIELD = re.compile(r"^\s*(?:【\s*(答案|解析|难度|分值|知识点)\s*】|(答案|解析|难度|分值|知识点)\s*[:：])\s*(.*)$")
_HEADING = re.compile(r"^\s*(?:【\s*(.+?)\s*】|[一二三四五六七八九十]+\s*[、.．]\s*(.+?))\s*(?:[（(].*[)）])?\s*$")
FIELDS = {"答案": "answer", "解析": "explanation", "难度": "difficulty", "分值": "points", "知识点": "unit"}
MAX_PARAGRAPHS = 20000


class _Table(Exception):
    """The paper holds a table with text: its questions would not be read."""


class _Draft:
    def __init__(self, paragraph: int, kind: str, stem: str) -> None:
        self.paragraph, self.values = paragraph, {"type": kind, "stem": stem}
        self.options: list[str] = []
        self.last = "stem"

    def add(self, line: str) -> str | None:
        """Take one line; a message if it fits nowhere."""
        field = _FIELD.match(line)
        if field:
            self.last = FIELDS[field.group(1) or field.group(2)]
            self.values[self.last] = field.group(3).strip()
            return None
        starts = list(_OPTION.finditer(line))
        if starts and starts[0].start() == 0 and "answer" not in self.values:
            for index, start in enumerate(starts):
                end = starts[index + 1].start() if index + 1 < len(starts) else len(line)
                self.options.append(line[start.end():end].strip())
            self.last = "option"
            return None
        if self.last in ("stem", "explanation"):
            self.values[self.last] += "\n" + line
            return None
        return _l("This line is neither an option, 答案, 解析, 难度, 分值 nor 知识点 of the question above.")

    def row(self) -> dict[str, str]:
        values = dict(self.values)
        values.update({f"option_{OPTION_LETTERS[i]}": text for i, text in enumerate(self.options[:len(OPTION_LETTERS)])})
        return values


def _lines(data: bytes):
    """(paragraph number, line, has a picture) of the document's body; raises for tables."""
    # python-docx is heavy and only question papers need it: loaded when one is read.
    from docx import Document

    document = Document(io.BytesIO(data))
    if any(cell.text.strip() for table in document.tables for row in table.rows for cell in row.cells):
        raise _Table
    for number, paragraph in enumerate(document.paragraphs[:MAX_PARAGRAPHS], start=1):
        picture = bool(paragraph._element.xpath(".//w:drawing | .//w:pict | .//w:object"))
        for line in paragraph.text.split("\n"):
            if line.strip() or picture:
                yield number, line.strip(), picture


def _heading_type(line: str):
    match = _HEADING.match(line)
    if not match:
        return None
    words = match.group(1) or match.group(2)
    return next((word for word in re.split(r"[\s（(]", words) if sheet.type_of(word)), None)


def _read(data: bytes) -> tuple[list[_Draft], list[Problem]]:
    drafts, problems, kind = [], [], ""
    for number, line, picture in _lines(data):
        place = _l("paragraph %(n)d", n=number)
        if picture:
            problems.append(Problem(place, "", _l("Images in a Word paper are not imported: upload the image to the "
                                                  "bank and put it into the question there.")))
            continue
        heading = _heading_type(line)
        question = _QUESTION.match(line)
        if heading:
            kind = heading
        elif question:
            drafts.append(_Draft(number, kind, question.group(2).strip()))
        elif drafts:
            message = drafts[-1].add(line)
            if message:
                problems.append(Problem(place, "", message))
    return drafts, problems


def parse_paper(data: bytes) -> tuple[list[ParsedQuestion], list[Problem]]:
    """Every question of a Word paper, and every problem found (the caller saves nothing if any)."""
    if not zipfile.is_zipfile(io.BytesIO(data)):
        return [], [Problem("", "", _l("This is not a Word .docx file, or it is damaged."))]
    try:
        check_workbook(data)  # the same zip checks as a workbook: unpacked size and number of members
        drafts, problems = _read(data)
    except UnsafeWorkbook as error:
        return [], [Problem("", "", str(error))]
    except _Table:
        return [], [Problem("", "", _l("The paper holds a table; questions in tables are not read. Write them as "
                                       "numbered paragraphs."))]
    except Exception:  # a damaged or disguised file: python-docx raises many kinds
        log.info("unreadable question paper", exc_info=True)
        return [], [Problem("", "", _l("The Word file cannot be read."))]
    questions = []
    for draft in drafts:
        place = _l("paragraph %(n)d", n=draft.paragraph)
        if not draft.values["type"]:
            problems.append(Problem(place, "题型", _l("No heading such as 【单选题】 or 一、判断题 names this question's type.")))
            continue
        if "answer" not in draft.values and sheet.type_of(draft.values["type"]).objective:
            problems.append(Problem(place, "答案", _l("The question has no 答案 line.")))
            continue
        question, row_problems = sheet.parse_row(draft.row(), draft.paragraph, place)
        problems.extend(row_problems)
        if question:
            question.place = f"paragraph {draft.paragraph}"
            questions.append(question)
    return questions, problems
