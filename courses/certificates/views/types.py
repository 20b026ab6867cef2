"""Certificate types: HR of any area reads them; city-wide HR and administrators keep them
(a type is one rule for the whole city, like the syllabus)."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.permissions import Role, ensure, get_or_404, require_role
from academy.web.actions import perform
from academy.web.cycle import on_refusal
from courses.certificates import access, queries, types
from courses.certificates.forms import RequirementForm, TypeForm
from courses.certificates.models import CertificateType, Requirement, RequirementKind
from courses.certificates.views import bp


def _kept_type(type_id) -> CertificateType:
    cert_type = get_or_404(CertificateType, type_id)
    ensure(access.can_keep_types(current_user))
    return cert_type


def _requirement_form() -> RequirementForm:
    courses = queries.courses(include_archived=False)
    return RequirementForm(courses=courses) if request.method == "POST" else RequirementForm(formdata=None, courses=courses)


@bp.get("/certificates/types")
@require_role(Role.HR)
def type_list():
    return render_template("certificates/types.html", types=queries.all_types(),
                           can_keep=access.can_keep_types(current_user))


def _type_page(cert_type: CertificateType | None, form: TypeForm, status: int = 200):
    return render_template("certificates/type_form.html", cert_type=cert_type, form=form,
                           requirement_form=_requirement_form() if cert_type else None), status


def _save(cert_type: CertificateType | None):
    templates = types.pdf_templates()
    form = TypeForm(obj=cert_type, templates=templates) if request.method == "GET" else TypeForm(templates=templates)
    if request.method == "GET" and cert_type is not None:
        form.kind.data = cert_type.kind.value
    elif request.method == "GET":
        form.renewal_window_days.data = current_app.config["CERTIFICATES_RENEWAL_WINDOW_DAYS"]
    if form.validate_on_submit():
        on_refusal(lambda _error: _type_page(cert_type, form, 400))
        cert_type = types.save_type(cert_type, current_user, **form.values())
        flash(_("Certificate type %(code)s saved.", code=cert_type.code), "success")
        return redirect(url_for("certificates.type_edit", type_id=cert_type.id))
    return _type_page(cert_type, form, 400 if request.method == "POST" else 200)


@bp.route("/certificates/types/new", methods=["GET", "POST"])
@require_role(Role.HR)
def type_new():
    ensure(access.can_keep_types(current_user))
    return _save(None)


@bp.route("/certificates/types/<int:type_id>/edit", methods=["GET", "POST"])
@require_role(Role.HR)
def type_edit(type_id: int):
    return _save(_kept_type(type_id))


@bp.post("/certificates/types/<int:type_id>/requirements")
@require_role(Role.HR)
def requirement_add(type_id: int):
    cert_type = _kept_type(type_id)
    form = _requirement_form()
    back = url_for("certificates.type_edit", type_id=cert_type.id)
    if not form.validate_on_submit():
        flash(_("Choose a requirement and a course; a percentage is 0 to 100."), "danger")
        return redirect(back), 303
    course = queries.course(form.course_id.data)
    if course is None:
        abort(400)
    return perform(lambda: types.add_requirement(cert_type, current_user, kind=RequirementKind(form.kind.data),
                                                 course=course, min_percent=form.min_percent.data),
                   done=_("Requirement added."), to=back)


@bp.post("/certificates/types/<int:type_id>/requirements/<int:requirement_id>/delete")
@require_role(Role.HR)
def requirement_remove(type_id: int, requirement_id: int):
    cert_type = _kept_type(type_id)
    requirement = get_or_404(Requirement, requirement_id)
    if requirement.type_id != cert_type.id:
        abort(404)
    return perform(lambda: types.remove_requirement(requirement, current_user),
                   done=_("Requirement removed."), to=url_for("certificates.type_edit", type_id=cert_type.id))
