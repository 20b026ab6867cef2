"""Taking an exam over HTTP: start, resume, autosave JSON, submit once, no keys, nobody else's attempt."""
from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest

from academy.database import utcnow
from academy.extensions import db
from courses.exams.grading import QuestionType as T
from courses.exams.models import Attempt, AttemptItem, AttemptState
from courses.exams.operations import attempts
from tests.support import csrf_token, log_in, post_form


@pytest.fixture
def setup(make_exam, make_taker, client):
    exam = make_exam(rules=((T.SINGLE, 2, "2"), (T.FILL_BLANK, 1, "2"), (T.ESSAY, 1, "4")))
    user, worker = make_taker(exam.course)
    log_in(client, user.username)
    return exam, user, worker


def _start(client, exam) -> Attempt:
    response = post_form(client, f"/exams/{exam.id}/start", token_from=f"/exams/{exam.id}")
    assert response.status_code == 302
    return db.session.get(Attempt, int(response.headers["Location"].rstrip("/").split("/")[-1]))


def _save(client, attempt, body, token=None):
    token = token or csrf_token(client, f"/attempts/{attempt.id}")
    return client.post(f"/attempts/{attempt.id}/save", data=json.dumps(body) if not isinstance(body, (str, bytes)) else body,
                       content_type="application/json", headers={"X-CSRFToken": token})


def test_exam_page_shows_questions_without_keys(setup, client):
    exam, user, worker = setup
    attempt = _start(client, exam)
    html = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert 'data-testid="question-4"' in html and "exams.js" in html and "<script>" not in html
    assert "Because." not in html  # the explanation
    assert "组织" not in html  # the accepted blank answer
    state = client.get(f"/attempts/{attempt.id}/state.json").get_json()
    assert state["state"] == "in_progress" and 0 < state["remaining"] <= 30 * 60
    for text in (json.dumps(state), _save(client, attempt, {"seq": 1, "answers": {}}).get_data(as_text=True)):
        assert "correct" not in text and "earned" not in text and "explanation" not in text and "组织" not in text


def test_autosave_resume_and_single_submit(setup, client):
    exam, user, worker = setup
    attempt = _start(client, exam)
    blank = next(i for i in attempt.items if i.question.type is T.FILL_BLANK)
    essay = next(i for i in attempt.items if i.question.type is T.ESSAY)
    response = _save(client, attempt, {"seq": 1, "answers": {str(blank.id): ["组织"], str(essay.id): "答"}})
    assert response.status_code == 200 and response.get_json()["status"] == "saved"
    assert response.get_json()["csrf_token"]
    stale = _save(client, attempt, {"seq": 1, "answers": {str(blank.id): ["错"]}})
    assert stale.status_code == 200 and stale.get_json()["status"] == "stale"
    # A reload (or another device) gets every saved answer back.
    state = client.get(f"/attempts/{attempt.id}/state.json").get_json()
    assert state["answers"][str(blank.id)] == ["组织"] and state["last_seq"] == 1
    assert 'value="组织"' in client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    token = csrf_token(client, f"/attempts/{attempt.id}")
    first = client.post(f"/attempts/{attempt.id}/submit", data={"csrf_token": token})
    second = client.post(f"/attempts/{attempt.id}/submit", data={"csrf_token": token})
    assert first.status_code == second.status_code == 302
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.state is AttemptState.SUBMITTED and attempt.score == Decimal("2.00")
    late = _save(client, attempt, {"seq": 2, "answers": {str(blank.id): ["x"]}}, token=token)
    assert late.status_code == 409 and late.get_json()["status"] == "closed"
    assert "submitted" in late.get_json()["message"]  # not "time is up": it was this trainee's own submit
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert 'data-testid="result-pending"' in page


@pytest.mark.parametrize("body", [
    "not json", "[]", {"answers": {}}, {"seq": "1", "answers": {}}, {"seq": 0, "answers": {}}, {"seq": True, "answers": {}},
    {"seq": 2**40, "answers": {}}, {"seq": 1, "answers": []}, {"seq": 1, "answers": {"999999": ["A"]}},
    {"seq": 1, "answers": {str(i): None for i in range(300)}},
])
def test_bad_saves_answer_400_and_change_nothing(setup, client, body):
    exam, user, worker = setup
    attempt = _start(client, exam)
    response = _save(client, attempt, body)
    assert response.status_code == 400
    db.session.expire_all()
    attempt = db.session.get(Attempt, attempt.id)
    assert attempt.last_seq == 0 and all(i.response is None for i in attempt.items)


