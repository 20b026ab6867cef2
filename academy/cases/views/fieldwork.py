"""Patrol and visit pages for grid workers, and the daily compliance view for leaders."""
from __future__ import annotations

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from academy.cases import access, clock, labels, operations, queries
from academy.cases.calendar import calendar_snapshot
from academy.cases.forms import PatrolEndForm, PatrolStartForm, VisitForm
from academy.cases.models import Patrol, VisitPurpose
from academy.cases.people import grids_of
from academy.cases.views import bp
from academy.permissions import Role, area_scopes, ensure, get_or_404, has_role, require_role
from academy.registry.queries import worker_of_user
from academy.web.cycle import on_refusal

RECENT = 10  # the patrol page lists the latest ten of each; the daily compliance page has the rest


def _worker_or_403():
    worker = worker_of_user(current_user)
    ensure(worker is not None)
    return worker


def _fieldwork_page(worker, start_form=None, visit_form=None, status=200):
    grids = grids_of(worker)
    return render_template("cases/fieldwork.html", worker=worker, running=queries.open_patrol(worker),
                           patrols=queries.recent_patrols(worker, limit=RECENT),
                           visits=queries.recent_visits(worker, limit=RECENT), purpose_labels=labels.PURPOSE_LABELS,
                           start_form=start_form or PatrolStartForm(grids, formdata=None),
                           end_form=PatrolEndForm(formdata=None),
                           visit_form=visit_form or VisitForm(grids, formdata=None)), status


@bp.get("/patrols")
@require_role(Role.TRAINEE)
def fieldwork():
    return _fieldwork_page(_worker_or_403())


@bp.post("/patrols/start")
@require_role(Role.TRAINEE)
def start_patrol():
    worker = _worker_or_403()
    grids = {g.id: g for g in grids_of(worker)}
    form = PatrolStartForm(grids.values())
    if not form.validate_on_submit():
        return _fieldwork_page(worker, start_form=form, status=400)
    on_refusal(lambda _error: _fieldwork_page(worker, status=400))
    operations.start_patrol(worker, grids[form.grid.data], current_user)
    flash(_("Patrol started."), "success")
    return redirect(url_for("cases.fieldwork"))


@bp.post("/patrols/<int:patrol_id>/end")
@require_role(Role.TRAINEE)
def end_patrol(patrol_id: int):
    worker = _worker_or_403()
    patrol = get_or_404(Patrol, patrol_id)
    ensure(access.can_end_patrol(current_user, patrol))
    form = PatrolEndForm()
    if not form.validate_on_submit():
        return _fieldwork_page(worker, status=400)
    on_refusal(lambda _error: _fieldwork_page(worker, status=400))
    operations.end_patrol(patrol, current_user, form.note.data or "")
    flash(_("Patrol ended."), "success")
    return redirect(url_for("cases.fieldwork"))


@bp.post("/visits")
@require_role(Role.TRAINEE)
def record_visit():
    worker = _worker_or_403()
    grids = {g.id: g for g in grids_of(worker)}
    form = VisitForm(grids.values())
    if not form.validate_on_submit():
        return _fieldwork_page(worker, visit_form=form, status=400)
    on_refusal(lambda _error: _fieldwork_page(worker, status=400))
    operations.record_visit(worker, grids[form.grid.data], current_user, form.household.data,
                            VisitPurpose(form.purpose.data), form.notes.data or "")
    flash(_("Visit recorded."), "success")
    return redirect(url_for("cases.fieldwork"))


@bp.get("/patrols/compliance")
@require_role(Role.DISPATCHER, Role.VIEWER, Role.TRAINEE)
def compliance():
    """Patrols, patrol hours and visits per worker for one day, against the two-patrol standard."""
    try:
        day = date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        day = None
    calendar = calendar_snapshot()
    day = day or clock.now().astimezone(calendar.zone).date()
    # Leaders see every worker of their area; a worker sees his own row only.
    if has_role(current_user, Role.DISPATCHER, Role.VIEWER):
        rows = queries.compliance(day, calendar.zone, area_scopes(current_user, Role.DISPATCHER, Role.VIEWER))
    else:
        worker = _worker_or_403()
        rows = queries.compliance(day, calendar.zone, None, [worker.id])
    return render_template("cases/compliance.html", rows=rows, day=day, standard=queries.PATROLS_PER_DAY,
                           standard_minutes=queries.PATROL_MINUTES_PER_DAY)
