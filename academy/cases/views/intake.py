"""Intake pages: the grid worker's phone form and the hotline operator's form.

A double submit carries the same submission key, so it finds the case the first one filed
(even when both arrive at once: the key is unique in the database) instead of filing twice.
"""
from __future__ import annotations

import sqlalchemy as sa
from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from academy.cases import operations as ops
from academy.cases import queries
from academy.cases.forms import HotlineForm, WorkerReportForm
from academy.cases.models import Case, Category, Channel
from academy.cases.operations.fieldwork import open_patrol
from academy.cases.people import grids_of
from academy.cases.views import bp
from academy.extensions import db
from academy.permissions import Role, area_scopes, ensure, require_role, scope_clause
from academy.registry.models import Area, AreaLevel, Grid
from academy.registry.queries import worker_of_user
from academy.web.cycle import on_refusal

MAX_PLACES = 1000


def active_categories() -> list[Category]:
    """The categories a report may take: active ones without active subcategories."""
    rows = list(db.session.scalars(sa.select(Category).where(Category.active).order_by(Category.code)))
    parents = {c.parent_id for c in rows if c.parent_id}
    return [c for c in rows if c.id not in parents]


def _existing(key: str | None) -> Case | None:
    return db.session.scalar(sa.select(Case).where(Case.submission_key == key)) if key else None


def _file(report: ops.Report, template: str, form, **context):
    """File the report once; a repeated or concurrent submit leads to the case already filed."""
    existing = _existing(report.submission_key)
    if existing is None:
        on_refusal(lambda _error: (render_template(template, form=form, **context), 400))
        try:
            # A savepoint: a concurrent submit of the same report loses only this insert, not the request.
            with db.session.begin_nested():
                case = ops.report_case(report, current_user)
        except IntegrityError:
            existing = _existing(report.submission_key)
            if existing is None:
                raise
    if existing is not None:
        flash(_("This report was already filed as case %(number)s.", number=existing.number), "info")
        return redirect(url_for("cases.show", case_id=existing.id))
    flash(_("Case %(number)s filed.", number=case.number), "success")
    return redirect(url_for("cases.show", case_id=case.id))


@bp.route("/cases/report", methods=["GET", "POST"])
@require_role(Role.TRAINEE)
def report():
    worker = worker_of_user(current_user)
    ensure(worker is not None)
    grids = grids_of(worker)
    form = WorkerReportForm(active_categories(), grids)
    if not form.validate_on_submit():
        return render_template("cases/report.html", form=form, similar=[]), 400 if form.errors else 200
    grid = next(g for g in grids if g.id == form.grid.data)
    text = f"{form.title.data} {form.description.data}"
    similar = [] if form.file_anyway.data else queries.similar_open_cases(grid.id, form.category.data, text)
    if similar and not _existing(form.submission_key.data):
        flash(_("Similar open cases exist. Link your report to one of them, or tick the box to file a new case."),
              "warning")
        return render_template("cases/report.html", form=form, similar=similar), 200
    patrol = open_patrol(worker)
    report_ = ops.Report(
        category=db.session.get(Category, form.category.data), title=form.title.data, description=form.description.data,
        channel=Channel.WORKER, grid=grid, location=form.location.data or "", latitude=form.latitude.data,
        longitude=form.longitude.data, worker=worker, patrol_id=patrol.id if patrol and patrol.grid_id == grid.id else None,
        submission_key=form.submission_key.data, photos=form.photo_data, handled_on_spot=form.handled_on_spot.data)
    return _file(report_, "cases/report.html", form, similar=[])


def hotline_places(user) -> list[tuple[str, str]]:
    """Grids, communities and streets in the operator's area, as choices "g:<id>" / "a:<code>"."""
    scopes = area_scopes(user, Role.DISPATCHER)
    areas = db.session.scalars(sa.select(Area).where(
        Area.level.in_([AreaLevel.STREET, AreaLevel.COMMUNITY]), scope_clause(Area.code, scopes)
    ).order_by(Area.code).limit(MAX_PLACES))
    grids = db.session.scalars(sa.select(Grid).where(Grid.valid_to.is_(None), scope_clause(Grid.code, scopes))
                               .order_by(Grid.code).limit(MAX_PLACES))
    return [(f"a:{a.code}", f"{a.code} {a.name}") for a in areas] + [(f"g:{g.id}", f"{g.code} {g.name}") for g in grids]


@bp.route("/cases/hotline", methods=["GET", "POST"])
@require_role(Role.DISPATCHER)
def hotline():
    places = hotline_places(current_user)
    form = HotlineForm(active_categories(), places)
    if not form.validate_on_submit():
        return render_template("cases/hotline.html", form=form), 400 if form.errors else 200
    kind, _sep, value = form.place.data.partition(":")
    grid = db.session.get(Grid, int(value)) if kind == "g" and value.isdigit() else None
    report_ = ops.Report(
        category=db.session.get(Category, form.category.data), title=form.title.data, description=form.description.data,
        channel=Channel.HOTLINE, grid=grid, area_code=value if kind == "a" else "", location=form.location.data or "",
        resident_name=form.resident_name.data or "", resident_phone=form.resident_phone.data or "",
        resident_email=form.resident_email.data or "", submission_key=form.submission_key.data)
    return _file(report_, "cases/hotline.html", form)
