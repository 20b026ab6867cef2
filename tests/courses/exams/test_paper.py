"""Word question papers typed the way teachers type them (python-docx builds them here): headings such as
【单选题】 and 一、判断题, "1." and "1、" numbers, full-width punctuation, options on one line or several,
答案：/【答案】 and 解析： lines; what cannot be read is refused by paragraph; the examples under
tests/data/exams import through the preview."""
from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa
from docx import Document

from academy.extensions import db
from academy.permissions import Role
from courses.exams.formats.paper import parse_paper
from courses.exams.formats.workbook import read_workbook
from courses.exams.grading import QuestionType as T
from courses.exams.models import Question
from tests.courses.exams.importing import confirm, upload
from tests.support import log_in

DATA = Path(__file__).parents[2] / "data" / "exams"


def paper(*paragraphs: str, table: bool = False) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        document.add_table(rows=1, cols=2).rows[0].cells[0].text = "1. 题目"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


TEACHER = ("网格员岗前培训考试试卷", "考试时间：60分钟　满分：100分",
           "一、单项选择题（每题2分，共4分）",
           "1．网格员巡查发现问题应当（　　）。", "A．上报　　B．不管　　C．拍照　　D．离开", "答案：A", "解析：发现问题，及时上报。",
           "2、网格的基本单元一般按（　　）户划分。", "A、100", "B、300", "C、1000", "【答案】B",
           "【多选题】", "3. 下列属于网格事务的是（　　）", "A.治安 B.环境 C.天气 D.民生", "答案：ＡＢＤ", "难度：4",
           "三、判断题", "4. 网格员应当持证上岗。", "答案：√", "5. 网格员可以泄露居民信息。", "答案：×",
           "四、填空题", "6. 网格化管理的基本单元是____。", "答案：网格",
           "五、简答题", "7. 简述网格员的职责。", "答案：巡查、上报、服务群众。", "分值：10", "知识点：Law")


@pytest.fixture(autouse=True)
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


def test_a_teachers_paper_reads_question_by_question():
    questions, problems = parse_paper(paper(*TEACHER))
    assert problems == []
    assert [(q.type, q.correct) for q in questions] == [
        (T.SINGLE, ("A",)), (T.SINGLE, ("B",)), (T.MULTIPLE, ("A", "B", "D")), (T.TRUE_FALSE, ("T",)),
        (T.TRUE_FALSE, ("F",)), (T.FILL_BLANK, (("网格",),)), (T.ESSAY, ())]
    first, second, multiple, *_rest, essay = questions
    assert first.stem == "网格员巡查发现问题应当（　　）。" and first.options == ["上报", "不管", "拍照", "离开"]
    assert first.explanation == "发现问题，及时上报。" and str(first.place) == "paragraph 4"
    assert second.options == ["100", "300", "1000"] and multiple.difficulty == "hard"
    assert (essay.rubric, essay.points, essay.unit_code) == ("巡查、上报、服务群众。", "10", "Law")


@pytest.mark.parametrize("paragraphs,words,place", [
    (("1. 没有题型的题目", "A. 甲", "B. 乙", "答案：A"), "names this question's type", "paragraph 1"),
    (("【单选题】", "1. 题目", "A. 甲", "B. 乙"), "no 答案 line", "paragraph 2"),
    (("【单选题】", "1. 题目", "A. 甲", "B. 乙", "答案：A", "老师备注：这题简单"), "neither an option", "paragraph 6"),
    (("【单选题】", "1. 题目", "A. 甲", "B. 乙", "答案：E"), "an option that does not exist", "paragraph 2"),
    (("【判断题】", "1. 题目", "答案：也许"), "对 or 错", "paragraph 2"),
])
def test_what_cannot_be_read_is_refused_by_paragraph(paragraphs, words, place):
    _questions, problems = parse_paper(paper(*paragraphs))  # any problem: the import writes nothing
    assert len(problems) == 1 and words in str(problems[0].message) and str(problems[0].place) == place


def test_tables_and_damaged_files_are_refused():
    assert "table" in str(parse_paper(paper("【单选题】", table=True))[1][0].message)
    assert "not a Word .docx" in str(parse_paper(b"PK not really")[1][0].message)


def test_the_example_files_read_without_problems():
    assert parse_paper((DATA / "word-paper-example.docx").read_bytes())[1] == []
    assert read_workbook((DATA / "workbook-example.xlsx").read_bytes())[1] == []


@pytest.fixture
def instructor(make_user, client, make_syllabus):
    make_syllabus()
    log_in(client, make_user("paper-teacher", Role.INSTRUCTOR).username)


def test_a_paper_is_previewed_then_imported(instructor, client):
    before = db.session.scalar(sa.select(sa.func.count(Question.id)))
    preview = upload(client, "试卷.docx", paper(*TEACHER))
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200, html[-1500:]
    assert html.count('data-testid="preview-question"') == 7 and "paragraph 4" in html
    assert confirm(client, html).status_code == 302
    assert db.session.scalar(sa.select(sa.func.count(Question.id))) == before + 7
