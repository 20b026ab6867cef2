"""Double marking: two blind marks from two different instructors per essay, their mean when close,
reconciliation when not, the attempt graded only when every essay has final points; bad input,
access, regrade, the setting itself, and two instructors marking the same answer at once."""
from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from academy.audit import AuditEntry
from academy.extensions import db
from academy.permissions import Role
from courses.exams.grading import QuestionType as T
from courses.exams.models import AttemptItem, AttemptItemMark, AttemptState, Exam, ResultRelease
from courses.exams.operations import attempts as ops
from courses.exams.operations import bank, marking
from tests.courses.exams.test_concurrency import _threads
from tests.courses.exams.test_manage import SETTINGS
from tests.fixtures.courses import create_course
from tests.fixtures.exams import create_exam, create_taker
from tests.support import csrf_token, log_in, post_form


def _sit(exam, answer=lambda i: ["T"] if i.question.type is T.TRUE_FALSE else f"回答 {i.position}"):
    user, worker = create_taker(exam.course)
    attempt = ops.start_attempt(exam, worker, user)
    ops.save_answers(attempt, user, 1, {i.id: answer(i) for i in attempt.items})
    return ops.close_attempt(attempt, user), user


def _essays(attempt) -> list[AttemptItem]:
    return [i for i in attempt.items if i.question.type is T.ESSAY]


def _marks(item) -> list[AttemptItemMark]:
    return db.session.scalars(sa.select(AttemptItemMark).where(AttemptItemMark.item_id == item.id)
                              .order_by(AttemptItemMark.round)).all()


def _audit(action: str) -> list[AuditEntry]:
    return db.session.scalars(sa.select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)).all()


@pytest.fixture
def staff(app, make_user):
    """Three instructors of one course (a client logged in for each) and an instructor of another."""
    users = {name: make_user(name, Role.INSTRUCTOR) for name in ("alice", "bob", "carol", "outsider")}
    course = create_course(instructors=[users["alice"], users["bob"], users["carol"]])
    create_course(instructors=[users["outsider"]])
    clients = {}
    for name in users:
        clients[name] = app.test_client()
        log_in(clients[name], name)
    return course, users, clients


def _exam(course, essays: int = 1, **settings):
    values = dict(double_marking=True, double_marking_tolerance=Decimal("1"), release=ResultRelease.MANUAL)
    values.update(settings)
    return create_exam(course, rules=((T.TRUE_FALSE, 1, "4"), (T.ESSAY, essays, "6")), **values)


def _mark(client, item, points, feedback=""):
    url = f"/grading/items/{item.id}"
    return post_form(client, url, {"points": str(points), "feedback": feedback}, token_from="/account")


def _reconcile(client, item, points, feedback=""):
    url = f"/grading/items/{item.id}/reconcile"
    return post_form(client, url, {"points": str(points), "feedback": feedback}, token_from="/account")


def test_whole_flow_two_agreeing_marks_make_the_mean_and_grade_the_attempt(staff):
    course, users, c = staff
    exam = _exam(course, essays=2)
    attempt, trainee = _sit(exam)
    first, second = _essays(attempt)
    queue = c["alice"].get(f"/exams/{exam.id}/grading").get_data(as_text=True)
    assert queue.count('data-stage="first"') == 2 and 'data-testid="double-marking"' in queue

    assert _mark(c["alice"], first, "4", "论点清楚").status_code == 302
    db.session.expire_all()
    assert first.earned is None and first.needs_grading and attempt.state is AttemptState.SUBMITTED
    mine = c["alice"].get(f"/exams/{exam.id}/grading").get_data(as_text=True)
    assert 'data-testid="waiting-item"' in mine and mine.count('data-stage="first"') == 1
    theirs = c["bob"].get(f"/exams/{exam.id}/grading").get_data(as_text=True)
    assert theirs.count('data-stage="second"') == 1 and theirs.count('data-stage="first"') == 1

    assert _mark(c["bob"], first, "5", "还可举例").status_code == 302
    db.session.expire_all()
    assert first.earned == Decimal("4.50") and not first.needs_grading
    assert first.feedback == "论点清楚\n\n还可举例"
    assert attempt.state is AttemptState.SUBMITTED  # the second essay still waits: nothing is graded yet
    post_form(c["alice"], f"/exams/{exam.id}/release", token_from=f"/exams/{exam.id}/results")
    db.session.expire_all()
    assert attempt.released_at is None

    _mark(c["bob"], second, "3")
    _mark(c["carol"], second, "3.5")  # any two different instructors of the course
    db.session.expire_all()
    assert second.earned == Decimal("3.25")
    assert attempt.state is AttemptState.GRADED and attempt.score == Decimal("11.75")
    assert [m.marker_id for m in _marks(second)] == [users["bob"].id, users["carol"].id]
    assert len(_audit("attempt.mark")) == 4 and len(_audit("attempt.grade_item")) == 2

    trainee_client = c["alice"].application.test_client()
    log_in(trainee_client, trainee.username)
    before = trainee_client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert 'data-testid="result-pending"' in before and "论点清楚" not in before
    post_form(c["alice"], f"/exams/{exam.id}/release", token_from=f"/exams/{exam.id}/results")
    after = trainee_client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert 'data-testid="score">11.75<' in after
    assert not any(name in after for name in ("alice", "bob", "carol"))  # no marker is named to the trainee


