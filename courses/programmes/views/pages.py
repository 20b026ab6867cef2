"""Programme pages: the list, one programme (its courses and, for HR, who is where), creating and
changing one, and HR's bulk enrolment through the counting confirmation."""
from __future__ import annotations

from types import SimpleNamespace

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from academy.permissions import Role, area_scopes, get_or_404, require_role
from academy.web import previews
from academy.web.cycle import on_refusal
from academy.web.errors import json_endpoint
from courses.enrollment import training
from courses.enrollment.queries import hr_area_choices
from courses.programmes import access, operations, queries
from courses.programmes.forms import PlacesFilterForm, ProgrammeForm, ProgrammePopulationForm
from courses.programmes.models import Programme, ProgrammeGoal
from courses.programmes.views import bp

KEEPERS = (Role.HR, Role.INSTRUCTOR)


@bp.get("/programmes")
@require_role(*KEEPERS)
def index():
    return render_template("programmes/index.html", programmes=queries.programmes())


def _edit(programme: Programme | None):
    form = ProgrammeForm(obj=programme, courses=queries.course_choices())
    if programme is not None and request.method == "GET":
        for field, course in zip(form.course_fields, programme.courses, strict=False):
            field.data = course.id

    def page():
        return render_template("programmes/form.html", form=form, programme=programme), \
            400 if request.method == "POST" else 200

    if form.validate_on_submit():
        on_refusal(lambda _error: page())
        saved = operations.save_programme(
            programme, current_user, code=form.code.data, title=form.title.data, goal=ProgrammeGoal(form.goal.data),
            description=form.description.data or "", courses=queries.courses_in_order(form.chosen_ids()))
        flash(_("Programme saved."), "success")
        return redirect(url_for("programmes.programme", programme_id=saved.id))
    return page()


@bp.route("/programmes/new", methods=["GET", "POST"])
@require_role(*KEEPERS)
def new():
    return _edit(None)


@bp.route("/programmes/<int:programme_id>/edit", methods=["GET", "POST"])
@require_role(*KEEPERS)
def edit(programme_id: int):
    return _edit(get_or_404(Programme, programme_id))


@bp.get("/programmes/<int:programme_id>")
@require_role(*KEEPERS)
def programme(programme_id: int):
    programme = get_or_404(Programme, programme_id)
    context = {"programme": programme, "places": None}
    if access.can_see_places(current_user):
        filters = PlacesFilterForm(request.args, courses=programme.courses)
        valid = filters.validate()
        scopes = area_scopes(current_user, Role.HR)
        position = filters.position.data if valid and filters.position.data is not None and filters.position.data >= 0 else None
        page = (filters.page.data or 1) if valid else 1
        rows, total = queries.places(programme, scopes, area_code=(filters.area.data or "") if valid else "",
                                     position=position, page=page)
        pages = max(1, -(-total // queries.PAGE_SIZE))
        args = {k: v for k, v in request.args.items() if k != "page"}
        context.update(filters=filters, places=rows, total=total, pager=_pager(page, pages),
                       page_url=lambda n: url_for("programmes.programme", programme_id=programme.id, **args, page=n),
                       counts=queries.counts_by_position(programme, scopes),
                       form=ProgrammePopulationForm(formdata=None, areas=hr_area_choices(current_user)))
        if not valid:
            return render_template("programmes/programme.html", **context), 400
    return render_template("programmes/programme.html", **context)


def _pager(page: int, pages: int) -> SimpleNamespace:
    return SimpleNamespace(page=page, pages=pages, has_prev=page > 1, has_next=page < pages,
                           prev_num=page - 1, next_num=page + 1)


def _population(form) -> training.Population:
    return training.Population(area_code=form.area_code.data, grid_id=form.grid_id.data,
                               employment=form.employment.data, status=form.status.data)


@bp.post("/programmes/<int:programme_id>/enrol")
@require_role(Role.HR)
def bulk_enrol(programme_id: int):
    programme = get_or_404(Programme, programme_id)
    form = ProgrammePopulationForm(areas=hr_area_choices(current_user))
    back = url_for("programmes.programme", programme_id=programme.id)
    if not form.validate_on_submit():
        flash(_("Choose whom to enrol: %(errors)s", errors="; ".join(
            f"{form[name].label.text}: {errors[0]}" for name, errors in form.errors.items())), "danger")
        return redirect(back), 303
    if not previews.confirmed():
        return previews.ask_first(_bulk_preview(programme, form), title=_("Enrol a group in this programme"), back=back)
    on_refusal(lambda _error: (redirect(back), 303))
    result = operations.bulk_enrol(programme, _population(form), current_user)
    flash(_("%(a)d enrolled in the programme, %(b)d were in it already, %(c)d skipped.", a=result.enrolled,
            b=result.already, c=len(result.skipped)), "success")
    for line in result.skipped[:10]:
        flash(line, "warning")
    return redirect(back)


@bp.get("/programmes/<int:programme_id>/enrol/preview")
@require_role(Role.HR)
@json_endpoint
def bulk_preview(programme_id: int):
    """How many workers the bulk form's selection names, for its confirmation."""
    programme = get_or_404(Programme, programme_id)
    form = ProgrammePopulationForm(request.args, areas=hr_area_choices(current_user), meta={"csrf": False})
    previews.refuse_invalid(form)
    return previews.as_json(_bulk_preview(programme, form))


def _bulk_preview(programme: Programme, form: ProgrammePopulationForm) -> previews.Preview:
    """How many workers the selection enrols in ``programme`` (the dialog and the confirmation page say it)."""
    return previews.count(lambda: training.population_size(_population(form), current_user),
                          lambda n: ngettext("Enrol %(num)d grid worker in the programme %(title)s? Each starts on the first "
                                             "course he has not completed; those already in it are skipped.",
                                             "Enrol %(num)d grid workers in the programme %(title)s? Each starts on the first "
                                             "course he has not completed; those already in it are skipped.", n,
                                             title=programme.title),
                          training.MAX_POPULATION)
