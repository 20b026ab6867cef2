"""Text stored before the guard (a lone surrogate, controls in an answer): the pages still work, and
``flask academy repair-text`` cleans it, after which the item is graded as any other."""
from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from academy.audit import AuditEntry
from academy.extensions import db
from academy.permissions import Role
from academy.textrepair import text_columns
from courses.enrollment.models import CourseKind
from courses.exams.grading import QuestionType as T
from courses.exams.models import AttemptItem, AttemptState
from courses.exams.operations import attempts as ops
from tests.support import log_in, post_form

BROKEN = "答\ud800案\x01\x7f\x85 第二行\n"  # what an autosave could store before the guard


@pytest.fixture
def stored_badly(make_course, make_user, make_exam, make_taker):
    """A handed-in attempt whose essay answer was stored, as the old autosave did, with broken text."""
    teacher = make_user("teacher", Role.INSTRUCTOR)
    course = make_course(instructors=[teacher], kind=CourseKind.PRE_SERVICE)
    exam = make_exam(course, rules=((T.TRUE_FALSE, 1, "4"), (T.ESSAY, 1, "6")))
    user, _worker = make_taker(course)
    attempt = ops.start_attempt(exam, _worker, user)
    ops.save_answers(attempt, user, 1, {i.id: ["T"] if i.question.type is T.TRUE_FALSE else "ok" for i in attempt.items})
    ops.close_attempt(attempt, user)
    essay = next(i for i in attempt.items if i.question.type is T.ESSAY)
    # Straight into the table, as the unguarded save wrote it (a JSON column keeps \ud800 escaped).
    db.session.execute(sa.update(AttemptItem).where(AttemptItem.id == essay.id).values(response=BROKEN))
    db.session.expire_all()
    return teacher, user, attempt, essay


def _cli(app, *args):
    result = app.test_cli_runner().invoke(args=["academy", "repair-text", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_pages_show_broken_text_and_repair_lets_grading_proceed(app, client, stored_badly):
    teacher, trainee, attempt, essay = stored_badly
    assert db.session.get(AttemptItem, essay.id).response == BROKEN
    log_in(client, teacher.username)
    page = client.get(f"/grading/items/{essay.id}")
    assert page.status_code == 200 and "答\ufffd案" in page.get_data(as_text=True)  # shown, not a 500

    dry = _cli(app, "--dry-run")
    assert "attempt_items.response: 1 values would be repaired" in dry
    db.session.expire_all()
    assert db.session.get(AttemptItem, essay.id).response == BROKEN  # a dry run changes nothing

    done = _cli(app)
    assert "1 values repaired." in done
    db.session.expire_all()
    assert db.session.get(AttemptItem, essay.id).response == "答\ufffd案 第二行\n"  # tab, LF, CR survive
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "text.repair")) is not None
    assert "0 values would be repaired." in _cli(app, "--dry-run")  # nothing left

    graded = post_form(client, f"/grading/items/{essay.id}", {"points": "5", "feedback": "要点齐全"},
                       token_from=f"/grading/items/{essay.id}")
    assert graded.status_code == 302
    db.session.expire_all()
    assert attempt.state is AttemptState.GRADED and attempt.score == Decimal("9.00")


def test_trainee_attempt_page_survives_broken_text(client, stored_badly):
    _teacher, trainee, attempt, _essay = stored_badly
    log_in(client, trainee.username)
    assert client.get(f"/attempts/{attempt.id}").status_code == 200


def test_every_free_text_column_is_walked():
    """The repair finds its columns in the metadata: answers, feedback, stems, case texts, audit."""
    walked = {f"{t.name}.{c.name}" for t in db.metadata.sorted_tables for c in text_columns(t)}
    assert {"attempt_items.response", "attempt_items.feedback", "questions.stem", "cases.description",
            "audit_entries.summary"} <= walked
    enums = {f"{t.name}.{c.name}" for t in db.metadata.sorted_tables for c in t.columns if isinstance(c.type, sa.Enum)}
    assert walked and not walked & enums