def test_a_save_after_the_deadline_is_refused_saying_time_is_up(setup, client):
    exam, _user, _worker = setup
    attempt = _start(client, exam)
    blank = next(i for i in attempt.items if i.question.type is T.FILL_BLANK)
    assert _save(client, attempt, {"seq": 1, "answers": {str(blank.id): ["组织"]}}).status_code == 200
    attempt.deadline_at = utcnow() - timedelta(seconds=exam.grace_seconds + 1)  # time and grace are over
    db.session.flush()
    late = _save(client, attempt, {"seq": 2, "answers": {str(blank.id): ["迟到"]}})
    assert late.status_code == 409 and late.get_json()["status"] == "closed"
    assert late.get_json()["message"].startswith("Time is up")  # not "submitted": nobody pressed submit
    db.session.expire_all()
    assert attempt.state is not AttemptState.IN_PROGRESS and attempt.closed_by == "deadline"
    assert blank.response == ["组织"]  # the answer saved in time counts, the late one does not


def test_oversized_essay_is_refused(setup, client):
    exam, user, worker = setup
    attempt = _start(client, exam)
    essay = next(i for i in attempt.items if i.question.type is T.ESSAY)
    assert _save(client, attempt, {"seq": 1, "answers": {str(essay.id): "长" * 20001}}).status_code == 400


def test_save_without_csrf_is_refused(setup, client):
    exam, user, worker = setup
    attempt = _start(client, exam)
    response = client.post(f"/attempts/{attempt.id}/save", data=json.dumps({"seq": 1, "answers": {}}),
                           content_type="application/json")
    assert response.status_code == 400


def test_someone_elses_attempt_answers_404(setup, client, app, make_taker, make_user):
    exam, user, worker = setup
    attempt = _start(client, exam)
    other_user, _worker = make_taker(exam.course)
    from academy.permissions import Role

    admin = make_user("boss", Role.ADMIN)
    for intruder in (other_user, admin):
        other = app.test_client()
        log_in(other, intruder.username)
        token = csrf_token(other, "/account")
        assert other.get(f"/attempts/{attempt.id}").status_code == 404
        assert other.get(f"/attempts/{attempt.id}/state.json").status_code == 404
        assert other.post(f"/attempts/{attempt.id}/save", data=json.dumps({"seq": 5, "answers": {}}),
                          content_type="application/json", headers={"X-CSRFToken": token}).status_code == 404
        assert other.post(f"/attempts/{attempt.id}/submit", data={"csrf_token": token}).status_code == 404
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).state is AttemptState.IN_PROGRESS


def test_released_result_shows_score_and_units(make_exam, make_taker, client):
    exam = make_exam(rules=((T.TRUE_FALSE, 2, "5"),), show_answers=True)
    user, worker = make_taker(exam.course)
    log_in(client, user.username)
    attempt = _start(client, exam)
    answers = {str(i.id): ["T"] for i in attempt.items}
    _save(client, attempt, {"seq": 1, "answers": answers})
    post_form(client, f"/attempts/{attempt.id}/submit", token_from=f"/attempts/{attempt.id}")
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert 'data-testid="score">10.00<' in page and "Because." in page


def test_flags_for_review_are_saved_with_the_answers_and_come_back(setup, client):
    exam, user, worker = setup
    attempt = _start(client, exam)
    first, second = attempt.items[0], attempt.items[1]
    saved = _save(client, attempt, {"seq": 1, "answers": {}, "flagged": [first.id, str(second.id)]})
    assert saved.status_code == 200 and saved.get_json()["status"] == "saved"
    state = client.get(f"/attempts/{attempt.id}/state.json").get_json()
    assert sorted(state["flagged"]) == sorted([str(first.id), str(second.id)])
    html = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert html.count('data-flagged="1"') == 2  # the page marks them after a reload
    # A late save with an older number does not bring back a flag taken off since.
    assert _save(client, attempt, {"seq": 2, "answers": {}, "flagged": [second.id]}).get_json()["status"] == "saved"
    late = _save(client, attempt, {"seq": 1, "answers": {}, "flagged": [first.id, second.id]})
    assert late.status_code == 200 and late.get_json()["status"] == "stale"
    db.session.expire_all()
    assert db.session.get(Attempt, attempt.id).flagged == [second.id]


