"""HR's training pages: bulk enrolment, mandatory training, overdue list and export, extensions,
training needs, statistics; and the trainee's own training page."""
from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import pgettext
from flask_login import current_user, login_required

from academy.exports import Table, download, xlsx_bytes
from academy.extensions import db
from academy.permissions import Role, area_scopes, ensure, get_or_404, in_scope, require_role, scope_clause
from academy.registry.models import Area, AreaLevel, Worker
from academy.web.cycle import on_refusal, refusal_redirects
from courses.enrollment import operations as ops
from courses.enrollment import queries, training
from courses.enrollment.forms import (
    AssignNeedForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    MandatoryForm,
    PeriodForm,
    PopulationForm,
)
from courses.enrollment.models import Course, CourseStatus, MandatoryRule, TrainingAssignment
from courses.enrollment.views import bp


def area_choices(user) -> list[tuple[str, str]]:
    """Districts, streets and communities inside the user's HR scope."""
    query = (sa.select(Area).where(Area.level != AreaLevel.CITY, scope_clause(Area.code, area_scopes(user, Role.HR)))
             .order_by(Area.code).limit(500))
    return [(a.code, f"{a.code} {a.name}") for a in db.session.scalars(query)]


def _population(form: PopulationForm) -> training.Population:
    return training.Population(area_code=form.area_code.data, grid_id=form.grid_id.data,
                               employment=form.employment.data, status=form.status.data)


@bp.route("/courses/<int:course_id>/bulk", methods=["GET", "POST"])
@require_role(Role.HR)
def bulk_enrol(course_id: int):
    course = get_or_404(Course, course_id)
    form = PopulationForm()
    form.area_code.choices = area_choices(current_user)

    def page():
        return render_template("enrollment/bulk.html", course=course, form=form, result=None), 400 if request.method == "POST" else 200

    if form.validate_on_submit():
        on_refusal(lambda _error: page())
        result = training.bulk_enrol(course, _population(form), current_user)
        flash(_("%(a)d enrolled, %(b)d waitlisted, %(c)d skipped.", a=result.enrolled, b=result.waitlisted,
                c=len(result.skipped)), "success")
        return render_template("enrollment/bulk.html", course=course, form=form, result=result)
    return page()


@bp.route("/training/mandatory", methods=["GET", "POST"])
@require_role(Role.HR)
def mandatory():
    form = MandatoryForm()
    form.area_code.choices = area_choices(current_user)
    form.course_id.choices = [(c.id, f"{c.code} {c.title}") for c in queries.published_courses()]

    def page():
        rules = db.session.scalars(sa.select(MandatoryRule).where(scope_clause(MandatoryRule.area_code, area_scopes(current_user, Role.HR)))
                                   .order_by(MandatoryRule.created_at.desc()).limit(100)).all()
        return render_template("enrollment/mandatory.html", form=form, rules=rules), 400 if request.method == "POST" else 200

    if form.validate_on_submit():
        on_refusal(lambda _error: page())
        result = training.assign_mandatory(db.session.get(Course, form.course_id.data), _population(form),
                                           current_user, due_on=form.due_on.data,
                                           due_days_after_hire=form.due_days_after_hire.data)
        flash(_("Course assigned to %(n)d workers.", n=result.assigned), "success")
        return redirect(url_for("enrollment.mandatory"))
    return page()


def _overdue():
    return db.session.scalars(training.overdue_query(area_scopes(current_user, Role.HR), ops.today()).limit(2000)).all()


@bp.get("/training/overdue")
@require_role(Role.HR)
def overdue():
    requested = db.session.scalars(
        sa.select(TrainingAssignment).join(TrainingAssignment.worker).join(Worker.area)
        .where(TrainingAssignment.extension_status == "requested",
               scope_clause(Area.code, area_scopes(current_user, Role.HR))).order_by(TrainingAssignment.id)).all()
    return render_template("enrollment/overdue.html", rows=_overdue(), requested=requested, today=ops.today(),
                           decision_form=ExtensionDecisionForm(formdata=None))


