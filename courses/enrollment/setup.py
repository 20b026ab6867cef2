"""Wire the enrollment package into an application: blueprint, navigation, worker-page section."""
from __future__ import annotations

from flask import Flask, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from academy.contributions import NavItem, contribute
from academy.permissions import Role, area_scopes, has_role
from courses.enrollment import queries
from courses.enrollment.labels import WORDS
from courses.enrollment.operations import today
from courses.enrollment.views import bp


def worker_training_section(worker, viewer) -> dict:
    """The training section of a worker's page (the registry's "worker_sections" slot):
    courses, hours, results, assigned training."""
    html = render_template("enrollment/_worker_section.html", worker=worker,
                           enrollments=queries.enrollments_of(worker), assignments=queries.assignments_of(worker),
                           today=today())
    return {"title": _("Training"), "html": Markup(html)}


def hr_home_section(user) -> Markup:
    """HR's home: how many in its scope are overdue, with the way to the list."""
    if not has_role(user, Role.HR):
        return Markup("")
    count = queries.overdue_count(area_scopes(user, Role.HR), today())
    return Markup(render_template("enrollment/_hr_home.html", overdue=count))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    contribute(app, "labels", WORDS)
    contribute(app, "nav", NavItem("enrollment.catalogue", _l("Courses"), tuple(Role)), order=410)
    contribute(app, "nav", NavItem("enrollment.my_training", _l("My training"), (Role.TRAINEE,), personal=True), order=415)
    contribute(app, "nav", NavItem("enrollment.mandatory", _l("Mandatory training"), (Role.HR,)), order=420)
    contribute(app, "nav", NavItem("enrollment.stats", _l("Training statistics"), (Role.HR, Role.VIEWER)), order=425)
    contribute(app, "worker_sections", worker_training_section, order=40)
    contribute(app, "home_sections", hr_home_section, order=20)
