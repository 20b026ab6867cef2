"""Syllabus pages: versions and their unit tree, review, diff, branches, trainer pool, committee."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from academy.contributions import contributions
from academy.permissions import Role, ensure, get_or_404, has_role, require_role
from academy.registry.models import AreaLevel
from academy.registry.queries import areas_in_scope
from academy.web.actions import perform
from academy.web.cycle import on_refusal
from academy.web.paging import int_arg
from courses.syllabus import access, operations, queries
from courses.syllabus.forms import (
    ActionForm,
    BranchForm,
    CommitteeForm,
    ReviewForm,
    TrainerEditForm,
    TrainerForm,
    UnitForm,
    VersionForm,
    split_codes,
)
from courses.syllabus.labels import STATUS_LABELS
from courses.syllabus.models import ReviewDecision, SyllabusUnit, SyllabusVersion, Trainer, VersionStatus

bp = Blueprint("syllabus", __name__, url_prefix="/syllabus")

@bp.app_context_processor
def _labels():
    return {"version_status_label": lambda status: STATUS_LABELS[VersionStatus(status)]}


def _visible_version(version_id: int) -> SyllabusVersion:
    version = get_or_404(SyllabusVersion, version_id)
    if not access.can_see_version(current_user, version):
        abort(404)
    return version


@bp.get("")
@login_required
def index():
    versions = [v for v in queries.versions(newest_first=True) if access.can_see_version(current_user, v)]
    return render_template("syllabus/index.html", versions=versions, current=queries.current_version(),
                           form=VersionForm(formdata=None), may_edit=access.can_edit(current_user))


@bp.post("/versions")
@require_role(Role.INSTRUCTOR)
def new_version():
    form = VersionForm()
    if not form.validate_on_submit():
        flash(_("A title is needed (at most 200 characters)."), "danger")
        return redirect(url_for("syllabus.index")), 303
    version = operations.create_version(current_user, title=form.title.data.strip(), notes=form.notes.data or "")
    flash(_("Draft version %(n)d created.", n=version.number), "success")
    return redirect(url_for("syllabus.version", version_id=version.id))


def _version_page(version: SyllabusVersion, review_form=None, status: int = 200):
    return render_template(
        "syllabus/version.html", version=version, may_edit=access.can_edit(current_user),
        is_member=queries.is_committee_member(current_user), required=operations.required_approvals(),
        review_form=review_form or ReviewForm(formdata=None), action_form=ActionForm(formdata=None),
        others=[v for v in queries.versions() if v.id != version.id],
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
        operations.add_unit(version, current_user, **values)
    else:
        operations.update_unit(unit, current_user, **values)
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
    return _act(unit.version, lambda: operations.remove_unit(unit, current_user), _("Unit removed."))


@bp.post("/versions/<int:version_id>/submit")
@require_role(Role.INSTRUCTOR)
def submit(version_id: int):
    version = get_or_404(SyllabusVersion, version_id)
    return _act(version, lambda: operations.submit_for_review(version, current_user), _("Sent to the expert committee."))


@bp.post("/versions/<int:version_id>/publish")
@require_role(Role.INSTRUCTOR)
def publish(version_id: int):
    version = get_or_404(SyllabusVersion, version_id)
    return _act(version, lambda: operations.publish_version(version, current_user), _("Version published; it is now current."))


@bp.post("/versions/<int:version_id>/review")
@login_required
def review(version_id: int):
    version = _visible_version(version_id)
    ensure(queries.is_committee_member(current_user))
    form = ReviewForm()
    if not form.validate_on_submit():
        return _version_page(version, review_form=form, status=400)
    on_refusal(lambda _error: _version_page(version, review_form=form, status=409))
    operations.review_version(version, current_user, decision=ReviewDecision(form.decision.data), comment=form.comment.data or "")
    flash(_("Review recorded."), "success")
    return redirect(url_for("syllabus.version", version_id=version.id))


@bp.get("/diff")
@login_required
def diff():
    old = _visible_version(int_arg("old", 0))
    new = _visible_version(int_arg("new", 0))
    return render_template("syllabus/diff.html", old=old, new=new, diff=queries.diff_versions(old, new))


@bp.route("/branches", methods=["GET", "POST"])
@login_required
def branches():
    form = BranchForm(areas_in_scope(None, (AreaLevel.DISTRICT,)))
    if request.method == "POST":
        ensure(access.can_manage(current_user))
        if form.validate_on_submit():
            on_refusal(lambda _error: _branches_page(form))
            operations.create_branch(current_user, code=form.code.data.strip(), name=form.name.data.strip(),
                                     area=form.chosen_area())
            flash(_("Branch academy opened."), "success")
            return redirect(url_for("syllabus.branches"))
    return _branches_page(form)


def _branches_page(form):
    return render_template("syllabus/branches.html", branches=queries.branches(), form=form,
                           may_manage=access.can_manage(current_user)), 400 if request.method == "POST" else 200


@bp.route("/trainers", methods=["GET", "POST"])
@require_role(Role.INSTRUCTOR, Role.HR)
def trainers():
    form = TrainerForm([u for u in queries.active_users() if has_role(u, Role.INSTRUCTOR)], queries.branches())
    if request.method == "POST":
        ensure(access.can_manage(current_user))
        if form.validate_on_submit():
            on_refusal(lambda _error: _trainers_page(form))
            operations.add_trainer(form.chosen_user(), current_user, branch=form.chosen_branch(),
                                   qualifications=form.qualifications.data or "",
                                   specialties=split_codes(form.specialties.data))
            flash(_("Added to the trainer pool."), "success")
            return redirect(url_for("syllabus.trainers"))
    return _trainers_page(form)


@bp.route("/trainers/<int:trainer_id>", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def trainer_edit(trainer_id: int):
    trainer = get_or_404(Trainer, trainer_id)
    form = TrainerEditForm(queries.branches(), obj=trainer)
    if request.method == "GET":
        form.branch_id.data, form.specialties.data = trainer.branch_id or 0, ", ".join(trainer.specialties or [])

    def page():
        return render_template("syllabus/trainer_edit.html", trainer=trainer, form=form, action_form=ActionForm(formdata=None),
                               titles=queries.unit_titles(), teaching=_teaching()), 400 if request.method == "POST" else 200

    if form.validate_on_submit():
        on_refusal(lambda _error: page())
        operations.update_trainer(trainer, current_user, branch=form.chosen_branch(), qualifications=form.qualifications.data or "",
                                  specialties=split_codes(form.specialties.data))
        flash(_("Trainer saved."), "success")
        return redirect(url_for("syllabus.trainers"))
    return page()


@bp.post("/trainers/<int:trainer_id>/active")
@require_role(Role.ADMIN)
def trainer_active(trainer_id: int):
    trainer = get_or_404(Trainer, trainer_id)
    if not ActionForm().validate_on_submit() or request.args.get("to") not in ("0", "1"):
        abort(400)
    active = request.args["to"] == "1"
    return perform(lambda: operations.set_trainer_active(trainer, current_user, active=active),
                   done=_("The trainer is active again.") if active else _("The trainer is deactivated; his courses keep him."),
                   to=url_for("syllabus.trainers"))


def _teaching() -> dict:
    """What the ``trainer_teaching`` slot (enrollment) tells of each instructor: year, hours, effect link."""
    return next((provider() for provider in contributions("trainer_teaching")), None)


def _trainers_page(form):
    return render_template("syllabus/trainers.html", trainers=queries.trainers(), form=form, teaching=_teaching(),
                           titles=queries.unit_titles(), may_manage=access.can_manage(current_user)), 400 if request.method == "POST" else 200


@bp.route("/committee", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def committee():
    form = CommitteeForm(queries.active_users())

    def page():
        return render_template("syllabus/committee.html", members=queries.committee_members(), form=form,
                               required=operations.required_approvals()), 400 if request.method == "POST" else 200

    if form.validate_on_submit():
        on_refusal(lambda _error: page())
        operations.add_committee_member(form.chosen_user(), current_user, title=form.title.data or "")
        flash(_("Added to the expert committee."), "success")
        return redirect(url_for("syllabus.committee"))
    return page()
