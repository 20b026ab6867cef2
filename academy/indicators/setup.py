"""Wire the indicators into an application: blueprint, navigation, the "training_needs" slot
the academy reads, the CLI refresh command, the refresh job and trigger."""
from __future__ import annotations

import click
from flask import Flask, render_template
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from academy.cli import academy_cli
from academy.contributions import JobKind, NavItem, contribute
from academy.extensions import db
from academy.indicators import labels, models, queries, refresh  # noqa: F401  (tables, job handler and change trigger)
from academy.indicators.access import PAGE_ROLES
from academy.indicators.definitions import INDICATORS
from academy.indicators.operations import IndicatorError, refresh_period
from academy.indicators.periods import PeriodError, current_month, parse_period, previous_month
from academy.indicators.views import bp
from academy.permissions import Role, has_role


def training_needs(worker) -> list[tuple[str, str]]:
    """The "training_needs" contribution: (category code, reason) for each category in which the
    worker fell below target in the latest month with snapshots (the previous month if none)."""
    period = queries.latest_stored_month()
    profile = queries.training_profile(worker, period)
    return [(s.category, _("%(category)s: %(indicator)s %(value).1f %% against a target of %(target).0f %% "
                           "(%(n)d cases, %(period)s)", category=s.name, indicator=INDICATORS[s.indicator].label,
                           value=s.value, target=s.target, n=s.sample, period=period.key))
            for s in profile.shortfalls]


@click.command("indicators-refresh")
@click.argument("periods", nargs=-1)
@click.option("--queue", is_flag=True, help="Queue a background job instead of refreshing here.")
def refresh_command(periods: tuple[str, ...], queue: bool) -> None:
    """Recompute indicator snapshots (default: this month and the last one), e.g. 2026-03 2026-Q1 2026."""
    keys = list(periods) or [previous_month().key, current_month().key]
    try:
        chosen = [parse_period(key) for key in keys]
        if queue:
            job = refresh.request_refresh(None, [p.key for p in chosen])
            db.session.commit()
            click.echo(f"Queued job {job.id}.")
            return
        for period in chosen:
            marker = refresh_period(period)
            db.session.commit()
            click.echo(f"{period.key}: refreshed in {marker.seconds:.2f} s")
    except (PeriodError, IndicatorError) as error:
        raise click.ClickException(f"Not a month, quarter or year: {error}") from error


def leader_home_section(user) -> Markup:
    """A leader's home: the way to his area's figures and rankings and to the departments' (one tap)."""
    if not has_role(user, Role.VIEWER):
        return Markup("")
    return Markup(render_template("indicators/_home_section.html"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    contribute(app, "labels", labels.WORDS)
    contribute(app, "job_kinds", JobKind(refresh.JOB_KIND, _l("Indicator refresh")))
    refresh.init_app(app)
    contribute(app, "nav", NavItem("indicators.index", _l("Performance"), PAGE_ROLES,
               group="performance", icon="bar-chart-line"), order=400)
    contribute(app, "nav", NavItem("indicators.schemes", _l("Assessment schemes"), (Role.ADMIN,),
               group="performance", icon="sliders"), order=940)
    contribute(app, "training_needs", training_needs, order=100)
    contribute(app, "home_sections", leader_home_section, order=30)
    if "indicators-refresh" not in academy_cli.commands:
        academy_cli.add_command(refresh_command)
