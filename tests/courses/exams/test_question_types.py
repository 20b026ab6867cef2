"""Numerical and matching questions and weighted answers: graded as Moodle grades them, taken in an
exam (the matches' order kept with the attempt), regraded, counted in the statistics, written in the bank
and imported from Moodle's GIFT examples after a preview. Bad input is refused and changes nothing."""
from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
import sqlalchemy as sa

from academy.extensions import db
from academy.permissions import Role
from courses.exams import queries
from courses.exams.grading import AnswerKey, grade
from courses.exams.grading import QuestionType as T
from courses.exams.models import Attempt, AttemptState, Question, QuestionStatus
from courses.exams.operations import attempts as ops
from courses.exams.operations import bank
from tests.courses.exams.importing import confirm, upload
from tests.courses.exams.test_gift_moodle import EXAMPLES
from tests.support import csrf_token, log_in, post_form

GRANT = AnswerKey(T.NUMERICAL, ({"value": "1822", "tolerance": "0"}, {"value": "1822", "tolerance": "2"}), weights=("100", "50"))


@pytest.mark.parametrize("response,earned", [
    ("1822", "4.00"), (" 1822 ", "4.00"), ("１８２２", "4.00"), ("1823", "2.00"), ("1820", "2.00"), ("1819", "0.00"),
    ("1.822e3", "4.00"), ("sNaN", "0.00"), ("NaN", "0.00"), ("Infinity", "0.00"), ("1e999999999", "0.00"),
    ("0x71e", "0.00"), ("", "0.00"), (None, "0.00"), (["1822"], "0.00"), ("9" * 41, "0.00"),
])
def test_numerical_answers_earn_the_first_matching_answers_weight(response, earned):
    assert grade(GRANT, response, 4) == Decimal(earned)


def test_numerical_ranges_and_units():
    pi = AnswerKey(T.NUMERICAL, ({"min": "3.141", "max": "3.142"},))
    assert [grade(pi, r, 2) for r in ("3.141", "3.1415", "3.142", "3.1421")] == [Decimal("2.00")] * 3 + [Decimal("0.00")]
    length = AnswerKey(T.NUMERICAL, ({"value": "1500", "tolerance": "10"},), units=(("m", "1"), ("km", "0.001")))
    assert [grade(length, r, 1) for r in ("1500", "1500 m", "1.5km", "1.5 km", "1.5 mi")] == \
        [Decimal("1.00")] * 4 + [Decimal("0.00")]


def test_matching_earns_a_share_per_right_pair():
    key = AnswerKey(T.MATCHING, (("Canada", "Ottawa"), ("Italy", "Rome"), ("Japan", "Tokyo")),
                    options=("Ottawa", "Rome", "Tokyo", "Beijing"))
    assert grade(key, ["A", "B", "C"], 3) == Decimal("3.00")
    assert grade(key, ["A", "C", "D"], 3) == Decimal("1.00")
    assert grade(key, ["A", "", "Z"], 3) == Decimal("1.00")
    assert grade(key, "ABC", 3) == Decimal("0.00")


def test_weighted_choices_and_blanks():
    single = AnswerKey(T.SINGLE, ("D",), weights=("0", "25", "50", "100"))
    assert [grade(single, [x], 4) for x in "ABCD"] == [Decimal(v) for v in ("0.00", "1.00", "2.00", "4.00")]
    multiple = AnswerKey(T.MULTIPLE, ("B", "C"), weights=("-50", "50", "50", "-50"))
    assert grade(multiple, ["B", "C"], 2) == Decimal("2.00") and grade(multiple, ["B"], 2) == Decimal("1.00")
    assert grade(multiple, ["A", "B"], 2) == Decimal("0.00") and grade(multiple, ["A", "B", "C", "D"], 2) == Decimal("0.00")
    blank = AnswerKey(T.FILL_BLANK, (("Nazareth", "Nazereth", "Bethlehem"),), weights=(("100", "75", "25"),))
    assert [grade(blank, [x], 4) for x in ("nazareth", "Nazereth", "Bethlehem", "Rome")] == \
        [Decimal(v) for v in ("4.00", "3.00", "1.00", "0.00")]


@pytest.fixture
def sitting(make_exam, make_taker, client):
    exam = make_exam(rules=((T.NUMERICAL, 1, "4"), (T.MATCHING, 1, "3")))
    user, worker = make_taker(exam.course)
    log_in(client, user.username)
    response = post_form(client, f"/exams/{exam.id}/start", token_from=f"/exams/{exam.id}")
    attempt = db.session.get(Attempt, int(response.headers["Location"].rstrip("/").split("/")[-1]))
    return exam, user, attempt