def test_the_second_marker_does_not_see_the_first_mark(staff):
    course, _users, c = staff
    exam = _exam(course)
    attempt, _trainee = _sit(exam)
    essay = _essays(attempt)[0]
    _mark(c["alice"], essay, "2.75", "第一位阅卷人的意见")
    page = c["bob"].get(f"/grading/items/{essay.id}").get_data(as_text=True)
    assert 'data-testid="mark-stage"' in page and "第一位阅卷人的意见" not in page and "2.75" not in page
    assert 'data-testid="my-mark"' not in page
    queue = c["bob"].get(f"/exams/{exam.id}/grading").get_data(as_text=True)
    assert "第一位阅卷人的意见" not in queue and "2.75" not in queue
    # The reconciliation page, which shows both marks, is closed until both are in.
    early = c["bob"].get(f"/grading/items/{essay.id}/reconcile")
    assert early.status_code == 303 and early.headers["Location"].endswith(f"/grading/items/{essay.id}")
    assert _reconcile(c["bob"], essay, "6").status_code == 303
    db.session.expire_all()
    assert essay.earned is None and len(_marks(essay)) == 1
    # The first marker sees his own mark and that a second one is awaited, and no form.
    own = c["alice"].get(f"/grading/items/{essay.id}").get_data(as_text=True)
    assert 'data-testid="my-mark"' in own and "2.75" in own and 'data-testid="waiting-second"' in own
    assert 'data-testid="points"' not in own


def test_marks_too_far_apart_are_reconciled_seeing_both(staff):
    course, users, c = staff
    exam = _exam(course, double_marking_tolerance=Decimal("1.5"))
    attempt, _trainee = _sit(exam)
    essay = _essays(attempt)[0]
    _mark(c["alice"], essay, "1", "太简略")
    _mark(c["bob"], essay, "5", "要点齐全")
    db.session.expire_all()
    assert essay.needs_grading and essay.earned is None and attempt.state is AttemptState.SUBMITTED
    queue = c["carol"].get(f"/exams/{exam.id}/grading").get_data(as_text=True)
    assert 'data-testid="reconcile-item"' in queue and 'data-testid="queue-item"' not in queue
    assert c["carol"].get(f"/grading/items/{essay.id}").status_code == 302  # sent to the reconciliation
    page = c["carol"].get(f"/grading/items/{essay.id}/reconcile").get_data(as_text=True)
    assert "太简略" in page and "要点齐全" in page and "alice" in page and "bob" in page
    assert 'value="3.00"' in page  # the mean is offered as a start
    assert _reconcile(c["carol"], essay, "3.5", "二位意见综合").status_code == 302
    db.session.expire_all()
    assert essay.earned == Decimal("3.50") and essay.feedback == "二位意见综合" and essay.graded_by_id == users["carol"].id
    assert attempt.state is AttemptState.GRADED and attempt.score == Decimal("7.50")
    entry = _audit("attempt.reconcile")[0]
    assert entry.before["marks"] == ["1.00", "5.00"] and entry.after["earned"] == "3.50"
    # One of the two markers may change the final points until the result is released, not after.
    assert _reconcile(c["alice"], essay, "4").status_code == 302
    db.session.expire_all()
    assert essay.earned == Decimal("4.00") and attempt.score == Decimal("8.00")
    post_form(c["alice"], f"/exams/{exam.id}/release", token_from=f"/exams/{exam.id}/results")
    assert _reconcile(c["alice"], essay, "6").status_code == 400
    db.session.expire_all()
    assert essay.earned == Decimal("4.00")


