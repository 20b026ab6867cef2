"""The grading queue (essays, question and rubric beside each answer) and regrades with a dry run.
Exams with double marking take their marks through ``views.marking``."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.permissions import Role, get_or_404, require_role
from academy.web.cycle import on_refusal
from academy.web.paging import int_arg
from courses.exams import queries
from courses.exams.content import render_markdown
from courses.exams.forms import GradeForm, RegradeForm
from courses.exams.models import AttemptItem, AttemptState
from courses.exams.operations import attempts, regrade
from courses.exams.views import bp, managed_exam
from courses.exams.views.marking import mark_page, queue_for


@bp.get("/exams/<int:exam_id>/grading")
@require_role(Role.INSTRUCTOR)
def grading_queue(exam_id: int):
    exam = managed_exam(exam_id)
    attempts.sweep_overdue(exam=exam)  # closes what ran out; the request cycle commits it
    family = int_arg("question")
    items = queries.grading_queue(exam, family)
    return render_template("exams/queue.html", exam=exam, items=items, family=family,
                           marking=queue_for(exam, items) if exam.double_marking else None,
                           questions={i.question.family_id: i.question for i in queries.grading_queue(exam)})


@bp.route("/grading/items/<int:item_id>", methods=["GET", "POST"])
@require_role(Role.INSTRUCTOR)
def grade_item(item_id: int):
    item = get_or_404(AttemptItem, item_id)
    exam = managed_exam(item.attempt.exam_id)
    if item.attempt.state is AttemptState.IN_PROGRESS:
        abort(404)
    if exam.double_marking:
        return mark_page(exam, item)
    form = GradeForm(obj=None if request.method == "POST" else item)
    if request.method == "GET":
        form.points.data = item.earned
    def page(status: int):
        left = len(queries.grading_queue(exam))
        return render_template("exams/grade.html", exam=exam, item=item, form=form, left=left,
                               stem=render_markdown(item.question.stem), rubric=render_markdown(item.question.rubric)), status

    if form.validate_on_submit():
        on_refusal(lambda _error: page(400))
        attempts.grade_item(item, current_user, points=form.points.data, feedback=form.feedback.data or "")
        flash(_("Mark saved."), "success")
        family = int_arg("question")
        following = queries.grading_queue(exam, family)
        if following:
            return redirect(url_for("exams.grade_item", item_id=following[0].id, question=family))
        return redirect(url_for("exams.grading_queue", exam_id=exam.id))
    return page(400 if request.method == "POST" else 200)


@bp.route("/exams/<int:exam_id>/regrade", methods=["GET", "POST"])
@require_role(Role.INSTRUCTOR)
def regrade_exam(exam_id: int):
    exam = managed_exam(exam_id)
    form = RegradeForm()
    if form.validate_on_submit():
        changes = regrade.apply_regrade(exam, current_user, form.reason.data)
        flash(_("%(n)d attempts regraded.", n=len(changes)), "success")
        return redirect(url_for("exams.results", exam_id=exam.id))
    status = 400 if request.method == "POST" else 200
    return render_template("exams/regrade.html", exam=exam, changes=regrade.plan_regrade(exam), form=form), status
