"""Wire the enrollment package into an application: blueprint, navigation, worker-page section."""
from __future__ import annotations

from flask import Flask, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from academy.contributions import NavItem, Tally, WorkCount, contribute
from academy.permissions import Role, area_scopes
from courses.enrollment import queries
from courses.enrollment.operations import today
from courses.enrollment.views import bp


def worker_training_section(worker, viewer) -> dict:
    """The training section of a worker's page (the registry's "worker_sections" slot):
    courses, hours, results, assigned training."""
    html = render_template("enrollment/_worker_section.html", worker=worker,
                           enrollments=queries.enrollments_of(worker), assignments=queries.assignments_of(worker),
                           today=today())
    return {"title": _("Training"), "html": Markup(html)}


def overdue_tally(user) -> Tally:
    """HR's workbench: workers in its scope overdue with mandatory training."""
    return Tally(queries.overdue_count(area_scopes(user, Role.HR), today()), url_for("enrollment.overdue"))


def extensions_tally(user) -> Tally:
    """HR's workbench: extension requests in its scope awaiting a decision (listed under the overdue)."""
    return Tally(queries.requested_extensions_count(area_scopes(user, Role.HR)),
                 url_for("enrollment.overdue", _anchor="extension-requests"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    contribute(app, "nav", NavItem("enrollment.catalogue", _l("Courses"), tuple(Role),
               group="teaching", icon="book"), order=410)
    contribute(app, "nav", NavItem("enrollment.my_training", _l("My training"), (Role.TRAINEE,), personal=True,
               group="teaching", icon="mortarboard"), order=415)
    contribute(app, "nav", NavItem("enrollment.mandatory", _l("Mandatory training"), (Role.HR,),
               group="teaching", icon="calendar-check",
               badge="enrollment.overdue"), order=420)
    contribute(app, "nav", NavItem("enrollment.stats", _l("Training statistics"), (Role.HR, Role.VIEWER),
               group="teaching", icon="graph-up"), order=425)
    contribute(app, "worker_sections", worker_training_section, order=40)
    contribute(app, "work", WorkCount("enrollment.overdue", _l("Overdue mandatory training"), (Role.HR,),
                                      overdue_tally, group="teaching", icon="calendar-x", tone="danger"), order=420)
    contribute(app, "work", WorkCount("enrollment.extensions", _l("Extension requests"), (Role.HR,),
                                      extensions_tally, group="teaching", icon="calendar-plus"), order=421)
