"""Wire the case module into an application: blueprints, navigation, CLI."""
from __future__ import annotations

import click
from flask import Flask
from flask_babel import lazy_gettext as _l

from academy.cases import models  # noqa: F401  (the tables belong to every app)
from academy.cases.access import ANY_ROLE
from academy.contributions import NavItem, contribute
from academy.permissions import Role


@click.command("open311-key")
@click.argument("name")
def open311_key(name: str) -> None:
    """Issue an Open311 API key to a civic app (printed once)."""
    from academy.cases.operations import create_api_client
    from academy.extensions import db

    _client, key = create_api_client(None, name)
    db.session.commit()
    click.echo(key)


@click.command("cases-escalate")
def cases_escalate() -> None:
    """Supervise every open case showing a red card (run it from cron every hour)."""
    from academy.cases.operations import escalate_overdue
    from academy.extensions import db

    cases = escalate_overdue()
    db.session.commit()
    click.echo(f"{len(cases)} cases put under supervision.")


def init_app(app: Flask) -> None:
    from academy.cases import api, views

    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    contribute(app, "nav", NavItem("cases.mine", _l("My cases"), ANY_ROLE), order=300)
    contribute(app, "nav", NavItem("cases.board", _l("Supervision board"), (Role.DISPATCHER, Role.VIEWER)), order=310)
    contribute(app, "nav", NavItem("cases.fieldwork", _l("Patrols and visits"), (Role.TRAINEE,)), order=320)
    contribute(app, "nav", NavItem("cases.categories", _l("Case categories"), (Role.ADMIN,)), order=930)
    from academy.cli import academy_cli

    for command in (open311_key, cases_escalate):
        if command.name not in academy_cli.commands:
            academy_cli.add_command(command)
