"""Wire the case module into an application: blueprints, navigation, CLI."""
from __future__ import annotations

import click
from flask import Flask
from flask_babel import lazy_gettext as _l

from academy.cases import (
    api,
    media,  # noqa: F401  (registers the job that fetches Open311 media)
    models,  # noqa: F401  (the tables belong to every app)
    operations,
    views,
)
from academy.cases.access import ANY_ROLE
from academy.cli import academy_cli
from academy.contributions import NavItem, contribute
from academy.extensions import db
from academy.permissions import Role
from academy.registry.signals import staff_account_created
from academy.signals import connect


@click.command("open311-key")
@click.argument("name")
def open311_key(name: str) -> None:
    """Issue an Open311 API key to a civic app (printed once)."""
    _client, key = operations.create_api_client(None, name)
    db.session.commit()
    click.echo(key)


@click.command("cases-escalate")
def cases_escalate() -> None:
    """Supervise every open case showing a red card (run it from cron every hour)."""
    cases = operations.escalate_overdue()
    db.session.commit()
    click.echo(f"{len(cases)} cases put under supervision.")


def init_app(app: Flask) -> None:
    """Register the pages, the Open311 API, the navigation entries and the commands."""
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    contribute(app, "nav", NavItem("cases.mine", _l("My cases"), ANY_ROLE), order=300)
    contribute(app, "nav", NavItem("cases.board", _l("Supervision board"), (Role.DISPATCHER, Role.VIEWER)), order=310)
    contribute(app, "nav", NavItem("cases.fieldwork", _l("Patrols and visits"), (Role.TRAINEE,)), order=320)
    contribute(app, "nav", NavItem("cases.categories", _l("Case categories"), (Role.ADMIN,)), order=930)
    connect(app, staff_account_created, operations.join_department)
    for command in (open311_key, cases_escalate):
        if command.name not in academy_cli.commands:
            academy_cli.add_command(command)
