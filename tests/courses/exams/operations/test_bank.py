"""The question bank: versions, status, sanitised stems, all-or-nothing imports, exports, and its pages."""
from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from academy.extensions import db
from academy.permissions import Role
from courses.exams import queries
from courses.exams.formats.gift import parse_gift
from courses.exams.grading import QuestionType as T
from courses.exams.models import Question, QuestionStatus
from courses.exams.operations import attempts as attempt_ops
from courses.exams.operations import bank
from tests.courses.exams.importing import import_file
from tests.support import log_in, post_form


@pytest.fixture(autouse=True)
def english(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        yield


@pytest.fixture
def instructor(client, make_user, make_syllabus):
    make_syllabus()
    user = make_user("teacher", Role.INSTRUCTOR)
    user.locale = "en"
    db.session.flush()
    log_in(client, user.username)
    return user


def _count():
    return db.session.scalar(sa.select(sa.func.count(Question.id)))


def test_editing_an_active_question_adds_a_version_and_attempts_keep_theirs(make_exam, make_taker):
    exam = make_exam(rules=((T.SINGLE, 1, "2"),))
    user, worker = make_taker(exam.course)
    attempt = attempt_ops.start_attempt(exam, worker, user)
    shown = attempt.items[0].question
    successor = bank.update_question(shown, None, stem="改过的题干", options=shown.options, correct=["B"],
                                     explanation="", rubric="", difficulty="hard", tags=[], unit_id=None)
    db.session.expire_all()
    assert successor.id != shown.id and successor.family_id == shown.family_id and successor.version == 2
    assert successor.latest and not shown.latest and shown.stem != "改过的题干"
    assert attempt.items[0].question_id == shown.id
    with pytest.raises(bank.BankError):
        bank.update_question(shown, None, stem="x", options=shown.options, correct=["A"], difficulty="easy")


def test_editing_a_draft_changes_it_in_place(make_question):
    question = make_question(T.TRUE_FALSE, status=QuestionStatus.DRAFT)
    same = bank.update_question(question, None, stem="新题干", options=[], correct=["F"], difficulty="easy")
    assert same.id == question.id and same.version == 1 and same.correct == ["F"]


def test_retired_question_cannot_go_back_to_draft(make_question):
    question = make_question()
    bank.set_question_status(question, None, QuestionStatus.RETIRED)
    with pytest.raises(bank.BankError):
        bank.set_question_status(question, None, QuestionStatus.DRAFT)


def test_invalid_question_is_refused(make_question):
    with pytest.raises(bank.BankError):
        bank.create_question(None, type=T.SINGLE, stem="?", options=["only one"], correct=["A"], difficulty="easy")
    with pytest.raises(bank.BankError):
        bank.create_question(None, type=T.SINGLE, stem="?", options=["a", "b"], correct=["C"], difficulty="easy")


def test_hostile_stem_is_sanitised(instructor, client, make_question):
    question = make_question(stem='**粗体** <script>alert(1)</script><img src="javascript:alert(2)" onerror="x()">[a](javascript:y)')
    html = client.get(f"/exams/bank/{question.id}").get_data(as_text=True)
    assert "<strong>粗体</strong>" in html
    assert "<script>alert" not in html and "onerror" not in html and "javascript:" not in html


def _xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(["题型", "题干", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "答案", "解析", "难度", "知识点"])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


GOOD = ["单选题", "巡查频次是？", "一日双巡", "每周", "", "", "", "", "A", "", "易", "M1.1"]


def _upload(client, name: str, data: bytes):
    return import_file(client, name, data)


def test_import_reports_every_bad_row_and_writes_nothing(instructor, client):
    data = _xlsx([GOOD, ["怪题", "x", "", "", "", "", "", "", "A", "", "易", ""],
                  ["单选题", "x", "a", "b", "", "", "", "", "E", "", "易", ""],
                  ["单选题", "x", "a", "b", "", "", "", "", "A", "", "易", "NOPE"]])
    before = _count()
    response = _upload(client, "bank.xlsx", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "row 3" in html and "row 4" in html and "row 5" in html and "Unknown syllabus unit NOPE" in html
    assert _count() == before


def test_import_xlsx_and_gift_then_export_round_trip(instructor, client):
    assert _upload(client, "bank.xlsx", _xlsx([GOOD, ["判断题", "可以自办自结。", "", "", "", "", "", "", "对", "", "中", "M1.2"]])).status_code == 302
    gift = "::A:: 12345 又称 {=市民热线 =便民热线}\n\n::B:: 请简述要点。 {}\n"
    assert _upload(client, "bank.gift.txt", gift.encode()).status_code == 302
    questions = queries.bank_questions()
    assert len(questions) == 4 and all(q.status is QuestionStatus.ACTIVE for q in questions)
    exported = client.get("/exams/bank/export?format=xlsx")
    rows = list(load_workbook(io.BytesIO(exported.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "题型" and len(rows) == 5 and any(r[1] == "巡查频次是？" and r[11] == "M1.1" for r in rows[1:])
    text = client.get("/exams/bank/export?format=gift").get_data(as_text=True)
    parsed, problems = parse_gift(text)
    assert not problems and len(parsed) == 4


@pytest.mark.parametrize("name,data", [
    ("bank.xlsx", b"PK\x03\x04 not really a workbook"),
    ("bank.exe", b"MZ"),
    ("bank.txt", b"\xff\xfe\x00bad"),
    ("bank.txt", b""),
])
def test_hostile_files_are_refused_cleanly(instructor, client, name, data):
    before = _count()
    response = _upload(client, name, data)
    assert response.status_code == 400 and _count() == before


def test_oversized_upload_is_refused(instructor, client, app):
    before = _count()
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = _upload(client, "big.txt", b"x" * (limit + 10))
    assert response.status_code == 413 and _count() == before


def test_question_form_creates_and_versions(instructor, client):
    response = post_form(client, "/exams/bank/new", {"type": "multiple", "stem": "哪些属于隐患？", "option_a": "堆物",
                                                      "option_b": "充电", "option_c": "正常", "answer": "AB",
                                                      "partial_credit": "no_wrong", "difficulty": "medium", "unit_id": "0"},
                         token_from="/exams/bank/new")
    assert response.status_code == 302
    question = db.session.scalar(sa.select(Question).where(Question.stem == "哪些属于隐患？"))
    assert question.correct == ["A", "B"] and question.status is QuestionStatus.DRAFT
    bad = post_form(client, "/exams/bank/new", {"type": "single", "stem": "x", "option_a": "a", "answer": "A",
                                                 "partial_credit": "no_wrong", "difficulty": "medium", "unit_id": "0"},
                    token_from="/exams/bank/new")
    assert bad.status_code == 400 and "2 to 6 options" in bad.get_data(as_text=True)
    assert post_form(client, f"/exams/bank/{question.id}/status", {"status": "active"},
                     token_from=f"/exams/bank/{question.id}").status_code == 302
    edit = post_form(client, f"/exams/bank/{question.id}/edit", {"type": "multiple", "stem": "哪些属于隐患？（修订）",
                                                                 "option_a": "堆物", "option_b": "充电", "option_c": "正常",
                                                                 "answer": "ABC", "partial_credit": "no_wrong",
                                                                 "difficulty": "medium", "unit_id": "0"},
                     token_from=f"/exams/bank/{question.id}/edit")
    assert edit.status_code == 302
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count(Question.id)).where(Question.family_id == question.family_id)) == 2



@pytest.mark.parametrize("bad", ["\x00", "\x01", "\x0b", "\x1c", "\x7f", "\x85"])
def test_gift_line_with_a_control_character_is_a_problem_naming_its_line(instructor, client, bad):
    gift = f"::A:: 12345 又称 {{=市民热线}}\n\n::B:: 请简述{bad}要点。 {{}}\n".encode()
    before = _count()
    response = _upload(client, "bank.gift.txt", gift)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "line 3" in html and "cannot be stored" in html
    assert f"U+{ord(bad):04X}" in html and _count() == before


@pytest.mark.parametrize("bad", ["\x7f", "\x85", "\x9f"])
def test_spreadsheet_cell_with_a_control_character_is_a_problem_naming_its_row(instructor, client, bad):
    # openpyxl writes DEL and C1 as they are (C0 cannot be written to XML), as other tools do.
    data = _xlsx([GOOD, ["单选题", f"坏{bad}题", "a", "b", "", "", "", "", "A", "", "易", ""]])
    before = _count()
    response = _upload(client, "bank.xlsx", data)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "row 3" in html and "cannot be stored" in html and "题干" in html
    assert _count() == before
