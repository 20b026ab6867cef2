"""A question workbook as instructors fill it in Excel or WPS: instruction rows (merged or not) above the
header, one sheet or several (a sheet named 单选题, 判断题 ... needs no 题型 column), numbers typed as numbers.

Every sheet with content is read; a sheet without a header row, and a column the bank does not keep,
are refused by name, so nothing in the file is dropped without a word. Rows are read by ``sheet``.
"""
from __future__ import annotations

import logging
from datetime import date, datetime

from flask_babel import lazy_gettext as _l

from academy.spreadsheets import UnsafeWorkbook, open_workbook
from courses.exams.formats import ParsedQuestion, Problem, sheet

log = logging.getLogger(__name__)

HEADER_SEARCH = 10  # rows above the header: a title, instructions, a blank line or two
MAX_ROWS = 2000


def cell_text(value) -> str:
    """A cell as the text the person typed: 3 (or 3.0) as "3", 2.5 as "2.5", None as ""."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value)


def _header(rows: list[tuple], sheet_type) -> tuple[int, dict[int, str]] | None:
    for index, row in enumerate(rows[:HEADER_SEARCH]):
        keys = sheet.column_keys([cell_text(v) for v in row])
        if {"stem", "answer"} <= set(keys.values()) and ("type" in keys.values() or sheet_type):
            return index, keys
    return None


def _read_sheet(worksheet, several: bool, budget: int) -> tuple[list[ParsedQuestion], list[Problem]]:
    name = str(worksheet.title)
    rows = [row for row in worksheet.iter_rows(values_only=True)][: MAX_ROWS + HEADER_SEARCH + 1]
    if not any(cell_text(v).strip() for row in rows for v in row):
        return [], []
    sheet_type = sheet.type_of(name)
    found = _header(rows, sheet_type)
    if found is None:
        return [], [Problem(_l("sheet %(sheet)s", sheet=name), "",
                            _l("No header row naming 题型, 题干 and 答案 in the first %(n)d rows (a sheet named after "
                               "a question type, such as 单选题, needs no 题型 column).", n=HEADER_SEARCH))]
    start, keys = found
    header = [cell_text(v) for v in rows[start]]
    extra = sheet.unknown_columns(header)
    questions, problems = [], []
    for number, row in enumerate(rows[start + 1:], start=start + 2):
        texts = [cell_text(v) for v in row]
        if not any(t.strip() for t in texts):
            continue
        if len(questions) + len(problems) >= budget:
            problems.append(Problem("", "", _l("A file may hold at most %(n)d questions.", n=MAX_ROWS)))
            break
        place = _l("sheet %(sheet)s, row %(n)d", sheet=name, n=number) if several else _l("row %(n)d", n=number)
        kept = [extra[i] for i, t in enumerate(texts) if i in extra and t.strip()]
        if kept:
            problems.append(Problem(place, kept[0], _l("The column %(name)s is not kept by the bank: remove it, or move "
                                                       "what it says into 解析.", name=kept[0])))
            continue
        values = {keys[i]: t for i, t in enumerate(texts) if i in keys}
        question, row_problems = sheet.parse_row(values, number, place, sheet_type)
        problems.extend(row_problems)
        if question:
            question.place = f"sheet {name} row {number}" if several else str(number)
            questions.append(question)
    return questions, problems


def read_workbook(data: bytes) -> tuple[list[ParsedQuestion], list[Problem]]:
    """Every question of every sheet, and every problem found (the caller saves nothing if any)."""
    try:
        book = open_workbook(data)
        worksheets = list(book.worksheets)
    except UnsafeWorkbook as error:
        return [], [Problem("", "", str(error))]
    except Exception:  # a damaged or disguised file: openpyxl raises many kinds
        log.info("unreadable question spreadsheet", exc_info=True)
        return [], [Problem("", "", _l("The spreadsheet cannot be read."))]
    questions, problems = [], []
    for worksheet in worksheets:
        found, sheet_problems = _read_sheet(worksheet, len(worksheets) > 1, MAX_ROWS + 1 - len(questions))
        questions.extend(found)
        problems.extend(sheet_problems)
    if not questions and not problems:
        problems.append(Problem(_l("row %(n)d", n=1), "", _l("The header row must name 题型, 题干 and 答案.")))
    return questions, problems
