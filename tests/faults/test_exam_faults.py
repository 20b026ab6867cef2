"""Timed exams when things fail: a gunicorn worker killed during an autosave and during a submit,
the deadline passing while a save is on its way, and two tabs saving the same attempt at once on
several workers. No saved answer is lost, no attempt is graded twice.

Each test serves its own database in the module's private PostgreSQL cluster with a private
gunicorn, and talks to it over real sockets as the exam page does (``POST .../save`` with a
sequence number, ``POST .../submit``). To stop a request at a known point inside its transaction
the test holds the row lock of one answer row (``attempt_items``) from a connection of its own,
as the gunicorn worker test does with the number counter: a save writes the attempt's sequence
number and the answers before it, then waits at that row; a submit has graded every answer and
waits while writing the grades. Nothing is committed yet when the test kills the worker there.
"""
from __future__ import annotations

import http.client
import json
import os
import re
import signal
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal

import psycopg
import pytest
import sqlalchemy as sa

from academy.audit import AuditEntry
from academy.database import utcnow
from academy.extensions import db
from courses.exams.grading import QuestionType as T
from courses.exams.models import Attempt, AttemptItem, AttemptState, AttemptTransition
from courses.exams.operations.attempts import sweep_overdue
from tests.faults.conftest import (
    Browser,
    children,
    gunicorn,
    make_app,
    replacement_worker,
    wait_backend_gone,
    waiting_query,
)
from tests.fixtures.exams import create_exam, create_taker

pytestmark = [pytest.mark.fault, pytest.mark.own_database]
S = AttemptState
CONNECTION_LOST = (ConnectionError, http.client.HTTPException)


# ---- set-up and reading back -----------------------------------------------------------------


@pytest.fixture
def app(request, tmp_path, private_postgres):
    """An application on a fresh database of this test's own in the private cluster."""
    name = "exam_" + re.sub(r"[^a-z0-9]+", "_", request.node.name.lower())[:50]
    app = make_app(private_postgres.new_database(name), tmp_path / "instance")
    yield app
    with app.app_context():
        db.engine.dispose()


def exam_for_sitter(app, rules, **settings) -> int:
    """A published exam of ``rules`` and the trainee "sitter" enrolled in its course; the exam's id."""
    with app.app_context():
        exam = create_exam(rules=rules, **settings)
        create_taker(exam.course, username="sitter")
        db.session.commit()
        return exam.id


def start(browser: Browser, exam_id: int) -> int:
    status, _ = browser.post_form(f"/exams/{exam_id}/start", {}, token_from=f"/exams/{exam_id}")
    assert status == 302
    status, body = browser.request("GET", f"/exams/{exam_id}")
    return int(re.search(rb'href="/attempts/(\d+)" data-testid="resume"', body).group(1))


class Tab:
    """One tab of the exam page: its CSRF token from the state the page loads, and its saves."""

    def __init__(self, browser: Browser, attempt_id: int) -> None:
        self.browser, self.attempt_id = browser, attempt_id
        self.token = self.state()["csrf_token"]

    def state(self) -> dict:
        status, body = self.browser.request("GET", f"/attempts/{self.attempt_id}/state.json")
        assert status == 200
        return json.loads(body)

    def save(self, seq: int, answers: dict) -> tuple[int, dict]:
        body = json.dumps({"seq": seq, "answers": {str(k): v for k, v in answers.items()}}).encode()
        status, reply = self.browser.request("POST", f"/attempts/{self.attempt_id}/save", body, "application/json",
                                             headers={"X-CSRFToken": self.token})
        return status, json.loads(reply)

    def submit(self) -> int:
        status, _ = self.browser.post_form(f"/attempts/{self.attempt_id}/submit", {},
                                           token_from=f"/attempts/{self.attempt_id}")
        return status


def items_of(app, attempt_id: int) -> list[tuple[int, T, list[str]]]:
    """(id, question type, option letters) of the attempt's items, by id: the order their rows are written in."""
    with app.app_context():
        rows = db.session.scalars(sa.select(AttemptItem).where(AttemptItem.attempt_id == attempt_id)
                                  .order_by(AttemptItem.id)).all()
        return [(item.id, item.question.type, list(item.option_order)) for item in rows]