def _save(client, attempt, body):
    return client.post(f"/attempts/{attempt.id}/save", data=json.dumps(body), content_type="application/json",
                       headers={"X-CSRFToken": csrf_token(client, f"/attempts/{attempt.id}")})


def _items(attempt):
    return {item.question.type: item for item in attempt.items}


def test_an_exam_with_numerical_and_matching_questions(sitting, client):
    exam, user, attempt = sitting
    items = _items(attempt)
    matching = items[T.MATCHING]
    assert sorted(matching.option_order) == ["A", "B", "C", "D"]  # 3 pairs' matches and one extra, shuffled
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    shown = re.findall(r'<option value="([A-D])"\s*>', page)[:4]
    assert shown == matching.option_order and "津" in page and 'inputmode="decimal"' in page
    assert page.count('data-testid="match-') == 3  # one choice per item
    assert re.findall(r'<option value="([A-D])"\s*>', client.get(f"/attempts/{attempt.id}").get_data(as_text=True))[:4] == shown
    letter = {text: chr(65 + i) for i, text in enumerate(matching.question.matches)}
    answer = [letter["津"], letter["沪"], letter["京"]]  # the first right, the other two swapped
    assert _save(client, attempt, {"seq": 1, "answers": {items[T.NUMERICAL].id: "1822.5",
                                                         matching.id: answer}}).status_code == 200
    reloaded = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert 'value="1822.5"' in reloaded and f'<option value="{letter["沪"]}" selected>' in reloaded
    ops.close_attempt(attempt, user)
    db.session.expire_all()
    assert attempt.state is AttemptState.GRADED
    assert items[T.NUMERICAL].earned == Decimal("4.00") and matching.earned == Decimal("1.00")
    stats = dict((q.type, s) for q, s in queries.exam_item_statistics(exam))
    assert stats[T.MATCHING].facility == pytest.approx(1 / 3) and stats[T.NUMERICAL].facility == 1.0


@pytest.mark.parametrize("body", [
    {"answers": "MATCH", "kind": T.MATCHING}, {"answers": ["A", "A", "A", "A"], "kind": T.MATCHING},
    {"answers": ["Z"], "kind": T.MATCHING}, {"answers": [1], "kind": T.MATCHING},
    {"answers": ["1822"], "kind": T.NUMERICAL}, {"answers": "1" * 61, "kind": T.NUMERICAL},
])
def test_malformed_answers_are_refused_and_change_nothing(sitting, client, body):
    _exam, _user, attempt = sitting
    item = _items(attempt)[body["kind"]]
    response = _save(client, attempt, {"seq": 1, "answers": {item.id: body["answers"]}})
    db.session.expire_all()
    assert response.status_code == 400
    assert item.response is None and attempt.last_seq == 0


def test_regrade_after_the_numerical_key_is_fixed(sitting, client, make_user):
    exam, user, attempt = sitting
    items = _items(attempt)
    _save(client, attempt, {"seq": 1, "answers": {items[T.NUMERICAL].id: "1830"}})
    ops.close_attempt(attempt, user)
    assert items[T.NUMERICAL].earned == Decimal("0.00")
    teacher = make_user("fixer", Role.INSTRUCTOR)
    bank.update_question(items[T.NUMERICAL].question, teacher, **{
        "stem": "When?", "options": [], "correct": [{"value": "1822", "tolerance": "10"}], "weights": [],
        "answer_feedback": [], "units": [], "explanation": "", "rubric": "", "difficulty": "medium", "tags": [],
        "unit_id": None, "title": "", "partial_credit": "all_or_nothing", "case_sensitive": False, "width_sensitive": False})
    from courses.exams.operations import regrade

    changes = regrade.apply_regrade(exam, teacher, "tolerance was too tight")
    assert len(changes) == 1 and changes[0].new_score == Decimal("4.00")


@pytest.fixture
def instructor(make_user, client):
    log_in(client, make_user("bank-teacher", Role.INSTRUCTOR).username)


def _count():
    return db.session.scalar(sa.select(sa.func.count(Question.id)))


