"""HR's training pages: bulk enrolment, mandatory training, overdue list and export, extensions,
training needs, statistics; and the trainee's own training page."""
from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext, pgettext
from flask_login import current_user, login_required
from markupsafe import Markup

from academy import charts
from academy.contributions import contributions
from academy.exports import Table, download, xlsx_bytes
from academy.permissions import Role, area_scopes, ensure, get_or_404, in_scope, require_role
from academy.registry import labels
from academy.registry.models import Employment, WorkerStatus
from academy.registry.queries import worker_of_user
from academy.web import previews
from academy.web.actions import perform
from academy.web.cycle import on_refusal, refusal_redirects
from academy.web.errors import json_endpoint
from courses.enrollment import annual, operations, queries, standing, statistics, training
from courses.enrollment.forms import (
    ActionForm,
    ExtensionDecisionForm,
    ExtensionRequestForm,
    MandatoryForm,
    PeriodForm,
    PopulationForm,
)
from courses.enrollment.models import Course, MandatoryRule, TrainingAssignment
from courses.enrollment.views import bp


def _population(form: PopulationForm) -> training.Population:
    return training.Population(area_code=form.area_code.data, grid_id=form.grid_id.data,
                               employment=form.employment.data, status=form.status.data)


@bp.route("/courses/<int:course_id>/bulk", methods=["GET", "POST"])
@require_role(Role.HR)
def bulk_enrol(course_id: int):
    course = get_or_404(Course, course_id)
    form = PopulationForm(areas=queries.hr_area_choices(current_user))

    def page():
        return render_template("enrollment/bulk.html", course=course, form=form, result=None), 400 if request.method == "POST" else 200

    if form.validate_on_submit():
        if not previews.confirmed():
            return previews.ask_first(_bulk_preview(course, form), title=_("Enrol a group"),
                                      back=url_for("enrollment.bulk_enrol", course_id=course.id))
        on_refusal(lambda _error: page())
        result = training.bulk_enrol(course, _population(form), current_user)
        flash(_("%(a)d enrolled, %(b)d waitlisted, %(c)d skipped.", a=result.enrolled, b=result.waitlisted,
                c=len(result.skipped)), "success")
        return render_template("enrollment/bulk.html", course=course, form=form, result=result)
    return page()


@bp.get("/courses/<int:course_id>/bulk/preview")
@require_role(Role.HR)
@json_endpoint
def bulk_preview(course_id: int):
    """How many workers the bulk form's selection names, for its confirmation."""
    course = get_or_404(Course, course_id)
    form = PopulationForm(request.args, areas=queries.hr_area_choices(current_user), meta={"csrf": False})
    previews.refuse_invalid(form)
    return previews.as_json(_bulk_preview(course, form))


def _bulk_preview(course: Course, form: PopulationForm) -> previews.Preview:
    """How many workers the selection enrols in ``course`` (the dialog and the confirmation page say it)."""
    return previews.count(lambda: training.population_size(_population(form), current_user),
                          lambda n: ngettext("Enrol %(num)d grid worker in %(course)s? Those already enrolled are skipped; "
                                             "once the seats are taken the rest join the waiting list.",
                                             "Enrol %(num)d grid workers in %(course)s? Those already enrolled are skipped; "
                                             "once the seats are taken the rest join the waiting list.", n, course=course.title),
                          training.MAX_POPULATION)


@bp.get("/training/mandatory/preview")
@require_role(Role.HR)
@json_endpoint
def mandatory_preview():
    """How many workers the mandatory training form's rule names today, for its confirmation."""
    types = [pair for provider in contributions("certificate_type_choices") for pair in provider()]
    form = MandatoryForm(request.args, areas=queries.hr_area_choices(current_user), courses=queries.published_courses(),
                         certificate_types=types, meta={"csrf": False})
    previews.refuse_invalid(form)
    return previews.as_json(_mandatory_preview(form))


