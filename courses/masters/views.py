"""Blueprint pages: a master course's copies in the branches, offering it in more, pushing its changes."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from academy.jobs import Job
from academy.permissions import Role, ensure, get_or_404, require_role
from academy.web.actions import perform
from academy.web.cycle import refusal_redirects
from courses.enrollment.models import Course
from courses.masters import access, operations, queries
from courses.masters.forms import ActionForm, OfferForm

bp = Blueprint("masters", __name__)


def _keepable(course_id: int) -> Course:
    course = get_or_404(Course, course_id)
    ensure(access.can_keep_masters(current_user))
    return course


def _page(course: Course, form: OfferForm | None = None, status: int = 200):
    form = form or OfferForm(branches=queries.offerable_branches(course))
    return render_template("masters/master.html", course=course, copies=queries.copies_of(course), form=form,
                           action=ActionForm(), inline=operations.INLINE_COPIES), status


@bp.get("/courses/<int:course_id>/master")
@require_role(Role.ADMIN)
def master(course_id: int):
    return _page(_keepable(course_id))


@bp.post("/courses/<int:course_id>/master/mark")
@require_role(Role.ADMIN)
def mark(course_id: int):
    course = _keepable(course_id)
    if not ActionForm().validate_on_submit():
        return _page(course, status=400)
    to = url_for("masters.master", course_id=course.id)
    return perform(lambda: operations.mark_master(course, current_user),
                   done=_("%(code)s is a master course: branches may now offer it.", code=course.code), to=to)


@bp.post("/courses/<int:course_id>/master/offer")
@require_role(Role.ADMIN)
def offer(course_id: int):
    course = _keepable(course_id)
    form = OfferForm(branches=queries.offerable_branches(course))
    if not form.validate_on_submit():
        return _page(course, form, status=400)
    to = url_for("masters.master", course_id=course.id)
    refusal_redirects(to)
    copies = operations.offer_in_branches(course, current_user, queries.branches_by_ids(form.branch_ids.data))
    flash(ngettext("%(num)d branch copy made; the branch publishes it when its sessions and instructors are set.",
                   "%(num)d branch copies made; each branch publishes its own when its sessions and instructors are set.",
                   len(copies)), "success")
    return redirect(to)


@bp.post("/courses/<int:course_id>/master/push")
@require_role(Role.ADMIN)
def push(course_id: int):
    course = _keepable(course_id)
    if not ActionForm().validate_on_submit():
        return _page(course, status=400)
    to = url_for("masters.master", course_id=course.id)
    refusal_redirects(to)
    result = operations.push_master(course, current_user)
    if isinstance(result, Job):
        flash(_("The copies are updated in the background; follow the progress on the job's page."), "info")
        return redirect(url_for("web.job_page", job_id=result.id))
    flash(ngettext("%(num)d branch copy updated.", "%(num)d branch copies updated.", result), "success")
    return redirect(to)
