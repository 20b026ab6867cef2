"""Wire the enrollment package into an application: blueprint, navigation, worker-page section, the
standing rules' signals (``worker_record_changed``, ``worker_status_changed``) and daily sweep."""
from __future__ import annotations

import click
from flask import Flask, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from academy.cli import academy_cli
from academy.contributions import NavItem, Tally, WorkCount, contribute
from academy.extensions import db
from academy.permissions import Role, area_scopes
from academy.registry.signals import worker_record_changed, worker_status_changed
from academy.signals import connect
from courses.enrollment import annual, effect, next_step, notices, queries, standing
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


def overdue_tally(user) -> Tally:
    """HR's workbench: workers in its scope overdue with mandatory training."""
    return Tally(queries.overdue_count(area_scopes(user, Role.HR), today()), url_for("enrollment.overdue"))


def extensions_tally(user) -> Tally:
    """HR's workbench: extension requests in its scope awaiting a decision (listed under the overdue)."""
    return Tally(queries.requested_extensions_count(area_scopes(user, Role.HR)),
                 url_for("enrollment.overdue", _anchor="extension-requests"))


def taken_back_tally(user) -> Tally:
    """HR's workbench: course completions in its scope the rule took back (listed on the overdue page)."""
    return Tally(queries.taken_back_count(area_scopes(user, Role.HR)), url_for("enrollment.overdue", _anchor="taken-back"))


@click.command("training-sweep")
def sweep_command() -> None:
    """Apply every standing mandatory rule to everyone (run daily from cron, after midnight)."""
    result = standing.sweep()
    db.session.commit()
    click.echo(f"{result.assigned} assigned, {result.removed} open assignments removed, {result.failed} failed.")


def trainer_teaching() -> dict:
    """The trainer pool's "trainer_teaching" slot: this year's classroom hours of each instructor, and
    where the effect of his courses is shown."""
    year = annual.current_year()
    return {"year": year, "hours": effect.teaching_hours(*annual.year_bounds(year)),
            "url": lambda user_id: url_for("enrollment.effect_page", year=year, _anchor=f"trainer-{user_id}")}


@click.command("training-effect-refresh")
@click.option("--months", default=effect.MONTHS, type=click.IntRange(1, 12), help="Months before and after completion.")
def effect_refresh_command(months: int) -> None:
    """Recompute the training effect's snapshot (run nightly, after the indicators' refresh)."""
    written = effect.refresh(months)
    db.session.commit()
    click.echo(f"{written} training-effect rows written.")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    contribute(app, "labels", WORDS)
    contribute(app, "next_steps", next_step.mandatory_training, order=30)
    contribute(app, "notify_due", notices.notify_due_training)
    contribute(app, "nav", NavItem("enrollment.catalogue", _l("Courses"), tuple(Role),
               group="teaching", icon="book"), order=410)
    contribute(app, "nav", NavItem("enrollment.my_training", _l("My training"), (Role.TRAINEE,), personal=True,
               group="teaching", icon="mortarboard"), order=415)
    contribute(app, "nav", NavItem("enrollment.mandatory", _l("Mandatory training"), (Role.HR,),
               group="teaching", icon="calendar-check",
               badge="enrollment.overdue"), order=420)
    contribute(app, "nav", NavItem("enrollment.hours", _l("Annual in-service hours"), (Role.HR,),
               group="teaching", icon="clock-history"), order=422)
    contribute(app, "nav", NavItem("enrollment.stats", _l("Training statistics"), (Role.HR, Role.VIEWER),
               group="teaching", icon="graph-up"), order=425)
    contribute(app, "worker_sections", worker_training_section, order=40)
    contribute(app, "trainer_teaching", trainer_teaching)
    contribute(app, "work", WorkCount("enrollment.overdue", _l("Overdue mandatory training"), (Role.HR,),
                                      overdue_tally, group="teaching", icon="calendar-x", tone="danger"), order=420)
    contribute(app, "work", WorkCount("enrollment.extensions", _l("Extension requests"), (Role.HR,),
                                      extensions_tally, group="teaching", icon="calendar-plus"), order=421)
    contribute(app, "work", WorkCount("enrollment.taken_back", _l("Completions taken back"), (Role.HR,),
                                      taken_back_tally, group="teaching", icon="arrow-counterclockwise",
                                      tone="danger"), order=422)
    connect(app, worker_record_changed, standing.on_worker_changed)
    connect(app, worker_status_changed, standing.on_worker_changed)
    if "training-sweep" not in academy_cli.commands:
        academy_cli.add_command(sweep_command)
    if "training-effect-refresh" not in academy_cli.commands:
        academy_cli.add_command(effect_refresh_command)