def _mandatory_preview(form: MandatoryForm) -> previews.Preview:
    """How many workers the rule names today (the dialog and the confirmation page say it)."""
    return previews.count(lambda: standing.audience_size(_mandatory_rule(form)),
                          lambda n: ngettext("Assign %(course)s to %(num)d grid worker as mandatory training?",
                                             "Assign %(course)s to %(num)d grid workers as mandatory training?", n,
                                             course=get_or_404(Course, form.course_id.data).title),
                          training.MAX_POPULATION)


def _mandatory_rule(form: MandatoryForm) -> MandatoryRule:
    """The rule the form describes, not stored: whom it names is what the preview counts."""
    return MandatoryRule(area_code=form.area_code.data, employment=form.employment.data or None,
                         worker_status=form.status.data or None, hired_within_days=form.hired_within_days.data,
                         holds_certificate=form.holds_certificate.data or None,
                         lacks_certificate=form.lacks_certificate.data or None)


@bp.route("/training/mandatory", methods=["GET", "POST"])
@require_role(Role.HR)
def mandatory():
    types = [pair for provider in contributions("certificate_type_choices") for pair in provider()]
    form = MandatoryForm(areas=queries.hr_area_choices(current_user), courses=queries.published_courses(),
                         certificate_types=types)

    def page():
        rules = queries.mandatory_rules(area_scopes(current_user, Role.HR))
        return render_template("enrollment/mandatory.html", form=form, rules=rules, end_form=ActionForm(formdata=None),
                               type_names=dict(types), employments=dict(labels.choices(Employment)),
                               statuses=dict(labels.choices(WorkerStatus))), 400 if request.method == "POST" else 200

    if form.validate_on_submit():
        if not previews.confirmed():
            return previews.ask_first(_mandatory_preview(form), title=_("Mandatory training"),
                                      back=url_for("enrollment.mandatory"))
        on_refusal(lambda _error: page())
        population = training.Population(area_code=form.area_code.data, employment=form.employment.data,
                                         status=form.status.data)
        result = standing.assign_mandatory(
            get_or_404(Course, form.course_id.data), population, current_user, due_on=form.due_on.data,
            due_days_after_hire=form.due_days_after_hire.data, hired_within_days=form.hired_within_days.data,
            holds_certificate=form.holds_certificate.data, lacks_certificate=form.lacks_certificate.data)
        flash(_("Course assigned to %(n)d workers; whoever comes to match later is assigned too.", n=result.assigned),
              "success")
        return redirect(url_for("enrollment.mandatory"))
    return page()


@bp.post("/training/mandatory/<int:rule_id>/end")
@require_role(Role.HR)
def mandatory_end(rule_id: int):
    rule = get_or_404(MandatoryRule, rule_id)
    ensure(in_scope(current_user, rule.area_code, Role.HR))
    if not ActionForm().validate_on_submit():
        abort(400)
    return perform(lambda: standing.end_rule(rule, current_user), done=_("The rule has ended; its assignments stay."),
                   to=url_for("enrollment.mandatory"))


def _overdue():
    return queries.overdue(area_scopes(current_user, Role.HR), operations.today())


@bp.get("/training/overdue")
@require_role(Role.HR)
def overdue():
    requested = queries.requested_extensions(area_scopes(current_user, Role.HR))
    return render_template("enrollment/overdue.html", rows=_overdue(), requested=requested, today=operations.today(),
                           taken_back=queries.taken_back(area_scopes(current_user, Role.HR)),
                           decision_form=ExtensionDecisionForm(formdata=None))


@bp.get("/training/overdue.xlsx")
@require_role(Role.HR)
def overdue_export():
    headers = [_("Worker number"), pgettext("person", "Name"), _("Area"), _("Course"), _("Due on"), _("Days overdue")]
    rows = [[row.worker.number, row.worker.name, row.worker.area.name, f"{row.course.code} {row.course.title}",
             row.effective_due, (operations.today() - row.effective_due).days] for row in _overdue()]
    return download(xlsx_bytes([Table(_("Overdue training"), headers, rows)]), f"overdue-training-{operations.today()}.xlsx")


