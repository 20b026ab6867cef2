"""The question form's answers as fields per type save the same question as the letter syntax did,
fill in again on the edit page, and bad answers are refused with the field named and nothing saved."""
from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from academy.extensions import db
from academy.permissions import Role
from courses.exams.models import Question
from tests.support import log_in, post_form

COMMON = {"difficulty": "medium", "unit_id": "0", "partial_credit": "all_or_nothing", "stem": "题干", "answer": "", "pairs": ""}
OPTIONS = {"option_a": "甲", "option_b": "乙", "option_c": "丙", "option_d": "丁"}
# (type, the old text fields, the same answer as fields)
CASES = [
    ("single", {**OPTIONS, "answer": "C"}, {**OPTIONS, "single_correct": "C"}),
    ("multiple", {**OPTIONS, "answer": "ABD"}, {**OPTIONS, "multiple_correct": ["D", "A", "B"]}),
    ("true_false", {"answer": "F"}, {"true_false": "F"}),
    ("fill_blank", {"answer": "北京|京;天津"}, {"blank_answers-0": "北京|京", "blank_answers-1": "天津", "blank_answers-2": ""}),
    ("numerical", {"answer": "1822:0|1822:2", "weights": "100,50"},
     {"numeric_rows-0-value": "1822", "numeric_rows-0-tolerance": "", "numeric_rows-1-value": "1822",
      "numeric_rows-1-tolerance": "2", "weights": "100,50"}),
    ("matching", {"pairs": "天津 -> 津\n北京 -> 京\n-> 沪"},
     {"pair_rows-0-item": "天津", "pair_rows-0-match": "津", "pair_rows-1-item": "北京", "pair_rows-1-match": "京",
      "pair_rows-2-item": "", "pair_rows-2-match": "沪"}),
]


@pytest.fixture
def instructor(make_user, client):
    log_in(client, make_user("fields-teacher", Role.INSTRUCTOR).username)
    post_form(client, "/language", {"language": "en", "next": "/account"}, token_from="/account")


def _new(client, data: dict):
    return post_form(client, "/exams/bank/new", {**COMMON, **data}, token_from="/exams/bank/new")


def _saved(response) -> Question:
    assert response.status_code == 302, response.get_data(as_text=True)[-800:]
    return db.session.get(Question, int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1]))


@pytest.mark.parametrize("kind,text,fields", CASES, ids=[c[0] for c in CASES])
def test_the_fields_save_the_same_question_as_the_text(instructor, client, kind, text, fields):
    old = _saved(_new(client, {"type": kind, **text}))
    new = _saved(_new(client, {"type": kind, **fields}))
    assert (new.type, new.options, new.correct, new.weights) == (old.type, old.options, old.correct, old.weights)
    page = client.get(f"/exams/bank/{new.id}/edit").get_data(as_text=True)
    shown = {"single": r'checked[^>]*value="C"|value="C"[^>]*checked', "multiple": r'name="multiple_correct"[^>]*value="D"',
             "true_false": r'checked[^>]*value="F"|value="F"[^>]*checked', "fill_blank": r'name="blank_answers-1"[^>]*value="天津"',
             "numerical": r'name="numeric_rows-1-tolerance"[^>]*value="2"', "matching": r'name="pair_rows-2-match"[^>]*value="沪"'}
    assert re.search(shown[kind], page), kind
    assert not re.search(r'name="answer"[^>]*value="[^"]', page)  # the text is empty: the fields say it


def test_a_missing_or_impossible_answer_is_refused_with_the_field_named(instructor, client):
    before = db.session.scalar(sa.select(sa.func.count(Question.id)))
    for data, words in [({"type": "single", **OPTIONS}, "Give the answer."),
                        ({"type": "true_false", "true_false": "X"}, "Give the answer."),
                        ({"type": "single", **OPTIONS, "single_correct": "Z"}, "Give the answer."),
                        ({"type": "single", **OPTIONS, "single_correct": "F"}, "The answer names an option that does not exist."),
                        ({"type": "numerical", "numeric_rows-0-value": "abc"}, "Give an ordinary number")]:
        response = _new(client, data)
        assert response.status_code == 400, data
        assert words in response.get_data(as_text=True), data
    assert db.session.scalar(sa.select(sa.func.count(Question.id))) == before
