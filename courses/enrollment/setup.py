"""Wire the enrollment package into an application: blueprint, navigation, worker-page section, the
standing rules' signals (``worker_record_changed``, ``worker_status_changed``) and daily sweep."""
from __future__ import annotations

import click
from flask import Flask, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from academy.cli import academy_cli
from academy.contributions import NavItem, contribute
from academy.extensions import db
from academy.permissions import Role, area_scopes, has_role
from academy.registry.signals import worker_record_changed, worker_status_changed
from academy.signals import connect
from courses.enrollment import annual, queries, standing
from courses.enrollment.labels import WORDS
from courses.enrollment.operations import today
from courses.enrollment.views import bp


def worker_training_section(worker, viewer) -> dict:
    """The training section of a worker's page (the registry's "worker_sections" slot):
    courses, hours, results, assigned training."""
    year = annual.current_year()
    html = render_template("enrollment/_worker_section.html", worker=worker,
                           enrollments=queries.enrollments_of(worker), assignments=queries.assignments_of(worker),
                           today=today(), hours=annual.worker_progress(worker, year), year=year)
    return {"title": _("Training"), "html": Markup(html)}


def hr_home_section(user) -> Markup:
    """HR's home: how many in its scope are overdue, with the way to the list."""
    if not has_role(user, Role.HR):
        return Markup("")
    scopes = area_scopes(user, Role.HR)
    return Markup(render_template("enrollment/_hr_home.html", overdue=queries.overdue_count(scopes, today()),
                                  taken_back=queries.taken_back_count(scopes)))


@click.command("training-sweep")
def sweep_command() -> None:
    """Apply every standing mandatory rule to everyone (run daily from cron, after midnight)."""
    result = standing.sweep()
    db.session.commit()
    click.echo(f"{result.assigned} assigned, {result.removed} open assignments removed, {result.failed} failed.")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    contribute(app, "labels", WORDS)
    contribute(app, "nav", NavItem("enrollment.catalogue", _l("Courses"), tuple(Role)), order=410)
    contribute(app, "nav", NavItem("enrollment.my_training", _l("My training"), (Role.TRAINEE,), personal=True), order=415)
    contribute(app, "nav", NavItem("enrollment.mandatory", _l("Mandatory training"), (Role.HR,)), order=420)
    contribute(app, "nav", NavItem("enrollment.hours", _l("Annual in-service hours"), (Role.HR,)), order=422)
    contribute(app, "nav", NavItem("enrollment.stats", _l("Training statistics"), (Role.HR, Role.VIEWER)), order=425)
    contribute(app, "worker_sections", worker_training_section, order=40)
    contribute(app, "home_sections", hr_home_section, order=20)
    connect(app, worker_record_changed, standing.on_worker_changed)
    connect(app, worker_status_changed, standing.on_worker_changed)
    if "training-sweep" not in academy_cli.commands:
        academy_cli.add_command(sweep_command)