def snapshot(app, attempt_id: int) -> dict:
    """What the database holds of the attempt, committed: state, numbers, answers, closes, transitions."""
    with app.app_context():
        attempt = db.session.get(Attempt, attempt_id)
        closes = db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(
            AuditEntry.action == "attempt.close", AuditEntry.object_id == str(attempt_id)))
        transitions = db.session.scalars(sa.select(AttemptTransition.to_state).where(
            AttemptTransition.attempt_id == attempt_id).order_by(AttemptTransition.id)).all()
        return {"state": attempt.state, "last_seq": attempt.last_seq, "score": attempt.score,
                "passed": attempt.passed, "closed_by": attempt.closed_by, "closes": closes,
                "transitions": transitions,
                "answers": {i.id: i.response for i in attempt.items},
                "seqs": {i.id: i.response_seq for i in attempt.items},
                "saved_at": {i.id: i.saved_at for i in attempt.items}}


GRADED_ONCE = [S.IN_PROGRESS, S.SUBMITTED, S.GRADED]  # started, closed, graded: each step once


@contextmanager
def answer_row_held(app, item_id: int):
    """Hold the row lock of one answer from the test's own connection; yields (holder, observer)."""
    url = app.config["SQLALCHEMY_DATABASE_URI"].replace("postgresql+psycopg", "postgresql")
    with psycopg.connect(url) as holder, psycopg.connect(url, autocommit=True) as admin:
        holder.execute("SELECT id FROM attempt_items WHERE id = %s FOR UPDATE", (item_id,))
        yield holder, admin


def in_thread(send) -> tuple[threading.Thread, dict]:
    """Run ``send`` in a thread; its answer (or the connection error) lands in the dict."""
    outcome: dict = {}

    def run():
        try:
            outcome["reply"] = send()
        except CONNECTION_LOST as error:
            outcome["error"] = error

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def kill_worker_while_held(app, master, item_id: int, send) -> int:
    """Send a request, let it stop at the held answer row, SIGKILL its worker; the new worker's pid.

    Returns once the killed request's database backend has ended (rolled back)."""
    (worker,) = children(master.pid)
    with answer_row_held(app, item_id) as (holder, admin):
        thread, outcome = in_thread(send)
        backend, query = waiting_query(admin)
        assert "UPDATE attempt_items" in query, query
        os.kill(worker, signal.SIGKILL)
        thread.join(timeout=60)
        holder.rollback()  # the stopped backend goes on, finds its client gone, rolls back
        wait_backend_gone(admin, backend)
    assert "error" in outcome, f"the killed request was answered: {outcome}"
    return replacement_worker(master, worker)


# ---- the tests -------------------------------------------------------------------------------


def test_worker_killed_during_an_autosave(app, private_postgres):
    exam_id = exam_for_sitter(app, ((T.FILL_BLANK, 2, "5"), (T.TRUE_FALSE, 2, "5")))
    with gunicorn(app) as (port, master):
        browser = Browser(port)
        browser.log_in("sitter")
        attempt_id = start(browser, exam_id)
        tab = Tab(browser, attempt_id)
        items = items_of(app, attempt_id)
        blanks = [i for i, kind, _ in items if kind is T.FILL_BLANK]
        truths = [i for i, kind, _ in items if kind is T.TRUE_FALSE]
        first = {blanks[0]: ["一"], blanks[1]: ["二"], truths[0]: ["F"], truths[1]: ["F"]}
        assert tab.save(1, first)[1]["status"] == "saved"
        before = snapshot(app, attempt_id)

        second = {blanks[0]: ["组织"], blanks[1]: ["村委会"], truths[0]: ["T"], truths[1]: ["T"]}
        # The last row the save writes is held: the sequence number and three answers are written, uncommitted.
        kill_worker_while_held(app, master, items[-1][0], lambda: tab.save(2, second))
        after_kill = snapshot(app, attempt_id)
        assert after_kill["answers"] == first and after_kill["last_seq"] == 1, "nothing of the killed save is kept"
        assert after_kill == before

        # The page retries the same save (same number) on the new worker: it is saved, once.
        status, reply = tab.save(2, second)
        assert (status, reply["status"], reply["last_seq"]) == (200, "saved", 2)
        saved = snapshot(app, attempt_id)
        assert saved["answers"] == second and set(saved["seqs"].values()) == {2}
        status, reply = tab.save(2, second)  # the retry's answer lost on the way: sent a third time
        assert (status, reply["status"]) == (200, "stale")
        assert snapshot(app, attempt_id)["saved_at"] == saved["saved_at"], "the repeat wrote nothing"

        # The attempt goes on: the next save and the submit work, and grade the saved answers.
        assert tab.save(3, {blanks[1]: ["单位"], truths[1]: ["F"]})[1]["status"] == "saved"
        assert tab.state()["answers"] == {str(k): v for k, v in {**second, blanks[1]: ["单位"],
                                                                 truths[1]: ["F"]}.items()}
        assert tab.submit() == 302
    final = snapshot(app, attempt_id)
    assert final["state"] is S.GRADED and final["score"] == Decimal("15.00")  # both blanks and one truth right
    assert final["closes"] == 1 and final["transitions"] == GRADED_ONCE


