"""Syllabus pages: versions and their unit tree, review, diff, branches, trainer pool, committee."""
from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from academy.accounts.models import User
from academy.extensions import db
from academy.permissions import Role, ensure, get_or_404, has_role, require_role
from academy.registry.models import Area, AreaLevel
from academy.web.cycle import on_refusal
from academy.web.paging import int_arg
from courses.syllabus import operations as ops
from courses.syllabus.forms import (
    ActionForm,
    BranchForm,
    CommitteeForm,
    ReviewForm,
    TrainerForm,
    UnitForm,
    VersionForm,
    split_codes,
)
from courses.syllabus.models import (
    Branch,
    CommitteeMember,
    ReviewDecision,
    SyllabusUnit,
    SyllabusVersion,
    Trainer,
    VersionStatus,
)

bp = Blueprint("syllabus", __name__, url_prefix="/syllabus")

STATUS_LABELS = {
    VersionStatus.DRAFT: _l("Draft"),
    VersionStatus.UNDER_REVIEW: _l("Under review"),
    VersionStatus.PUBLISHED: _l("Published"),
    VersionStatus.RETIRED: _l("Retired"),
}


@bp.app_context_processor
def _labels():
    return {"version_status_label": lambda status: STATUS_LABELS[VersionStatus(status)]}


def may_edit(user) -> bool:
    return has_role(user, Role.INSTRUCTOR)


def may_see(user, version: SyllabusVersion) -> bool:
    """Published and retired versions are for everyone; drafts for instructors and the committee."""
    if version.status in (VersionStatus.PUBLISHED, VersionStatus.RETIRED):
        return True
    return may_edit(user) or ops.is_committee_member(user)


def _visible_version(version_id: int) -> SyllabusVersion:
    version = get_or_404(SyllabusVersion, version_id)
    if not may_see(current_user, version):
        abort(404)
    return version


@bp.get("")
@login_required
def index():
    versions = db.session.scalars(sa.select(SyllabusVersion).order_by(SyllabusVersion.number.desc())).all()
    versions = [v for v in versions if may_see(current_user, v)]
    return render_template("syllabus/index.html", versions=versions, current=ops.current_version(),
                           form=VersionForm(formdata=None), may_edit=may_edit(current_user))


@bp.post("/versions")
@require_role(Role.INSTRUCTOR)
def new_version():
    form = VersionForm()
    if not form.validate_on_submit():
        flash(_("A title is needed (at most 200 characters)."), "danger")
        return redirect(url_for("syllabus.index")), 303
    version = ops.create_version(current_user, title=form.title.data.strip(), notes=form.notes.data or "")
    flash(_("Draft version %(n)d created.", n=version.number), "success")
    return redirect(url_for("syllabus.version", version_id=version.id))


def _version_page(version: SyllabusVersion, review_form=None, status: int = 200):
    return render_template(
        "syllabus/version.html", version=version, may_edit=may_edit(current_user),
        is_member=ops.is_committee_member(current_user), required=ops.required_approvals(),
        review_form=review_form or ReviewForm(formdata=None), action_form=ActionForm(formdata=None),
        others=[v for v in db.session.scalars(sa.select(SyllabusVersion).order_by(SyllabusVersion.number)) if v.id != version.id],
    ), status


@bp.get("/versions/<int:version_id>")
@login_required
def version(version_id: int):
    return _version_page(_visible_version(version_id))


def _unit_form_page(version, form, unit=None, status=200):
    return render_template("syllabus/unit_form.html", version=version, form=form, unit=unit), status


def _save_unit(version: SyllabusVersion, unit: SyllabusUnit | None):
    modules = [m for m in version.modules if unit is None or m.id != unit.id]
    form = UnitForm(modules, obj=unit) if request.method == "GET" else UnitForm(modules)
    if request.method == "GET" and unit is not None:
        form.parent_id.data = unit.parent_id or 0
        form.case_categories.data = ", ".join(unit.case_categories or [])
    if not form.validate_on_submit():
        return _unit_form_page(version, form, unit, 400 if form.errors else 200)
    on_refusal(lambda _error: _unit_form_page(version, form, unit, 400))
    values = form.values({m.id: m for m in modules})
    if unit is None:
        ops.add_unit(version, current_user, **values)
    else:
        ops.update_unit(unit, current_user, **values)
    flash(_("Unit saved."), "success")
    return redirect(url_for("syllabus.version", version_id=version.id))


@bp.route("/versions/<int:version_id>/units/new", methods=["GET", "POST"])
@require_role(Role.INSTRUCTOR)
def unit_new(version_id: int):
    version = get_or_404(SyllabusVersion, version_id)
    ensure(version.status == VersionStatus.DRAFT)
    return _save_unit(version, None)


@bp.route("/units/<int:unit_id>", methods=["GET", "POST"])
@require_role(Role.INSTRUCTOR)
def unit_edit(unit_id: int):
    unit = get_or_404(SyllabusUnit, unit_id)
    ensure(unit.version.status == VersionStatus.DRAFT)
    return _save_unit(unit.version, unit)


def _act(version: SyllabusVersion, action, success: str):
    """Run one workflow operation from a plain button; refusals come back as a 409 page."""
    if not ActionForm().validate_on_submit():
        abort(400)
    on_refusal(lambda _error: _version_page(version, status=409))
    action()
    flash(success, "success")
    return redirect(url_for("syllabus.version", version_id=version.id))


