"""HR's training needs: every worker in its areas, page by page, with what the indicators say he
lacks and the courses that answer it; one course assigned at a time, or the ticked ones at once
after the counting confirmation."""
from __future__ import annotations

from types import SimpleNamespace

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from academy.permissions import Role, area_scopes, ensure, get_or_404, in_scope, require_role
from academy.registry.models import Worker
from academy.web import previews
from academy.web.cycle import on_refusal
from academy.web.errors import json_endpoint
from courses.enrollment import operations, queries, training
from courses.enrollment.forms import AssignNeedForm, NeedsFilterForm, NeedsSelectionForm
from courses.enrollment.models import Course, CourseStatus
from courses.enrollment.views import bp


@bp.get("/training/needs")
@require_role(Role.HR)
def needs():
    filters = NeedsFilterForm(request.args)
    if not filters.validate():
        return render_template("enrollment/needs.html", filters=filters, rows=[], total=0, workers=0,
                               pager=SimpleNamespace(pages=1), form=None, bulk=None, today=operations.today()), 400
    page = filters.page.data or 1
    workers, total = queries.serving_workers(area_scopes(current_user, Role.HR), area_code=filters.area.data or "", page=page)
    rows = [(w, n) for w in workers for n in queries.training_needs(w)]
    pages = max(1, -(-total // queries.NEEDS_PAGE_SIZE))
    args = {k: v for k, v in request.args.items() if k != "page"}
    return render_template(
        "enrollment/needs.html", filters=filters, rows=rows, total=total, workers=len(workers),
        first=(page - 1) * queries.NEEDS_PAGE_SIZE + 1,
        pager=SimpleNamespace(page=page, pages=pages, has_prev=page > 1, has_next=page < pages, prev_num=page - 1,
                              next_num=page + 1),
        page_url=lambda n: url_for("enrollment.needs", **args, page=n), form=AssignNeedForm(formdata=None),
        bulk=NeedsSelectionForm(formdata=None), today=operations.today())


@bp.post("/training/needs/assign")
@require_role(Role.HR)
def assign_need():
    form = AssignNeedForm()
    if not form.validate_on_submit():
        abort(400)
    worker = get_or_404(Worker, form.worker_id.data)
    course = get_or_404(Course, form.course_id.data)
    ensure(in_scope(current_user, worker.area.code, Role.HR) and course.status == CourseStatus.PUBLISHED)
    if form.due_on.data < operations.today():
        flash(_("The due date is in the past."), "danger")
        return redirect(url_for("enrollment.needs")), 303
    on_refusal(lambda _error: (redirect(url_for("enrollment.needs")), 303))
    done = training.assign_training(worker, course, current_user, due_on=form.due_on.data, reason=form.reason.data or "")
    flash(_("Training assigned.") if done else _("This course was already assigned."), "success" if done else "info")
    return redirect(url_for("enrollment.needs"))


@bp.post("/training/needs/assign-ticked")
@require_role(Role.HR)
def assign_needs():
    form = NeedsSelectionForm()
    back = request.referrer if (request.referrer or "").startswith(request.host_url + "training/needs") else None
    back = back or url_for("enrollment.needs")
    if not form.validate_on_submit():
        flash("; ".join(str(errors[0]) for errors in form.errors.values()), "danger")
        return redirect(back), 303
    if not previews.confirmed():
        return previews.ask_first(_needs_preview(form), title=_("Assign the ticked courses"), back=back)
    on_refusal(lambda _error: (redirect(back), 303))
    result = training.assign_needs(form.picks(), current_user, due_on=form.due_on.data)
    flash(_("%(a)d assigned, %(b)d were assigned already, %(c)d skipped.", a=result.assigned, b=result.already,
            c=len(result.skipped)), "success")
    for line in result.skipped[:10]:
        flash(line, "warning")
    return redirect(back)


@bp.get("/training/needs/assign-ticked/preview")
@require_role(Role.HR)
@json_endpoint
def assign_needs_preview():
    """How many courses and workers are ticked, for the confirmation."""
    form = NeedsSelectionForm(request.args, meta={"csrf": False})
    previews.refuse_invalid(form)
    return previews.as_json(_needs_preview(form))


def _needs_preview(form: NeedsSelectionForm) -> previews.Preview:
    """How many courses for how many workers are ticked (the dialog and the confirmation page say it)."""
    return previews.count(lambda: len(set(form.picks())),
                          lambda n: ngettext("Assign %(num)d recommended course to %(workers)d grid workers as mandatory "
                                             "training? Courses already assigned are skipped.",
                                             "Assign %(num)d recommended courses to %(workers)d grid workers as mandatory "
                                             "training? Courses already assigned are skipped.", n,
                                             workers=len({w for w, _c in form.picks()})),
                          training.MAX_PICKS)