def test_the_same_instructor_cannot_mark_twice_nor_a_third_mark_be_added(staff):
    course, users, c = staff
    exam = _exam(course)
    attempt, _trainee = _sit(exam)
    essay = _essays(attempt)[0]
    assert _mark(c["alice"], essay, "4", "好").status_code == 302
    assert _mark(c["alice"], essay, "4", "好").status_code == 302  # the same mark again (double submit): taken once
    refused = _mark(c["alice"], essay, "5", "好")
    assert refused.status_code == 409 and "different instructor" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert [(m.marker_id, m.points) for m in _marks(essay)] == [(users["alice"].id, Decimal("4.00"))]
    with pytest.raises(marking.MarkingConflict):
        marking.mark_item(essay, users["alice"], points=Decimal("3"), feedback="")
    assert _mark(c["bob"], essay, "4.5").status_code == 302
    third = _mark(c["carol"], essay, "0")
    assert third.status_code == 409
    db.session.expire_all()
    assert len(_marks(essay)) == 2 and essay.earned == Decimal("4.25")
    assert len(_audit("attempt.mark")) == 2


@pytest.mark.parametrize("points", ["6.01", "7", "-1", "-0.01", "abc", "", "1e400", "NaN", "sNaN", "Infinity",
                                    "9" * 1000, "1,5", "0x10"])
def test_bad_points_are_refused_and_change_nothing(staff, points):
    course, _users, c = staff
    exam = _exam(course)
    attempt, _trainee = _sit(exam)
    essay = _essays(attempt)[0]
    response = _mark(c["alice"], essay, points)
    assert response.status_code == 400
    db.session.expire_all()
    assert _marks(essay) == [] and essay.earned is None and _audit("attempt.mark") == []
    _mark(c["alice"], essay, "0")
    _mark(c["bob"], essay, "6")
    assert _reconcile(c["carol"], essay, points).status_code == 400
    db.session.expire_all()
    assert essay.earned is None and essay.needs_grading and _audit("attempt.reconcile") == []


def test_instructors_of_other_courses_and_trainees_are_refused(staff):
    course, _users, c = staff
    exam = _exam(course)
    attempt, trainee = _sit(exam)
    essay = _essays(attempt)[0]
    _mark(c["alice"], essay, "1")
    _mark(c["bob"], essay, "6")
    trainee_client = c["alice"].application.test_client()
    log_in(trainee_client, trainee.username)
    for client, status in ((c["outsider"], 403), (trainee_client, 403)):
        assert client.get(f"/grading/items/{essay.id}/reconcile").status_code == status
        assert client.get(f"/grading/items/{essay.id}").status_code == status
        token = csrf_token(client, "/account")
        assert client.post(f"/grading/items/{essay.id}/reconcile", data={"points": "3", "csrf_token": token}).status_code == status
    assert c["alice"].get("/grading/items/999999/reconcile").status_code == 404
    db.session.expire_all()
    assert essay.needs_grading and essay.earned is None


def test_a_single_mark_is_refused_on_a_double_marked_exam(staff):
    """Not only the views: the single-mark operation itself leaves a double-marked essay to the two markers."""
    course, users, _c = staff
    exam = _exam(course)
    attempt, _trainee = _sit(exam)
    essay = _essays(attempt)[0]
    with pytest.raises(ops.ExamError, match="double-marked"):
        ops.grade_item(essay, users["alice"], points=Decimal("5"), feedback="")
    db.session.expire_all()
    assert essay.earned is None and essay.needs_grading and attempt.state is AttemptState.SUBMITTED
    assert _audit("attempt.grade_item") == []


def test_single_marking_is_unchanged_when_double_marking_is_off(staff):
    course, _users, c = staff
    exam = _exam(course, double_marking=False)
    attempt, _trainee = _sit(exam)
    essay = _essays(attempt)[0]
    queue = c["alice"].get(f"/exams/{exam.id}/grading").get_data(as_text=True)
    assert 'data-testid="double-marking"' not in queue and 'data-stage=' not in queue
    assert _mark(c["alice"], essay, "5").status_code == 302
    db.session.expire_all()
    assert essay.earned == Decimal("5.00") and attempt.state is AttemptState.GRADED and _marks(essay) == []
    assert c["alice"].get(f"/grading/items/{essay.id}/reconcile").status_code == 404
    with pytest.raises(marking.ExamError):
        marking.mark_item(essay, _users["bob"], points=Decimal("1"), feedback="")


