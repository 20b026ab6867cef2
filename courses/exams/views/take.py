"""Taking an exam: start, the exam page (resumable), submit, and the result page.

An attempt is only ever shown to the person who started it: anyone else gets 404, whatever
their role. While it is in progress the page carries no answer key and no hint of correctness.
"""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from academy.database import utcnow
from academy.permissions import get_or_404
from academy.registry.queries import worker_of_user
from academy.web.cycle import commit_early, refusal_redirects
from courses.exams import access, queries
from courses.exams.content import render_markdown
from courses.exams.forms import ActionForm
from courses.exams.grading import AnswerMark, QuestionType, mark_of
from courses.exams.labels import ANSWER_MARK_LABELS, TYPE_LABELS
from courses.exams.models import Attempt, AttemptState, Exam, ExamStatus
from courses.exams.operations import attempts
from courses.exams.views import bp

MAX_ID = 2**31 - 1  # an id in a URL past the column's range names nothing


def own_attempt(attempt_id: int, *, for_update: bool = False, with_items: bool = False) -> Attempt:
    """The current user's attempt (with its exam), closed first if its time ran out; 404 for anyone
    else's. ``for_update``: read with the attempt's row locked until the commit (a save, a submit);
    ``with_items``: its items and what grading reads of their questions, in one more query (as ``attempts.lock``)."""
    if not 0 < attempt_id <= MAX_ID:
        abort(404)
    attempt = queries.attempt_by_id(attempt_id, for_update=for_update, with_items=with_items)
    if attempt is None or attempt.user_id != current_user.id:
        abort(404)
    if attempts.close_if_overdue(attempt):
        # An overdue attempt stays closed whatever this request goes on to do (a refused save too).
        commit_early()
    return attempt


@bp.post("/exams/<int:exam_id>/start")
@login_required
def start(exam_id: int):
    exam = get_or_404(Exam, exam_id)
    worker = worker_of_user(current_user)
    if worker is None or exam.status is not ExamStatus.PUBLISHED:
        abort(404)
    if not ActionForm().validate_on_submit():
        abort(400)
    refusal_redirects(url_for("exams.exam", exam_id=exam.id))
    attempt = attempts.start_or_resume_attempt(exam, worker, current_user)
    if attempt is None:
        abort(409)
    return redirect(url_for("exams.attempt", attempt_id=attempt.id))


def item_view(item) -> dict:
    """What the page shows of one question: stem, options in this attempt's order. No key."""
    question = item.question
    shown = question.matches if question.type is QuestionType.MATCHING else question.options
    options = [(letter, shown[ord(letter) - 65]) for letter in item.option_order]
    return {"id": item.id, "position": item.position + 1, "type": question.type.value, "points": item.points,
            "stem": render_markdown(question.stem), "options": options, "blanks": question.blanks,
            "response": item.response, "units": [unit for unit, _multiplier in question.units or []],
            "items": [pair[0] for pair in question.correct] if question.type is QuestionType.MATCHING else []}


def _headed(views: list[dict]) -> list[dict]:
    """Each question's heading ("Question 3 of 20 · Single choice · 2 points"), each message looked
    up once per page rather than three times per question (the page's largest cost after the data)."""
    of, points = _("Question %(n)d of %(total)d"), _("%(p)s points")
    kinds: dict[str, str] = {}
    for view in views:
        kind = kinds.setdefault(view["type"], str(TYPE_LABELS.get(view["type"], view["type"])))
        view["heading"] = " · ".join((of % {"n": view["position"], "total": len(views)}, kind,
                                      points % {"p": view["points"]}))
    return views


@bp.get("/attempts/<int:attempt_id>")
@login_required
def attempt(attempt_id: int):
    attempt = own_attempt(attempt_id)
    if attempt.state is not AttemptState.IN_PROGRESS:
        return _result(attempt)
    remaining = max(0, int((attempt.deadline_at - utcnow()).total_seconds()))
    flagged = set(attempt.flagged or [])
    return render_template("exams/take.html", attempt=attempt, exam=attempt.exam, remaining=remaining,
                           items=_headed([item_view(i) | {"flagged": i.id in flagged} for i in queries.attempt_items(attempt)]),
                           true_false=[("T", _("True")), ("F", _("False"))], submit_form=ActionForm(formdata=None),
                           csrf=generate_csrf())


MARK_ICONS = {AnswerMark.RIGHT: "check-circle-fill", AnswerMark.PARTLY: "circle-half", AnswerMark.WRONG: "x-circle-fill",
              AnswerMark.PENDING: "hourglass-split"}


def _mark(item) -> dict:
    """One answer's mark as the result page shows it: its word, its icon and its colour's class."""
    mark = mark_of(item.earned, item.points, item.needs_grading)
    return {"position": item.position + 1, "earned": item.earned, "points": item.points, "mark": mark.value,
            "mark_label": ANSWER_MARK_LABELS[mark], "icon": MARK_ICONS[mark]}


def _review(attempt: Attempt) -> list[dict]:
    """Each question with the trainee's answer, its mark, and the key (the exam shows its answers)."""
    review = []
    for item in attempt.items:
        view = item_view(item)
        question = item.question
        view.update(correct=question.correct, explanation=render_markdown(question.explanation),
                    feedback=item.feedback, weights=question.weights, answer_feedback=question.answer_feedback,
                    bank_options=question.options, **_mark(item))
        review.append(view)
    return review


def _result(attempt: Attempt):
    """The result: what waits (essays for a person, the release), and once released the score and a mark
    per answer (right, partly right, wrong), with the questions and the key when the exam shows answers."""
    released = access.is_released(attempt)
    exam = attempt.exam
    return render_template("exams/result.html", attempt=attempt, exam=exam, released=released,
                           essays_waiting=sum(1 for item in attempt.items if item.needs_grading),
                           marks=[_mark(item) for item in attempt.items]
                           if released and (exam.show_score or exam.show_answers) else [],
                           review=_review(attempt) if released and exam.show_answers else [],
                           breakdown=queries.unit_breakdown(attempt) if released and exam.show_score else [])


@bp.post("/attempts/<int:attempt_id>/submit")
@login_required
def submit(attempt_id: int):
    # Read once, locked, with what grading needs (instead of a plain read and then the locked one).
    attempt = own_attempt(attempt_id, for_update=True, with_items=True)
    if not ActionForm().validate_on_submit():
        abort(400)
    attempts.close_attempt(attempt, current_user, reason="trainee", locked=True)
    message = _("Your answers are submitted.")  # the language is the user's: known before the commit expires him
    # The request cycle commits after this answer is made: the URL uses the id from the path.
    flash(message, "success")
    return redirect(url_for("exams.attempt", attempt_id=attempt_id))