@bp.post("/units/<int:unit_id>/remove")
@require_role(Role.INSTRUCTOR)
def unit_remove(unit_id: int):
    unit = get_or_404(SyllabusUnit, unit_id)
    return _act(unit.version, lambda: ops.remove_unit(unit, current_user), _("Unit removed."))


@bp.post("/versions/<int:version_id>/submit")
@require_role(Role.INSTRUCTOR)
def submit(version_id: int):
    version = get_or_404(SyllabusVersion, version_id)
    return _act(version, lambda: ops.submit_for_review(version, current_user), _("Sent to the expert committee."))


@bp.post("/versions/<int:version_id>/publish")
@require_role(Role.INSTRUCTOR)
def publish(version_id: int):
    version = get_or_404(SyllabusVersion, version_id)
    return _act(version, lambda: ops.publish_version(version, current_user), _("Version published; it is now current."))


@bp.post("/versions/<int:version_id>/review")
@login_required
def review(version_id: int):
    version = _visible_version(version_id)
    ensure(ops.is_committee_member(current_user))
    form = ReviewForm()
    if not form.validate_on_submit():
        return _version_page(version, review_form=form, status=400)
    on_refusal(lambda _error: _version_page(version, review_form=form, status=409))
    ops.review_version(version, current_user, decision=ReviewDecision(form.decision.data), comment=form.comment.data or "")
    flash(_("Review recorded."), "success")
    return redirect(url_for("syllabus.version", version_id=version.id))


@bp.get("/diff")
@login_required
def diff():
    old = _visible_version(int_arg("old", 0))
    new = _visible_version(int_arg("new", 0))
    return render_template("syllabus/diff.html", old=old, new=new, diff=ops.diff_versions(old, new))


@bp.route("/branches", methods=["GET", "POST"])
@login_required
def branches():
    form = BranchForm()
    form.area_id.choices = [(a.id, f"{a.code} {a.name}") for a in db.session.scalars(
        sa.select(Area).where(Area.level == AreaLevel.DISTRICT).order_by(Area.code))]
    if request.method == "POST":
        ensure(has_role(current_user, Role.ADMIN))
        if form.validate_on_submit():
            on_refusal(lambda _error: _branches_page(form))
            ops.create_branch(current_user, code=form.code.data.strip(), name=form.name.data.strip(),
                              area=db.session.get(Area, form.area_id.data))
            flash(_("Branch academy opened."), "success")
            return redirect(url_for("syllabus.branches"))
    return _branches_page(form)


def _branches_page(form):
    rows = db.session.scalars(sa.select(Branch).order_by(Branch.code)).all()
    return render_template("syllabus/branches.html", branches=rows, form=form,
                           may_manage=has_role(current_user, Role.ADMIN)), 400 if request.method == "POST" else 200


@bp.route("/trainers", methods=["GET", "POST"])
@require_role(Role.INSTRUCTOR, Role.HR)
def trainers():
    form = TrainerForm()
    form.user_id.choices = [(u.id, f"{u.display_name} ({u.username})") for u in db.session.scalars(
        sa.select(User).where(User.active.is_(True)).order_by(User.username)) if has_role(u, Role.INSTRUCTOR)]
    form.branch_id.choices = [(0, _("(city academy)"))] + [
        (b.id, b.name) for b in db.session.scalars(sa.select(Branch).order_by(Branch.code))]
    if request.method == "POST":
        ensure(has_role(current_user, Role.ADMIN))
        if form.validate_on_submit():
            on_refusal(lambda _error: _trainers_page(form))
            ops.add_trainer(db.session.get(User, form.user_id.data), current_user,
                            branch=db.session.get(Branch, form.branch_id.data) if form.branch_id.data else None,
                            qualifications=form.qualifications.data or "", specialties=split_codes(form.specialties.data))
            flash(_("Added to the trainer pool."), "success")
            return redirect(url_for("syllabus.trainers"))
    return _trainers_page(form)


def _trainers_page(form):
    rows = db.session.scalars(sa.select(Trainer).join(Trainer.user).order_by(User.username)).all()
    current = ops.current_version()
    titles = {u.code: u.title for u in current.units} if current else {}
    return render_template("syllabus/trainers.html", trainers=rows, form=form, titles=titles,
                           may_manage=has_role(current_user, Role.ADMIN)), 400 if request.method == "POST" else 200


@bp.route("/committee", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def committee():
    form = CommitteeForm()
    form.user_id.choices = [(u.id, f"{u.display_name} ({u.username})") for u in db.session.scalars(
        sa.select(User).where(User.active.is_(True)).order_by(User.username))]

    def page():
        members = db.session.scalars(sa.select(CommitteeMember).order_by(CommitteeMember.added_at)).all()
        return render_template("syllabus/committee.html", members=members, form=form,
                               required=ops.required_approvals()), 400 if request.method == "POST" else 200

    if form.validate_on_submit():
        on_refusal(lambda _error: page())
        ops.add_committee_member(db.session.get(User, form.user_id.data), current_user, title=form.title.data or "")
        flash(_("Added to the expert committee."), "success")
        return redirect(url_for("syllabus.committee"))
    return page()
