"""HR's annual in-service hours: what each area asks, each worker's progress this year, who is behind."""
from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.permissions import Role, area_scopes, require_role
from academy.registry.queries import area_by_code
from academy.web.cycle import on_refusal
from courses.enrollment import annual, queries
from courses.enrollment.forms import HoursFilterForm, HoursRequirementForm
from courses.enrollment.views import bp

PAGE_SIZE = 50


@bp.route("/training/hours", methods=["GET", "POST"])
@require_role(Role.HR)
def hours():
    filters = HoursFilterForm(request.args)
    year = filters.year.data if filters.validate() and filters.year.data else annual.current_year()
    form = HoursRequirementForm(areas=queries.hr_area_choices(current_user))

    def page():
        requirements = annual.requirements()
        areas = {r.area_code: area_by_code(r.area_code) for r in requirements}
        rows = annual.progress(area_scopes(current_user, Role.HR), year, behind_only=filters.behind.data)
        pages = max(1, -(-len(rows) // PAGE_SIZE))
        number = min(max(request.args.get("page", 1, type=int), 1), pages)
        return render_template(
            "enrollment/hours.html", filters=filters, form=form, year=year, rows=rows[(number - 1) * PAGE_SIZE:number * PAGE_SIZE],
            total=len(rows), behind=sum(1 for row in rows if row.behind), page=number, pages=pages,
            requirements=requirements, behind_only=filters.behind.data,
            area_names={code: area.name for code, area in areas.items() if area is not None},
        ), 400 if request.method == "POST" else 200

    if form.validate_on_submit():
        on_refusal(lambda _error: page())
        annual.set_requirement(form.area_code.data, form.hours.data, current_user)
        flash(_("Annual hours requirement saved."), "success")
        return redirect(url_for("enrollment.hours", year=year))
    return page()