@bp.get("/training/overdue.xlsx")
@require_role(Role.HR)
def overdue_export():
    headers = [_("Worker number"), pgettext("person", "Name"), _("Area"), _("Course"), _("Due on"), _("Days overdue")]
    rows = [[row.worker.number, row.worker.name, row.worker.area.name, f"{row.course.code} {row.course.title}",
             row.effective_due, (ops.today() - row.effective_due).days] for row in _overdue()]
    return download(xlsx_bytes([Table(_("Overdue training"), headers, rows)]), f"overdue-training-{ops.today()}.xlsx")


@bp.get("/training/mine")
@login_required
def my_training():
    worker = queries.worker_of(current_user)
    if worker is None:
        abort(404)
    return render_template("enrollment/mine.html", worker=worker, enrollments=queries.enrollments_of(worker),
                           assignments=queries.assignments_of(worker), today=ops.today(),
                           extension_form=ExtensionRequestForm(formdata=None))


@bp.post("/training/assignments/<int:assignment_id>/extension")
@login_required
def request_extension(assignment_id: int):
    assignment = get_or_404(TrainingAssignment, assignment_id)
    worker = queries.worker_of(current_user)
    ensure(worker is not None and worker.id == assignment.worker_id)
    form = ExtensionRequestForm()
    if form.validate_on_submit():
        refusal_redirects(url_for("enrollment.my_training"))
        training.request_extension(assignment, current_user, until=form.until.data, reason=form.reason.data)
        flash(_("Extension requested."), "success")
        return redirect(url_for("enrollment.my_training"))
    else:
        flash(_("Give a new date and a reason."), "danger")
    return redirect(url_for("enrollment.my_training")), 303


@bp.post("/training/assignments/<int:assignment_id>/decision")
@require_role(Role.HR)
def decide_extension(assignment_id: int):
    assignment = get_or_404(TrainingAssignment, assignment_id)
    ensure(in_scope(current_user, assignment.worker.area.code, Role.HR))
    form = ExtensionDecisionForm()
    if not form.validate_on_submit():
        abort(400)
    on_refusal(lambda _error: (redirect(url_for("enrollment.overdue")), 303))
    training.decide_extension(assignment, current_user, grant=form.decision.data == "grant")
    flash(_("Decision recorded."), "success")
    return redirect(url_for("enrollment.overdue"))


@bp.get("/training/needs")
@require_role(Role.HR)
def needs():
    workers = db.session.scalars(sa.select(Worker).join(Worker.area).where(
        scope_clause(Area.code, area_scopes(current_user, Role.HR)), Worker.exited_on.is_(None))
        .order_by(Area.code, Worker.number).limit(500)).all()
    rows = [(w, n) for w in workers for n in training.training_needs(w)]
    return render_template("enrollment/needs.html", rows=rows, form=AssignNeedForm(formdata=None), today=ops.today())


@bp.post("/training/needs/assign")
@require_role(Role.HR)
def assign_need():
    form = AssignNeedForm()
    if not form.validate_on_submit():
        abort(400)
    worker = get_or_404(Worker, form.worker_id.data)
    course = get_or_404(Course, form.course_id.data)
    ensure(in_scope(current_user, worker.area.code, Role.HR) and course.status == CourseStatus.PUBLISHED)
    if form.due_on.data < ops.today():
        flash(_("The due date is in the past."), "danger")
        return redirect(url_for("enrollment.needs")), 303
    on_refusal(lambda _error: (redirect(url_for("enrollment.needs")), 303))
    done = training.assign_training(worker, course, current_user, due_on=form.due_on.data, reason=form.reason.data or "")
    flash(_("Training assigned.") if done else _("This course was already assigned."), "success" if done else "info")
    return redirect(url_for("enrollment.needs"))


@bp.get("/training/stats")
@require_role(Role.HR, Role.VIEWER, Role.INSTRUCTOR)
def stats():
    form = PeriodForm(request.args)
    today = ops.today()
    start, end = date(today.year, 1, 1), today
    if request.args and not form.validate():
        return render_template("enrollment/stats.html", form=form, tables=None), 400
    start, end = form.start.data or start, form.end.data or end
    scopes = area_scopes(current_user, Role.HR, Role.VIEWER, Role.INSTRUCTOR)
    return render_template("enrollment/stats.html", form=form, start=start, end=end,
                           tables=queries.training_statistics(start, end, scopes))
