"""Exams under concurrent requests (real commits, one thread per browser tab or person).

Runs on SQLite and PostgreSQL (``make test`` does both); on PostgreSQL the attempt row lock is
``SELECT ... FOR UPDATE``. What must hold: saves are applied in sequence order whatever order they
arrive in, nothing errors, a double submit closes and grades the attempt once, two tabs keep
both of their answers, and many people saving at once lose nothing.
"""
from __future__ import annotations

import json
import random
import threading

import pytest
import sqlalchemy as sa

from academy.audit import AuditEntry
from academy.extensions import db
from courses.exams.grading import QuestionType as T
from courses.exams.models import Attempt, AttemptItem, AttemptState, AttemptTransition
from tests.fixtures.exams import create_exam, create_taker
from tests.support import csrf_token, log_in

pytestmark = pytest.mark.concurrency


def _threads(count: int, work) -> list[BaseException]:
    errors: list[BaseException] = []
    barrier = threading.Barrier(count)

    def runner(n: int) -> None:
        try:
            barrier.wait()
            work(n)
        except BaseException as error:  # collected and asserted by the test
            errors.append(error)

    threads = [threading.Thread(target=runner, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return errors


@pytest.fixture
def exam_with_takers(live_app):
    """An exam (4 single-choice + 1 essay) and five trainees, committed; (exam id, [usernames])."""
    with live_app.app_context():
        exam = create_exam(rules=((T.SINGLE, 4, "2"), (T.ESSAY, 1, "2")))
        names = [create_taker(exam.course, username=f"sitter{n}")[0].username for n in range(5)]
        db.session.commit()
        return exam.id, names


def _client(live_app, username):
    client = live_app.test_client()
    log_in(client, username)
    return client


def _start(client, exam_id) -> int:
    token = csrf_token(client, f"/exams/{exam_id}")
    response = client.post(f"/exams/{exam_id}/start", data={"csrf_token": token})
    assert response.status_code == 302, response.status_code
    return int(response.headers["Location"].rstrip("/").split("/")[-1])


def _items(live_app, attempt_id):
    with live_app.app_context():
        return [(i.id, i.option_order) for i in db.session.scalars(
            sa.select(AttemptItem).where(AttemptItem.attempt_id == attempt_id).order_by(AttemptItem.position))]


def test_saves_arriving_out_of_order_keep_the_newest(live_app, exam_with_takers):
    exam_id, names = exam_with_takers
    client = _client(live_app, names[0])
    attempt_id = _start(client, exam_id)
    items = [(i, o) for i, o in _items(live_app, attempt_id) if o]
    token = csrf_token(client, f"/attempts/{attempt_id}")
    seqs = list(range(1, 41))
    random.Random(7).shuffle(seqs)
    statuses: list[int] = []

    def save(n: int) -> None:
        tab = live_app.test_client()
        tab.set_cookie("session", client.get_cookie("session").value)
        for seq in seqs[n::8]:
            item_id, order = items[seq % len(items)]
            body = {"seq": seq, "answers": {str(item_id): [order[seq % len(order)]]}}
            response = tab.post(f"/attempts/{attempt_id}/save", data=json.dumps(body), content_type="application/json",
                                headers={"X-CSRFToken": token})
            statuses.append(response.status_code)

    assert _threads(8, save) == []
    assert set(statuses) == {200}
    with live_app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        assert attempt.last_seq == 40
        for item in attempt.items:
            if item.response_seq:  # each answer is the one of the highest sequence number that touched it
                expected = max(s for s in range(1, 41) if items[s % len(items)][0] == item.id)
                order = dict(items)[item.id]
                assert item.response_seq == expected and item.response == [order[expected % len(order)]]


def test_double_submit_from_two_tabs_grades_once(live_app, exam_with_takers):
    exam_id, names = exam_with_takers
    client = _client(live_app, names[1])
    attempt_id = _start(client, exam_id)
    token = csrf_token(client, f"/attempts/{attempt_id}")
    codes: list[int] = []

    def submit(_n: int) -> None:
        tab = live_app.test_client()
        tab.set_cookie("session", client.get_cookie("session").value)
        codes.append(tab.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token}).status_code)

    assert _threads(6, submit) == []
    assert codes == [302] * 6
    with live_app.app_context():
        closes = db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
            AuditEntry.action == "attempt.close", AuditEntry.object_id == str(attempt_id)))
        transitions = db.session.scalars(sa.select(AttemptTransition.to_state).where(
            AttemptTransition.attempt_id == attempt_id)).all()
        # started, closed, graded (the essay was left blank, so nothing waits for a person): once each
        assert closes == 1 and sorted(transitions) == sorted([AttemptState.IN_PROGRESS, AttemptState.SUBMITTED,
                                                              AttemptState.GRADED])


