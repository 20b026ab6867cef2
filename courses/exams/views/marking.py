"""Double marking in the grading queue: the blind mark page (first or second mark) and the
reconciliation page, where both marks are shown. Rules in ``courses.exams.marking``."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.permissions import Role, get_or_404, require_role
from academy.web.cycle import on_refusal
from academy.web.paging import int_arg
from courses.exams import queries
from courses.exams.content import render_markdown
from courses.exams.forms import GradeForm, ReconcileForm
from courses.exams.labels import MARK_SAVED_LABELS
from courses.exams.models import AttemptItem, AttemptState
from courses.exams.operations import marking
from courses.exams.views import bp, managed_exam


def queue_for(exam, items) -> marking.MarkingQueue:
    return marking.marking_queue(exam, current_user, items)


def _page(template: str, exam, item, form, status: int, **context):
    return render_template(template, exam=exam, item=item, form=form, stem=render_markdown(item.question.stem),
                           rubric=render_markdown(item.question.rubric), double=True, **context), status


def _next(exam, family, reconcile: bool):
    """Where "and next" goes: the next answer this instructor can mark (or reconcile), else the queue."""
    queue = queue_for(exam, queries.grading_queue(exam, family))
    if reconcile and queue.to_reconcile:
        return redirect(url_for("exams.reconcile_item", item_id=queue.to_reconcile[0].id, question=family))
    if not reconcile and queue.to_mark:
        return redirect(url_for("exams.grade_item", item_id=queue.to_mark[0][0].id, question=family))
    return redirect(url_for("exams.grading_queue", exam_id=exam.id, question=family))


def mark_page(exam, item: AttemptItem):
    """GET and POST of ``exams.grade_item`` for a double-marked exam: blind until both marks are in."""
    marks = queries.marks_of(item)
    if request.method == "GET" and len(marks) == 2:
        return redirect(url_for("exams.reconcile_item", item_id=item.id, question=request.args.get("question")))
    form = GradeForm()
    if form.validate_on_submit():
        on_refusal(lambda error: _mark_refused(exam, item, form, error), category=None)
        stage = marking.mark_item(item, current_user, points=form.points.data, feedback=form.feedback.data or "")
        flash(str(MARK_SAVED_LABELS.get(stage, _("Mark saved."))), "success")
        return _next(exam, int_arg("question"), reconcile=False)
    return _mark_page(exam, item, form, 400 if request.method == "POST" else 200)


def _mark_refused(exam, item: AttemptItem, form, error):
    """A refused mark: a conflict (the other marker was quicker) warns and says 409, the rest 400."""
    conflict = isinstance(error, marking.MarkingConflict)
    flash(str(error), "warning" if conflict else "danger")
    return _mark_page(exam, item, form, 409 if conflict else 400)


def _mark_page(exam, item: AttemptItem, form, status: int):
    marks = queries.marks_of(item)
    mine = next((m for m in marks if m.marker_id == current_user.id), None)
    stage = marking.stage_of(item, marks)
    left = queue_for(exam, queries.grading_queue(exam))
    return _page("exams/grade.html", exam, item, form, status, left=len(left.to_mark), mine=mine, stage=stage)


@bp.route("/grading/items/<int:item_id>/reconcile", methods=["GET", "POST"])
@require_role(Role.INSTRUCTOR)
def reconcile_item(item_id: int):
    """Both marks side by side and the final points; before both are in, the blind mark page."""
    item = get_or_404(AttemptItem, item_id)
    exam = managed_exam(item.attempt.exam_id)
    if not exam.double_marking or item.attempt.state is AttemptState.IN_PROGRESS:
        abort(404)
    family = int_arg("question")
    if len(queries.marks_of(item)) < 2:
        flash(_("This answer is reconciled once both of its marks are in."), "info")
        return redirect(url_for("exams.grade_item", item_id=item.id, question=family), 303)
    form = ReconcileForm()
    if form.validate_on_submit():
        on_refusal(lambda _error: _reconcile_page(exam, item, form))
        marking.reconcile_item(item, current_user, points=form.points.data, feedback=form.feedback.data or "")
        flash(_("Final points saved."), "success")
        return _next(exam, family, reconcile=True)
    return _reconcile_page(exam, item, form)


def _reconcile_page(exam, item: AttemptItem, form):
    marks = queries.marks_of(item)
    if request.method == "GET":
        final = item.earned if not item.needs_grading else marking.mean_points(marks[0].points, marks[1].points)
        form.points.data = final
        form.feedback.data = item.feedback if not item.needs_grading else marking.joined_feedback(marks)
    left = queue_for(exam, queries.grading_queue(exam))
    status = 400 if request.method == "POST" else 200
    return _page("exams/reconcile.html", exam, item, form, status, marks=marks, left=len(left.to_reconcile),
                 apart=abs(marks[0].points - marks[1].points))