def test_worker_killed_during_a_submit(app, private_postgres):
    exam_id = exam_for_sitter(app, ((T.SINGLE, 2, "5"), (T.TRUE_FALSE, 2, "5")))
    with gunicorn(app) as (port, master):
        browser = Browser(port)
        browser.log_in("sitter")
        attempt_id = start(browser, exam_id)
        tab = Tab(browser, attempt_id)
        items = items_of(app, attempt_id)
        singles = [i for i, kind, _ in items if kind is T.SINGLE]
        truths = [i for i, kind, _ in items if kind is T.TRUE_FALSE]
        answers = {singles[0]: ["A"], singles[1]: ["B"], truths[0]: ["T"], truths[1]: ["T"]}  # three of four right
        assert tab.save(1, answers)[1]["status"] == "saved"

        # The submit has graded every answer and is writing the grades when its worker dies.
        kill_worker_while_held(app, master, items[-1][0], tab.submit)
        after_kill = snapshot(app, attempt_id)
        assert after_kill["state"] is S.IN_PROGRESS and after_kill["score"] is None
        assert after_kill["answers"] == answers and after_kill["closes"] == 0
        assert after_kill["transitions"] == [S.IN_PROGRESS]
        state = tab.state()  # what the page sees on the new worker: still running, every answer there
        assert state["state"] == "in_progress" and state["answers"] == {str(k): v for k, v in answers.items()}

        assert tab.submit() == 302
        graded = snapshot(app, attempt_id)
        assert tab.submit() == 302  # the trainee presses submit again: the same result, once
    final = snapshot(app, attempt_id)
    assert final == graded
    assert final["state"] is S.GRADED and final["score"] == Decimal("15.00") and final["passed"] is True
    assert final["answers"] == answers and final["closed_by"] == "trainee"
    assert final["closes"] == 1 and final["transitions"] == GRADED_ONCE