def test_concurrent_starts_make_one_attempt(live_app, exam_with_takers):
    exam_id, names = exam_with_takers
    client = _client(live_app, names[2])
    token = csrf_token(client, f"/exams/{exam_id}")
    codes: list[int] = []

    def start(_n: int) -> None:
        tab = live_app.test_client()
        tab.set_cookie("session", client.get_cookie("session").value)
        codes.append(tab.post(f"/exams/{exam_id}/start", data={"csrf_token": token}).status_code)

    assert _threads(5, start) == []
    assert codes == [302] * 5
    with live_app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Attempt.id)).where(Attempt.exam_id == exam_id)) == 1


def test_two_tabs_keep_both_answers(live_app, exam_with_takers):
    exam_id, names = exam_with_takers
    tab_a = _client(live_app, names[3])
    attempt_id = _start(tab_a, exam_id)
    tab_b = live_app.test_client()
    tab_b.set_cookie("session", tab_a.get_cookie("session").value)
    items = _items(live_app, attempt_id)
    token = csrf_token(tab_a, f"/attempts/{attempt_id}")

    def save(tab, seq, item):
        body = {"seq": seq, "answers": {str(item[0]): [item[1][0]] if item[1] else "文字"}}
        return tab.post(f"/attempts/{attempt_id}/save", data=json.dumps(body), content_type="application/json",
                        headers={"X-CSRFToken": token}).get_json()

    assert save(tab_a, 1, items[0])["status"] == "saved"
    # Tab B opened before A's save and numbers from 1 too: another question still counts...
    assert save(tab_b, 1, items[1])["status"] == "saved"
    # ...but the same question with a number not above A's is stale; B adopts the server's number and resends.
    reply = save(tab_b, 1, items[0])
    assert reply["status"] == "stale" and reply["last_seq"] == 1
    assert save(tab_b, reply["last_seq"] + 1, items[0])["status"] == "saved"
    with live_app.app_context():
        saved = {i.id: i.response for i in db.session.get(Attempt, attempt_id).items}
        assert saved[items[0][0]] is not None and saved[items[1][0]] is not None


def test_many_people_saving_at_once_lose_nothing(live_app):
    with live_app.app_context():
        exam = create_exam(rules=((T.TRUE_FALSE, 3, "1"),))
        names = [create_taker(exam.course, username=f"crowd{n}")[0].username for n in range(12)]
        exam_id = exam.id
        db.session.commit()

    def sit(n: int) -> None:
        client = _client(live_app, names[n])
        attempt_id = _start(client, exam_id)
        token = csrf_token(client, f"/attempts/{attempt_id}")
        for seq, (item_id, _order) in enumerate(_items(live_app, attempt_id), start=1):
            body = {"seq": seq, "answers": {str(item_id): ["T" if n % 2 else "F"]}}
            response = client.post(f"/attempts/{attempt_id}/save", data=json.dumps(body),
                                   content_type="application/json", headers={"X-CSRFToken": token})
            assert response.status_code == 200 and response.get_json()["status"] == "saved"
        assert client.post(f"/attempts/{attempt_id}/submit", data={"csrf_token": token}).status_code == 302

    assert _threads(12, sit) == []
    with live_app.app_context():
        attempts = db.session.scalars(sa.select(Attempt).where(Attempt.exam_id == exam_id)).all()
        assert len(attempts) == 12 and all(a.state is AttemptState.GRADED for a in attempts)
        assert all(i.response is not None for a in attempts for i in a.items)