def test_the_setting_in_the_exam_form_and_locked_once_marking_began(staff):
    course, _users, c = staff
    new = f"/courses/{course.id}/exams/new"
    bad = post_form(c["alice"], new, {**SETTINGS, "double_marking": "y", "double_marking_tolerance": "-1"}, token_from=new)
    assert bad.status_code == 400 and db.session.scalar(sa.select(sa.func.count(Exam.id))) == 0
    for huge in ("1e400", "sNaN", "101"):
        assert post_form(c["alice"], new, {**SETTINGS, "double_marking_tolerance": huge}, token_from=new).status_code == 400
    assert post_form(c["alice"], new, {**SETTINGS, "double_marking": "y", "double_marking_tolerance": "0.5"},
                     token_from=new).status_code == 302
    made = db.session.scalar(sa.select(Exam).where(Exam.course_id == course.id))
    assert made.double_marking and made.double_marking_tolerance == Decimal("0.50")
    assert _audit("exam.create")[-1].after["double_marking"] is True
    plain = post_form(c["alice"], new, SETTINGS, token_from=new)  # the setting is off, tolerance 1, by default
    assert plain.status_code == 302
    default = db.session.scalars(sa.select(Exam).where(Exam.course_id == course.id).order_by(Exam.id)).all()[-1]
    assert not default.double_marking and default.double_marking_tolerance == Decimal("1.00")

    exam = _exam(course)
    attempt, _trainee = _sit(exam)
    edit = f"/exams/{exam.id}/edit"
    form = c["alice"].get(edit).get_data(as_text=True)
    assert 'name="double_marking"' in form and 'name="double_marking_tolerance"' in form
    _mark(c["alice"], _essays(attempt)[0], "3")
    changed = {**SETTINGS, "title": exam.title, "double_marking_tolerance": "2"}  # double marking left out: off
    assert post_form(c["alice"], edit, changed, token_from=edit).status_code == 400
    db.session.expire_all()
    assert exam.double_marking and exam.double_marking_tolerance == Decimal("1.00")
    assert post_form(c["alice"], edit, {**changed, "double_marking": "y"}, token_from=edit).status_code == 302
    db.session.expire_all()
    assert exam.double_marking_tolerance == Decimal("2.00")
    after = _audit("exam.update")[-1].after
    assert Decimal(after["double_marking_tolerance"]) == 2 and "double_marking" not in after


def test_a_regrade_changes_objective_items_and_keeps_double_marked_essays(staff):
    course, users, c = staff
    exam = _exam(course)
    attempt, _trainee = _sit(exam)
    essay = _essays(attempt)[0]
    _mark(c["alice"], essay, "5")
    _mark(c["bob"], essay, "6")
    db.session.expire_all()
    assert attempt.score == Decimal("9.50")
    question = next(i for i in attempt.items if i.question.type is T.TRUE_FALSE).question
    bank.update_question(question, users["alice"], stem=question.stem, options=question.options, correct=["F"],
                         explanation="", rubric="", difficulty="medium", tags=[], unit_id=None)
    db.session.flush()
    post_form(c["alice"], f"/exams/{exam.id}/regrade", {"reason": "答案有误"}, token_from=f"/exams/{exam.id}/regrade")
    db.session.expire_all()
    assert attempt.score == Decimal("5.50") and essay.earned == Decimal("5.50") and len(_marks(essay)) == 2


def test_a_regrade_reaches_attempts_still_waiting_for_their_second_mark(staff):
    course, users, c = staff
    exam = _exam(course)
    attempt, _trainee = _sit(exam)
    essay = _essays(attempt)[0]
    _mark(c["alice"], essay, "2")
    question = next(i for i in attempt.items if i.question.type is T.TRUE_FALSE).question
    bank.update_question(question, users["alice"], stem=question.stem, options=question.options, correct=["F"],
                         explanation="", rubric="", difficulty="medium", tags=[], unit_id=None)
    db.session.flush()
    plan = c["alice"].get(f"/exams/{exam.id}/regrade").get_data(as_text=True)
    assert "waiting for marks" in plan
    post_form(c["alice"], f"/exams/{exam.id}/regrade", {"reason": "答案有误"}, token_from=f"/exams/{exam.id}/regrade")
    db.session.expire_all()
    assert attempt.state is AttemptState.SUBMITTED and attempt.score == Decimal("0.00") and len(_marks(essay)) == 1
    _mark(c["bob"], essay, "3")
    db.session.expire_all()
    assert attempt.state is AttemptState.GRADED and attempt.score == Decimal("2.50")


