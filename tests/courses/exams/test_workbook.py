"""The Chinese question workbook as instructors fill it in Excel or WPS: an instruction row merged across the
top, several sheets, 不定项选择题, full-width letters, ✗ and A/B for 判断题, 分值 and 难度 typed as numbers,
the 简答题 reference answer, 知识点 by title; what the bank does not keep is refused by name; and the bank's
export (weights, feedback, units, matching extras, a stem starting with =) reads back to the same questions."""
from __future__ import annotations

import io
from decimal import Decimal

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from academy.exports import Table, xlsx_bytes
from academy.extensions import db
from academy.permissions import Role
from courses.exams.formats.workbook import read_workbook
from courses.exams.grading import PartialCredit as P
from courses.exams.grading import QuestionType as T
from courses.exams.models import Question
from tests.courses.exams.importing import confirm, upload
from tests.courses.exams.test_moodle_xml import EVERY_KIND
from tests.support import log_in

HEADER = ["序号", "题型", "题干", "选项A", "选项B", "选项C", "选项D", "答案", "解析", "难度", "知识点", "分值"]


def _book(sheets: dict[str, list[list]], instruction: bool = True) -> bytes:
    """A workbook as people make it: a merged instruction row above the header, numbers typed as numbers."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        page = book.create_sheet(title)
        if instruction:
            page.append(["填写说明：题型填 单选题/多选题/不定项选择题/判断题/填空题/简答题；答案填选项字母；难度 1-5。"])
            page.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(rows[0]))
        for row in rows:
            page.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


TEACHER_ROWS = [
    HEADER,
    [1, "单选题", "网格员巡查发现问题应当？", "上报", "不管", "", "", "Ａ", "及时上报", 1, "M1.1", 2],
    [2, "不定项选择题", "下列属于网格事务的是？", "治安", "环境", "天气", "民生", "ＡＢＤ", "", 3, "Law", 5],
    [3, "判断题", "网格员可以泄露居民信息。", "", "", "", "", "✗", "", 2, "", 1],
    [4, "判断题", "网格员应当持证上岗。", "正确", "错误", "", "", "A", "", 5, "", 1],
    [5, "简答题", "简述网格员的职责。", "", "", "", "", "巡查、上报、服务群众", "", 4, "M1.2", 10],
    [6, "填空题", "网格化管理的基本单元是____。", "", "", "", "", "网格", "", 3, "", 2.5],
]


@pytest.fixture(autouse=True)
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def test_a_teachers_workbook_reads_with_every_column_kept():
    questions, problems = read_workbook(_book({"题库": TEACHER_ROWS}))
    assert problems == []
    single, multiple, false, true, essay, blank = questions
    assert (single.type, single.correct, single.difficulty, single.points, single.unit_code) == (
        T.SINGLE, ("A",), "easy", "2", "M1.1")
    assert (multiple.type, multiple.correct, multiple.points, multiple.unit_code) == (T.MULTIPLE, ("A", "B", "D"), "5", "Law")
    assert (false.correct, true.correct, true.options) == (("F",), ("T",), [])
    assert (essay.type, essay.rubric, essay.points, essay.difficulty) == (T.ESSAY, "巡查、上报、服务群众", "10", "hard")
    assert [str(n) for n in essay.notes] == ["难度 4 is kept as 难 (the bank has three levels: 易, 中, 难)."]
    assert (blank.correct, blank.points) == ((("网格",),), "2.5")
    assert str(single.place) == "3"  # the instruction row is row 1, the header row 2


def test_several_sheets_each_named_after_its_type():
    judge = [["题干", "答案", "难度"], ["网格员应当持证上岗。", "√", "中"], ["可以不巡查。", "B", "中"]]
    choice = [["题干", "选项A", "选项B", "答案"], ["一加一？", "2", "3", "A"]]
    questions, problems = read_workbook(_book({"判断题": judge, "单选题": choice, "空白": [[None]]}, instruction=False))
    assert problems == []
    assert [(q.type, q.correct, q.place) for q in questions] == [
        (T.TRUE_FALSE, ("T",), "sheet 判断题 row 2"), (T.TRUE_FALSE, ("F",), "sheet 判断题 row 3"),
        (T.SINGLE, ("A",), "sheet 单选题 row 2")]


@pytest.mark.parametrize("rows,words", [
    ([HEADER + ["备注"], [1, "单选题", "题", "甲", "乙", "", "", "A", "", 3, "", 1, "老师自用"]], "The column 备注 is not kept"),
    ([HEADER, [1, "填空题", "题", "甲", "", "", "", "答", "", 3, "", 1]], "has no options"),
    ([HEADER, [1, "单选题", "题", "甲", "乙", "", "", "A", "", 6, "", 1]], "1 to 5"),
    ([HEADER, [1, "单选题", "题", "甲", "乙", "", "", "A", "", 3, "", 0]], "Points are a number above 0"),
    ([HEADER, [1, "单选题", "题", "甲", "乙", "", "", "A", "", 3, "", "两分"]], "Points are a number above 0"),
    ([HEADER, [1, "判断题", "题", "是的", "不是", "", "", "A", "", 3, "", 1]], "can only be 对 and 错"),
    ([["说明"], ["题目", "选项"]], "No header row"),
])
def test_what_is_not_kept_is_refused_by_name(rows, words):
    questions, problems = read_workbook(_book({"题库": rows}, instruction=False))
    assert questions == [] and any(words in str(p.message) for p in problems), [str(p.message) for p in problems]


def test_the_sheet_layout_reads_back_every_kind():
    from courses.exams.formats.sheet import TEMPLATE_COLUMNS, to_row

    data = xlsx_bytes([Table("题库", TEMPLATE_COLUMNS, [to_row(question) for question in EVERY_KIND])])
    back, problems = read_workbook(data)
    assert problems == []
    for written, read in zip(EVERY_KIND, back, strict=True):
        read.place = ""
        assert read == written


@pytest.fixture
def instructor(make_user, client, make_syllabus):
    make_syllabus()
    log_in(client, make_user("sheet-teacher", Role.INSTRUCTOR).username)


def test_the_teachers_workbook_imports_and_the_export_reads_back(instructor, client):
    before = db.session.scalar(sa.select(sa.func.count(Question.id)))
    preview = upload(client, "题库.xlsx", _book({"题库": TEACHER_ROWS}))
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200, html[-2000:]
    assert "巡查、上报、服务群众" in html and "Not kept" in html
    assert confirm(client, html).status_code == 302
    saved = db.session.scalars(sa.select(Question).order_by(Question.id).offset(before)).all()
    assert [q.points for q in saved] == [Decimal(p) for p in ("2", "5", "1", "1", "10", "2.5")]
    assert saved[1].unit.code == "M1.1" and saved[4].rubric == "巡查、上报、服务群众"
    saved[0].stem = "=HYPERLINK(\"http://x\")"  # a stem that starts like a formula
    db.session.flush()
    exported = client.get("/exams/bank/export?format=xlsx")
    stems = [row[1] for row in load_workbook(io.BytesIO(exported.get_data())).active.iter_rows(min_row=2, values_only=True)]
    assert "=HYPERLINK(\"http://x\")" in stems
    again, problems = read_workbook(exported.get_data())
    assert problems == [] and len(again) == len(saved)
    assert {q.stem for q in again} == {q.stem for q in saved}
    assert sorted(q.points for q in again) == sorted(["2", "5", "1", "1", "10", "2.5"])


def test_the_export_carries_weights_feedback_units_and_matching_extras():
    from courses.exams.formats.sheet import to_row

    numerical, matching = EVERY_KIND[8], EVERY_KIND[9]
    row = to_row(numerical)
    assert "3.141..3.142|1822:2" in row and "100,50" in row and "m=1, km=0.001" in row
    assert "a->1；b->2；->extra" in to_row(matching)
    assert "good\nok" in to_row(EVERY_KIND[5]) and P.NO_WRONG  # one feedback per line