def test_deadline_passing_during_a_save(app, private_postgres):
    """The rule: a save counts by when it arrived. One that arrived before deadline + grace is kept,
    even if it commits after; one arriving later is refused (409, ``"status": "closed"``) and
    changes nothing; the sweep and the next request close the attempt, once, with the kept answers."""
    exam_id = exam_for_sitter(app, ((T.FILL_BLANK, 1, "5"), (T.SINGLE, 1, "5")), grace_seconds=2)
    with gunicorn(app, workers=2) as (port, _master):  # one worker holds the first save, the other takes the next
        browser = Browser(port)
        browser.log_in("sitter")
        attempt_id = start(browser, exam_id)
        tab = Tab(browser, attempt_id)
        other_tab = Tab(Browser(port, browser.cookie), attempt_id)
        items = items_of(app, attempt_id)
        blank = next(i for i, kind, _ in items if kind is T.FILL_BLANK)
        single, _kind, letters = next(item for item in items if item[1] is T.SINGLE)
        wrong = [next(letter for letter in letters if letter != "A")]
        assert tab.save(1, {blank: ["一"], single: wrong})[1]["status"] == "saved"
        with app.app_context():  # two seconds left, and two of grace
            deadline = utcnow() + timedelta(seconds=2)
            db.session.execute(sa.update(Attempt).where(Attempt.id == attempt_id).values(deadline_at=deadline))
            db.session.commit()
        closes_at = deadline + timedelta(seconds=2)

        with answer_row_held(app, items[-1][0]) as (holder, admin):
            in_time, kept = in_thread(lambda: tab.save(2, {blank: ["组织"], single: ["A"]}))
            waiting_query(admin)  # the save is inside its transaction...
            while utcnow() <= closes_at:  # ...while the deadline and the grace pass
                time.sleep(0.1)
            late, refused = in_thread(lambda: other_tab.save(3, {blank: ["错"], single: wrong}))
            waiting_query(admin, count=2)  # the late save queues behind the first one

            def sweep():
                with app.app_context():
                    sweep_overdue()
                    db.session.commit()

            sweeper = threading.Thread(target=sweep)
            sweeper.start()
            waiting_query(admin, count=3)  # and so does the sweep
            holder.rollback()
            for thread in (in_time, late, sweeper):
                thread.join(timeout=60)

    status, reply = kept["reply"]
    assert (status, reply["status"]) == (200, "saved"), "the save that arrived in time is kept"
    assert datetime.fromisoformat(reply["saved_at"]) < closes_at
    status, reply = refused["reply"]
    assert status == 409 and reply["status"] == "closed" and reply["state"] == "graded" and reply["last_seq"] == 2
    assert reply["message"].startswith("时间到")  # "time is up" in the server's default Chinese: the deadline closed it
    final = snapshot(app, attempt_id)
    assert final["answers"] == {blank: ["组织"], single: ["A"]} and final["last_seq"] == 2
    assert final["state"] is S.GRADED and final["closed_by"] == "deadline" and final["score"] == Decimal("10.00")
    assert final["closes"] == 1 and final["transitions"] == GRADED_ONCE


def test_two_tabs_saving_at_once_on_several_workers(app):
    exam_id = exam_for_sitter(app, ((T.ESSAY, 3, "2"), (T.SINGLE, 1, "2")))
    with gunicorn(app, workers=3) as (port, _master):
        browser = Browser(port)
        browser.log_in("sitter")
        attempt_id = start(browser, exam_id)
        tabs = [Tab(browser, attempt_id), Tab(Browser(port, browser.cookie), attempt_id)]
        items = items_of(app, attempt_id)

        def answers(seq: int) -> dict:
            """Save ``seq`` answers two questions; each question is touched by both tabs in turn."""
            chosen = {}
            for item_id, kind, letters in (items[seq % 4], items[(seq + 1) % 4]):
                chosen[item_id] = [letters[seq % len(letters)]] if kind is T.SINGLE else f"第{seq}稿：先倾听，再调解。"
            return chosen

        replies: list[tuple[int, int, dict]] = []
        barrier = threading.Barrier(2)

        def sit(n: int) -> None:  # tab 0 numbers its saves 1, 3, 5...; tab 1 2, 4, 6...; each is also sent twice
            barrier.wait()
            for seq in range(1 + n, 41, 2):
                for _copy in range(2):
                    status, reply = tabs[n].save(seq, answers(seq))
                    replies.append((seq, status, reply))

        threads = [threading.Thread(target=sit, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)

    assert len(replies) == 80 and {status for _seq, status, _reply in replies} == {200}
    assert {reply["status"] for _seq, _status, reply in replies} <= {"saved", "stale"}
    final = snapshot(app, attempt_id)
    assert final["last_seq"] == 40 and final["state"] is S.IN_PROGRESS
    for item_id, _kind, _letters in items:  # each answer is the one of the newest save that touched it
        newest = max(seq for seq in range(1, 41) if item_id in answers(seq))
        assert final["seqs"][item_id] == newest and final["answers"][item_id] == answers(newest)[item_id]