def test_mean_rounding_and_tolerance():
    assert marking.mean_points(Decimal("3"), Decimal("4")) == Decimal("3.50")
    assert marking.mean_points(Decimal("3.01"), Decimal("3.02")) == Decimal("3.02")  # half up to the cent
    exam = Exam(double_marking_tolerance=Decimal("0"))
    assert marking.within_tolerance(exam, Decimal("2"), Decimal("2")) and not marking.within_tolerance(
        exam, Decimal("2"), Decimal("2.01"))


# ---- two instructors at once (real commits, one thread per browser) ------------------------------

def _live_world(live_app, marked_by: str | None):
    """A committed double-marked exam, one submitted essay (marked once by ``marked_by``), three instructors."""
    from academy.accounts.operations import create_user, grant_role
    from tests.support import PASSWORD

    with live_app.app_context():
        users = []
        for name in ("ann", "ben", "cal"):
            user = create_user(name, PASSWORD, by=None)
            grant_role(user, Role.INSTRUCTOR, by=None)
            users.append(user)
        exam = _exam(create_course(instructors=users))
        attempt, _trainee = _sit(exam)
        essay = _essays(attempt)[0]
        if marked_by:
            marking.mark_item(essay, next(u for u in users if u.username == marked_by), points=Decimal("3"), feedback="")
        db.session.commit()
        return essay.id


def _browser(live_app, username):
    client = live_app.test_client()
    log_in(client, username)
    return client, csrf_token(client, "/account")


def _live_marks(live_app, item_id):
    with live_app.app_context():
        return [(m.round, m.marker.username, m.points) for m in db.session.scalars(
            sa.select(AttemptItemMark).where(AttemptItemMark.item_id == item_id).order_by(AttemptItemMark.round))]


@pytest.mark.concurrency
def test_two_instructors_at_once_do_not_both_become_the_second_marker(live_app):
    item_id = _live_world(live_app, marked_by="ann")
    browsers = [_browser(live_app, name) for name in ("ben", "cal") for _ in range(3)]
    codes: list[int] = []

    def mark(n: int) -> None:
        client, token = browsers[n]
        codes.append(client.post(f"/grading/items/{item_id}", data={"points": "3.5", "feedback": "", "csrf_token": token})
                     .status_code)

    assert _threads(len(browsers), mark) == []
    marks = _live_marks(live_app, item_id)
    assert [m[0] for m in marks] == [1, 2] and marks[0][1] == "ann" and marks[1][1] in ("ben", "cal")
    winner = marks[1][1]
    # The winner's own tabs repeat his mark (taken once, 302); the other instructor is refused (409).
    assert sorted(codes) == [302] * 3 + [409] * 3, codes
    with live_app.app_context():
        item = db.session.get(AttemptItem, item_id)
        assert item.earned == Decimal("3.25") and not item.needs_grading
        assert item.attempt.state is AttemptState.GRADED
        assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == "attempt.mark")) == 2
        assert winner in ("ben", "cal")


@pytest.mark.concurrency
def test_one_instructor_in_many_tabs_marks_once(live_app):
    item_id = _live_world(live_app, marked_by=None)
    client, token = _browser(live_app, "ann")
    codes: list[int] = []

    def mark(n: int) -> None:
        tab = live_app.test_client()
        tab.set_cookie("session", client.get_cookie("session").value)
        codes.append(tab.post(f"/grading/items/{item_id}", data={"points": str(n), "feedback": "", "csrf_token": token})
                     .status_code)

    assert _threads(6, mark) == []
    marks = _live_marks(live_app, item_id)
    assert len(marks) == 1 and marks[0][:2] == (1, "ann")
    assert sorted(codes) == [302] + [409] * 5, codes


@pytest.mark.concurrency
def test_two_instructors_marking_a_fresh_answer_at_once_give_the_first_and_second_marks(live_app):
    item_id = _live_world(live_app, marked_by=None)
    browsers = [_browser(live_app, name) for name in ("ann", "ben")]
    codes: list[int] = []

    def mark(n: int) -> None:
        client, token = browsers[n]
        codes.append(client.post(f"/grading/items/{item_id}", data={"points": "6", "feedback": "", "csrf_token": token})
                     .status_code)

    assert _threads(2, mark) == []
    marks = _live_marks(live_app, item_id)
    assert codes == [302, 302] and [m[0] for m in marks] == [1, 2] and {m[1] for m in marks} == {"ann", "ben"}
    with live_app.app_context():
        assert db.session.get(AttemptItem, item_id).earned == Decimal("6.00")