@bp.get("/training/mine")
@login_required
def my_training():
    worker = worker_of_user(current_user)
    if worker is None:
        abort(404)
    year = annual.current_year()
    return render_template("enrollment/mine.html", worker=worker, enrollments=queries.enrollments_of(worker),
                           assignments=queries.assignments_of(worker), today=operations.today(),
                           hours=annual.worker_progress(worker, year), year=year,
                           extension_form=ExtensionRequestForm(formdata=None),
                           sections=[Markup(section(worker)) for section in contributions("training_sections")])


@bp.post("/training/assignments/<int:assignment_id>/extension")
@login_required
def request_extension(assignment_id: int):
    assignment = get_or_404(TrainingAssignment, assignment_id)
    worker = worker_of_user(current_user)
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


def _stats_period():
    """The statistics' period from the query string (this year so far by default), or None when invalid."""
    form = PeriodForm(request.args)
    today = statistics.city_today()
    if request.args and not form.validate():
        return form, None
    form.start.data, form.end.data = form.start.data or date(today.year, 1, 1), form.end.data or today
    return form, (form.start.data, form.end.data)


STATS_ROLES = (Role.HR, Role.VIEWER, Role.INSTRUCTOR)


@bp.get("/training/stats")
@require_role(*STATS_ROLES)
def stats():
    form, period = _stats_period()
    if period is None:
        return render_template("enrollment/stats.html", form=form, tables=None), 400
    tables = statistics.training_statistics(*period, area_scopes(current_user, *STATS_ROLES))
    return render_template("enrollment/stats.html", form=form, start=period[0], end=period[1], tables=tables,
                           charts={key: _stats_chart(key, rows) for key, rows in tables.items()})


def _percent(value) -> str:
    return "" if value is None else f"{value}%"


@bp.get("/training/stats.xlsx")
@require_role(*STATS_ROLES)
def stats_export():
    form, period = _stats_period()
    if period is None:
        abort(400)
    tables = statistics.training_statistics(*period, area_scopes(current_user, *STATS_ROLES))
    common = [_("Person-times trained"), _("Workers trained"), _("Completed"), _("Completion rate"), _("Pass rate"),
              _("Credited hours")]
    sheets = []
    for key, title, first in (("branch", _("By branch academy"), _("Branch academy")), ("district", _("By district"), _("District"))):
        extra = [_("Serving workers"), _("Annual hours per worker"), _("Annual hours required"),
                 _("Workers meeting the requirement"), _("Certificate-holding rate")] if key == "district" else []
        rows = [[r.label, r.person_times, r.workers_trained, r.completed, _percent(r.completion_rate), _percent(r.pass_rate),
                 float(r.hours)] + ([r.serving, None if r.hours_per_worker is None else float(r.hours_per_worker),
                                     None if r.required is None else float(r.required), r.meeting,
                                     _percent(r.certified_rate)] if key == "district" else [])
                for r in tables[key]]
        sheets.append(Table(title, [first, *common, *extra], rows))
    return download(xlsx_bytes(sheets), f"training-statistics-{period[0]}-{period[1]}.xlsx")


def _stats_chart(key: str, rows: list[statistics.StatRow]) -> charts.Chart:
    title = _("Trained and completed, by branch academy") if key == "branch" else _("Trained and completed, by district")
    # The chart compares the training given; a district that trained nobody stays in the table below it.
    return charts.bars(f"stats-{key}", title, [(r.label, [r.person_times, r.completed]) for r in rows if r.person_times],
                       [_("Person-times trained"), _("Completed")], unit=_("person-times"), value_title=_("Trained"),
                       category_title=_("Branch academy") if key == "branch" else _("District"))