def test_the_question_form_writes_numerical_and_matching_questions(instructor, client):
    common = {"difficulty": "medium", "unit_id": "0", "partial_credit": "all_or_nothing"}
    numerical = post_form(client, "/exams/bank/new", {**common, "type": "numerical", "title": "格兰特", "stem": "哪一年？",
                                                       "answer": "1822:0|1822:2", "weights": "100, 50",
                                                       "answer_feedback": "对\n接近", "units": "年=1"},
                          token_from="/exams/bank/new")
    assert numerical.status_code == 302, numerical.get_data(as_text=True)[-1500:]
    matching = post_form(client, "/exams/bank/new", {**common, "type": "matching", "stem": "配对",
                                                      "pairs": "天津 -> 津\n北京 -> 京\n-> 沪"}, token_from="/exams/bank/new")
    assert matching.status_code == 302
    saved = {q.type: q for q in db.session.scalars(sa.select(Question))}
    assert saved[T.NUMERICAL].correct == [{"value": "1822", "tolerance": "0"}, {"value": "1822", "tolerance": "2"}]
    assert saved[T.NUMERICAL].weights == ["100", "50"] and saved[T.NUMERICAL].answer_feedback == ["对", "接近"]
    assert saved[T.NUMERICAL].units == [["年", "1"]] and saved[T.NUMERICAL].title == "格兰特"
    assert saved[T.MATCHING].correct == [["天津", "津"], ["北京", "京"]] and saved[T.MATCHING].options == ["沪"]
    page = client.get(f"/exams/bank/{saved[T.NUMERICAL].id}/edit").get_data(as_text=True)
    assert re.search(r'name="numeric_rows-1-value"[^>]*value="1822"', page)
    assert re.search(r'name="unit_rows-0-unit"[^>]*value="年"', page) and re.search(r'name="numeric_rows-1-weight"[^>]*value="50"', page)
    assert re.search(r'name="numeric_rows-1-tolerance"[^>]*value="2"', page)
    shown = client.get(f"/exams/bank/{saved[T.NUMERICAL].id}").get_data(as_text=True)
    assert "1822 ± 2" in shown and "50%" in shown and "接近" in shown


@pytest.mark.parametrize("answer", ["sNaN", "NaN:1", "1e999999", "Infinity", "1822:-1", "5..3", "1822:abc"])
def test_a_numerical_key_that_is_no_number_is_refused(instructor, client, answer):
    before = _count()
    response = post_form(client, "/exams/bank/new", {"type": "numerical", "stem": "x", "answer": answer, "difficulty": "medium",
                                                      "unit_id": "0", "partial_credit": "all_or_nothing"},
                         token_from="/exams/bank/new")
    assert response.status_code == 400 and "no NaN, no infinity" in response.get_data(as_text=True)
    assert _count() == before


def test_the_gift_examples_are_previewed_then_imported_as_drafts(instructor, client):
    before = _count()
    preview = upload(client, "moodle-examples.gift.txt", EXAMPLES.read_bytes())
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and html.count('data-testid="preview-question"') == 43 and _count() == before
    assert "Jesus&#39; hometown" in html and "75%" in html and "Right, but misspelled." in html
    assert "1822 ± 2" in html and "New Delhi" in html
    assert 'name="confirm-activate" type="checkbox" value="y">' in html or "checked" not in html.split("confirm-activate")[1][:80]
    done = confirm(client, html, activate=False)
    assert done.status_code == 302 and _count() == before + 43
    imported = db.session.scalars(sa.select(Question).order_by(Question.id).offset(before)).all()
    assert {q.status for q in imported} == {QuestionStatus.DRAFT}
    assert {q.type for q in imported} == {T.SINGLE, T.MULTIPLE, T.TRUE_FALSE, T.FILL_BLANK, T.NUMERICAL, T.MATCHING}
    assert sum(1 for q in imported if q.title == "Jesus' hometown") == 2


@pytest.mark.parametrize("content", ["not base64!", "", "AAAA" * 10])
def test_a_tampered_confirmation_is_refused_and_writes_nothing(instructor, client, content):
    before = _count()
    response = post_form(client, "/exams/bank/import", {"confirm-content": content, "confirm-filename": "x.txt",
                                                         "confirm-confirm": "Import"}, token_from="/exams/bank/import")
    assert response.status_code == 400 and _count() == before


def test_a_file_with_an_unsupported_construct_is_refused_by_line(instructor, client):
    text = ("Ok {=a ~b}\n\n" * 42 + "When? {#1822:1 ~#Wrong}\n").encode()
    response = upload(client, "x.gift.txt", text)
    html = response.get_data(as_text=True)
    assert response.status_code == 400 and "line 85" in html and "~#" in html and _count() == 0
