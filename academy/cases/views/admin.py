"""Administrators' pages: the category tree, the working calendar and its holidays, and who
acts for which department."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.cases import operations, queries
from academy.cases.calendar import work_calendar
from academy.cases.forms import CalendarForm, CategoryFieldForm, CategoryForm, HolidayForm, MemberForm
from academy.cases.models import Category, DepartmentMember, Holiday
from academy.cases.queries import open311
from academy.cases.views import bp
from academy.permissions import Role, get_or_404, require_role
from academy.registry.models import Department
from academy.web.cycle import on_refusal


@bp.get("/cases/admin/categories")
@require_role(Role.ADMIN)
def categories():
    roots = queries.root_categories()
    return render_template("cases/categories.html", roots=roots)


@bp.route("/cases/admin/categories/new", methods=["GET", "POST"])
@bp.route("/cases/admin/categories/<int:category_id>", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def category(category_id: int | None = None):
    item = get_or_404(Category, category_id) if category_id is not None else None
    form = CategoryForm(queries.root_categories(item), obj=item)
    if form.validate_on_submit():
        on_refusal(lambda _error: _category_page(form, item, status=400))
        operations.save_category(item, current_user, **form.values())
        flash(_("Saved."), "success")
        return redirect(url_for("cases.categories"))
    return _category_page(form, item, status=400 if form.errors else 200)


def _category_page(form, item: Category | None, field_form=None, status: int = 200):
    fields = open311.fields_of(item, retired=True) if item is not None else []
    return render_template("cases/category.html", form=form, item=item, fields=fields,
                           field_form=field_form or CategoryFieldForm(formdata=None)), status


@bp.post("/cases/admin/categories/<int:category_id>/fields")
@require_role(Role.ADMIN)
def add_category_field(category_id: int):
    item = get_or_404(Category, category_id)
    field_form = CategoryFieldForm()
    page_form = CategoryForm(queries.root_categories(item), obj=item, formdata=None)
    if not field_form.validate_on_submit():
        return _category_page(page_form, item, field_form, status=400)
    on_refusal(lambda _error: _category_page(page_form, item, field_form, status=400))
    operations.add_category_field(item, current_user, **field_form.values())
    flash(_("Field added: civic apps are asked it for this category."), "success")
    return redirect(url_for("cases.category", category_id=item.id))


@bp.post("/cases/admin/categories/<int:category_id>/fields/<int:field_id>/retire")
@require_role(Role.ADMIN)
def retire_category_field(category_id: int, field_id: int):
    item = get_or_404(Category, category_id)
    field = open311.category_field(item, field_id)
    if field is None:
        abort(404)
    operations.retire_category_field(field, current_user)
    flash(_("Field retired: it is no longer asked; the answers cases hold stay."), "success")
    return redirect(url_for("cases.category", category_id=item.id))


def _calendar_page(form=None, holiday_form=None, status=200):
    return render_template("cases/calendar.html", form=form or CalendarForm(obj=work_calendar()),
                           holiday_form=holiday_form or HolidayForm(formdata=None),
                           holidays=queries.holidays()), status


@bp.route("/cases/admin/calendar", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def calendar():
    form = CalendarForm(obj=work_calendar())
    if not form.validate_on_submit():
        return _calendar_page(form, status=400 if form.errors else 200)
    on_refusal(lambda _error: _calendar_page(form, status=400))
    operations.save_calendar(current_user, work_start=form.work_start.data, work_end=form.work_end.data,
                             weekend_days=form.weekend_days.data, red_card_multiple=form.red_card_multiple.data,
                             accept_limit_hours=form.accept_limit_hours.data, verify_limit_days=form.verify_limit_days.data)
    flash(_("Saved."), "success")
    return redirect(url_for("cases.calendar"))


@bp.post("/cases/admin/holidays")
@require_role(Role.ADMIN)
def add_holiday():
    form = HolidayForm()
    if not form.validate_on_submit():
        return _calendar_page(holiday_form=form, status=400)
    operations.set_holiday(current_user, form.day.data, form.name.data, form.working.data)
    flash(_("Saved."), "success")
    return redirect(url_for("cases.calendar"))


@bp.post("/cases/admin/holidays/<int:holiday_id>/remove")
@require_role(Role.ADMIN)
def remove_holiday(holiday_id: int):
    operations.remove_holiday(current_user, get_or_404(Holiday, holiday_id))
    flash(_("Removed."), "success")
    return redirect(url_for("cases.calendar"))


def _members_page(form=None, status=200):
    form = form or MemberForm(queries.departments(), formdata=None)
    return render_template("cases/members.html", form=form, members=queries.department_members()), status


@bp.route("/cases/admin/members", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def members():
    form = MemberForm(queries.departments())
    if not form.validate_on_submit():
        return _members_page(form, status=400 if form.errors else 200)
    # The username is validated against the accounts here, not in the form: the form checks its shape only.
    user = queries.user_by_username(form.username.data)
    if user is None:
        form.username.errors.append(_("No such user."))
        return _members_page(form, status=400)
    on_refusal(lambda _error: _members_page(form, status=400))
    operations.add_department_member(current_user, user, get_or_404(Department, form.department.data))
    flash(_("Saved."), "success")
    return redirect(url_for("cases.members"))


@bp.post("/cases/admin/members/<int:member_id>/remove")
@require_role(Role.ADMIN)
def remove_member(member_id: int):
    operations.remove_department_member(current_user, get_or_404(DepartmentMember, member_id))
    flash(_("Removed."), "success")
    return redirect(url_for("cases.members"))
