"""The lists the registry exports: a sheet title, headers and rows of grids, workers, assignments,
departments and the staffing table. ID numbers are exported masked.

Grids and workers are exported in the import template's layout and headers (``sheets.GRIDS``,
``sheets.WORKERS``), so the file can be edited and imported again; a worker is then found by his
worker number, as his ID number is masked. The other lists have no import and speak the reader's
language."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import pgettext

from academy.extensions import db
from academy.registry import labels
from academy.registry.coverage import coverage_report
from academy.registry.exchange.sheets import GRIDS, WORKERS
from academy.registry.queries import assignments_query, departments_query, grids_query, workers_query

KINDS = ("grids", "workers", "assignments", "departments", "staffing")


def grids(scopes) -> tuple[str, list[str], list[list]]:
    headers = [c.header for c in GRIDS.columns]
    rows = [[g.code, g.name, labels.label(g.kind), labels.label(g.unit_type), g.households, g.residents,
             g.boundary_east, g.boundary_south, g.boundary_west, g.boundary_north, g.responsible_unit,
             g.valid_from, g.valid_to, g.community.full_name] for g in db.session.scalars(grids_query(scopes, state="all"))]
    return _("Grids"), headers, rows


def workers(scopes) -> tuple[str, list[str], list[list]]:
    headers = [c.header for c in WORKERS.columns]
    rows = [[w.number, w.id_number_masked, w.name, labels.label(w.gender), w.phone, labels.label(w.education),
             labels.label(w.political_status), labels.label(w.employment), w.area.code, w.hired_on, w.birth_date,
             labels.label(w.status), w.area.full_name, w.exited_on] for w in db.session.scalars(workers_query(scopes))]
    return _("Grid workers"), headers, rows


def assignments(scopes) -> tuple[str, list[str], list[list]]:
    headers = [_("Grid code"), _("Grid name"), _("Worker number"), pgettext("person", "Name"), _("Role"), _("Starts on"),
               _("Ends on"), _("Phone")]
    rows = [[a.grid.code, a.grid.name, a.worker.number, a.worker.name, labels.label(a.role), a.starts_on,
             a.ends_on, a.worker.phone] for a in db.session.scalars(assignments_query(scopes, current_only=False))]
    return _("Assignments"), headers, rows


def departments(scopes) -> tuple[str, list[str], list[list]]:
    headers = [_("Code"), _("Name"), _("Area served"), _("Active")]
    rows = [[d.code, d.name, d.area.full_name or d.area.name, _("yes") if d.active else _("no")]
            for d in db.session.scalars(departments_query(scopes))]
    return _("Departments"), headers, rows


def staffing(scopes) -> tuple[str, list[str], list[list]]:
    headers = [_("District"), _("Grids"), _("Full-time workers"), _("Workers per grid"), _("Vacancies"),
               _("Households"), _("Households per worker")]
    rows = [[row.name, row.grids, row.full_time, round(row.ratio, 2), row.vacancies, row.households,
             row.households_per_worker] for row in coverage_report(scopes)["staffing"]]
    return _("Staffing"), headers, rows


def listing(kind: str, scopes) -> tuple[str, list[str], list[list]]:
    """The sheet title, headers and rows of one exportable list, within ``scopes``."""
    return {"grids": grids, "workers": workers, "assignments": assignments, "departments": departments,
            "staffing": staffing}[kind](scopes)