@pytest.mark.parametrize("flagged", ["1", {"a": 1}, [True], [1.5], [2**63], ["\ud800"], ["\x00"], [float("nan")], [-1],
                                     list(range(1, 300))])
def test_bad_flags_are_refused_and_change_nothing(setup, client, flagged):
    exam, user, worker = setup
    attempt = _start(client, exam)
    assert _save(client, attempt, {"seq": 1, "answers": {}, "flagged": [attempt.items[0].id]}).status_code == 200
    body = json.dumps({"seq": 2, "answers": {}, "flagged": flagged})  # NaN and a lone surrogate as JSON allows them
    response = _save(client, attempt, body)
    assert response.status_code == 400 and response.get_json()["message"]
    db.session.expire_all()
    refreshed = db.session.get(Attempt, attempt.id)
    assert refreshed.flagged == [attempt.items[0].id] and refreshed.last_seq == 1


def _hand_in_true_false_and_essay(client, exam):
    """Answer the first true/false question right, the second wrong, write the essay; hand in."""
    attempt = _start(client, exam)
    tf = [i for i in attempt.items if i.question.type is T.TRUE_FALSE]
    essay = next(i for i in attempt.items if i.question.type is T.ESSAY)
    answers = {str(tf[0].id): ["T"], str(tf[1].id): ["F"], str(essay.id): "先倾听，再调解。"}
    assert _save(client, attempt, {"seq": 1, "answers": answers}).status_code == 200
    post_form(client, f"/attempts/{attempt.id}/submit", token_from=f"/attempts/{attempt.id}")
    return attempt, tf, essay


def test_result_says_an_essay_waits_then_marks_each_answer_once_released(make_exam, make_taker, client):
    exam = make_exam(rules=((T.TRUE_FALSE, 2, "5"), (T.ESSAY, 1, "10")), show_answers=True)
    user, _worker = make_taker(exam.course)
    log_in(client, user.username)
    attempt, tf, essay = _hand_in_true_false_and_essay(client, exam)
    pending = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert 'data-testid="essay-pending"' in pending and "1 essay answer waits for a person to mark it." in pending
    assert 'data-testid="score"' not in pending and 'data-mark=' not in pending  # nothing before the release

    db.session.expire_all()
    attempts.grade_item(db.session.get(AttemptItem, essay.id), None, points=Decimal("4"), feedback="")
    db.session.flush()
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert 'data-testid="essay-pending"' not in page and 'data-testid="score">9.00<' in page
    marks = {item.position + 1: mark for item, mark in ((tf[0], "right"), (tf[1], "wrong"), (essay, "partly"))}
    for n, mark in marks.items():  # each answer in its colour's class, with its word
        assert f'data-testid="mark-{n}" data-mark="{mark}"' in page
        assert f'class="result-{mark}" href="#answer-{n}"' in page
    assert ">Right<" in page and ">Partly right<" in page and ">Wrong<" in page and "Right answer" in page


def test_result_without_the_key_marks_answers_but_shows_no_question(make_exam, make_taker, client):
    exam = make_exam(rules=((T.TRUE_FALSE, 2, "5"), (T.ESSAY, 1, "10")), show_answers=False)
    user, _worker = make_taker(exam.course)
    log_in(client, user.username)
    attempt, tf, essay = _hand_in_true_false_and_essay(client, exam)
    db.session.expire_all()
    attempts.grade_item(db.session.get(AttemptItem, essay.id), None, points=Decimal("10"), feedback="")
    db.session.flush()
    page = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert f'data-testid="summary-{tf[1].position + 1}" data-mark="wrong"' in page
    assert f'data-testid="summary-{essay.position + 1}" data-mark="right"' in page
    assert 'data-testid="answer-1"' not in page and "Right answer" not in page  # the key stays hidden
