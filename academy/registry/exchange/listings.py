"""The lists the registry exports: headers and rows of grids, workers, assignments, departments
and the staffing table, in the reader's language. ID numbers are exported masked."""
from __future__ import annotations

from flask_babel import gettext as _

from academy.extensions import db
from academy.registry import labels
from academy.registry.coverage import coverage_report
from academy.registry.queries import assignments_query, departments_query, grids_query, workers_query

KINDS = ("grids", "workers", "assignments", "departments", "staffing")


def grids(scopes) -> tuple[list[str], list[list]]:
    headers = [_("Grid code"), _("Grid name"), _("Kind"), _("Unit type"), _("Community"), _("Households"),
               _("Residents"), _("East"), _("South"), _("West"), _("North"), _("Responsible unit"),
               _("Valid from"), _("Valid to")]
    rows = [[g.code, g.name, labels.label(g.kind), labels.label(g.unit_type), g.community.full_name, g.households,
             g.residents, g.boundary_east, g.boundary_south, g.boundary_west, g.boundary_north, g.responsible_unit,
             g.valid_from, g.valid_to] for g in db.session.scalars(grids_query(scopes, state="all"))]
    return headers, rows


def workers(scopes) -> tuple[list[str], list[list]]:
    headers = [_("Worker number"), _("Name"), _("Gender"), _("Date of birth"), _("National ID number"), _("Phone"),
               _("Education"), _("Political status"), _("Employment"), _("Status"), _("Area"), _("Hired on"),
               _("Exited on")]
    rows = [[w.number, w.name, labels.label(w.gender), w.birth_date, w.id_number_masked, w.phone,
             labels.label(w.education), labels.label(w.political_status), labels.label(w.employment),
             labels.label(w.status), w.area.full_name, w.hired_on, w.exited_on]
            for w in db.session.scalars(workers_query(scopes))]
    return headers, rows


def assignments(scopes) -> tuple[list[str], list[list]]:
    headers = [_("Grid code"), _("Grid name"), _("Worker number"), _("Name"), _("Role"), _("Starts on"),
               _("Ends on"), _("Phone")]
    rows = [[a.grid.code, a.grid.name, a.worker.number, a.worker.name, labels.label(a.role), a.starts_on,
             a.ends_on, a.worker.phone] for a in db.session.scalars(assignments_query(scopes, current_only=False))]
    return headers, rows


def departments(scopes) -> tuple[list[str], list[list]]:
    headers = [_("Code"), _("Name"), _("Area served"), _("Active")]
    rows = [[d.code, d.name, d.area.full_name or d.area.name, _("yes") if d.active else _("no")]
            for d in db.session.scalars(departments_query(scopes))]
    return headers, rows


def staffing(scopes) -> tuple[list[str], list[list]]:
    headers = [_("District"), _("Grids"), _("Full-time workers"), _("Workers per grid"), _("Vacancies"),
               _("Households"), _("Households per worker")]
    rows = [[row.name, row.grids, row.full_time, round(row.ratio, 2), row.vacancies, row.households,
             row.households_per_worker] for row in coverage_report(scopes)["staffing"]]
    return headers, rows


def listing(kind: str, scopes) -> tuple[list[str], list[list]]:
    return {"grids": grids, "workers": workers, "assignments": assignments, "departments": departments,
            "staffing": staffing}[kind](scopes)
