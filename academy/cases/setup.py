"""Wire the case module into an application: blueprints, navigation, CLI."""
from __future__ import annotations

from collections.abc import Callable

import click
from flask import Flask, url_for
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

from academy.cases import (
    api,
    labels,
    media,  # noqa: F401  (registers the job that fetches Open311 media)
    models,  # noqa: F401  (the tables belong to every app)
    next_step,
    operations,
    queries,
    views,
)
from academy.cases.access import ANY_ROLE
from academy.cli import academy_cli
from academy.contributions import NavItem, Tab, Tally, WorkCount, contribute
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


def board_tally(**filters) -> Callable[[object], Tally]:
    """A workbench count of the board with ``filters`` (``state``, ``light``, ``returned``), leading
    to the board filtered the same way."""
    def tally(user) -> Tally:
        return Tally(queries.count_cases(user, queries.CaseFilter(**filters)),
                     url_for("cases.board", **{key: "y" if value is True else value for key, value in filters.items()}))
    return tally


def to_handle_tally(user) -> Tally:
    return Tally(queries.to_handle_count(user), url_for("cases.mine", to_handle="1"))


BOARD_ROLES = (Role.DISPATCHER, Role.VIEWER)
WORK = (
    WorkCount("cases.to_accept", _l("Cases to accept"), (Role.DISPATCHER,), board_tally(state="reported"),
              group="cases", icon="inbox"),
    WorkCount("cases.red_card", _l("Cases with a red card"), BOARD_ROLES, board_tally(light="red_card"),
              group="cases", icon="exclamation-octagon", tone="danger"),
    WorkCount("cases.red", _l("Cases on a red light"), BOARD_ROLES, board_tally(light="red"),
              group="cases", icon="exclamation-triangle", tone="danger"),
    WorkCount("cases.yellow", _l("Cases on a yellow light"), BOARD_ROLES, board_tally(light="yellow"),
              group="cases", icon="hourglass-split", tone="warning"),
    WorkCount("cases.returned", _l("Cases returned by departments"), (Role.DISPATCHER,), board_tally(returned=True),
              group="cases", icon="arrow-return-left"),
    # A department's own tasks: administrators hold none.
    WorkCount("cases.to_handle", _l("Cases to handle"), (Role.DEPARTMENT,), to_handle_tally,
              group="cases", icon="clipboard-check", personal=True),
)


def init_app(app: Flask) -> None:
    """Register the pages, the Open311 API, the navigation entries and the commands."""
    app.register_blueprint(views.bp)
    app.register_blueprint(api.bp)
    contribute(app, "labels", labels.WORDS)
    contribute(app, "nav", NavItem("cases.mine", _l("My cases"), ANY_ROLE,
               group="cases", icon="inbox", badge="cases.to_handle"), order=300)
    contribute(app, "nav", NavItem("cases.board", _l("Supervision board"), (Role.DISPATCHER, Role.VIEWER),
               group="cases", icon="kanban", badge="cases.to_accept"), order=310)
    contribute(app, "nav", NavItem("cases.fieldwork", _l("Patrols and visits"), (Role.TRAINEE,),
               group="cases", icon="signpost-2"), order=320)
    contribute(app, "nav", NavItem("cases.categories", _l("Case categories"), (Role.ADMIN,),
               group="cases", icon="tags"), order=930)
    for order, count in enumerate(WORK, start=300):
        contribute(app, "work", count, order=order)
    contribute(app, "next_steps", next_step.cases_waiting, order=50)
    contribute(app, "tabs", Tab("cases.mine", lazy_pgettext("tab", "Cases"), "inbox", blueprints=("cases",),
                                show=next_step.does_case_work), order=300)
    connect(app, staff_account_created, operations.join_department)
    for command in (open311_key, cases_escalate):
        if command.name not in academy_cli.commands:
            academy_cli.add_command(command)
