"""Wire the registry into an application: blueprint, navigation, slots, CLI, job."""
from __future__ import annotations

from flask import Flask, url_for
from flask_babel import lazy_gettext as _l

from academy.cli import academy_cli
from academy.contributions import JobKind, NavItem, Tally, WorkCount, contribute
from academy.permissions import Role
from academy.registry import access, jobs, labels, models, queries, sections  # noqa: F401  (jobs, models: tables and the import job belong to every app)
from academy.registry.cli import accounts_cli, import_registry_command
from academy.registry.operations.logins import usernames_for_phone
from academy.registry.views import bp


def awaiting_activation_tally(user) -> Tally:
    """HR's workbench: workers in its scope without a log-in yet, listed by the worker list's filter."""
    return Tally(queries.awaiting_activation_count(access.read_scopes(user)),
                 url_for("registry.workers", login="awaiting"))


def init_app(app: Flask) -> None:
    """Register the registry's pages, navigation, slot contributions and CLI command."""
    app.register_blueprint(bp)
    read = access.READ_ROLES
    contribute(app, "nav", NavItem("registry.coverage", _l("Coverage"), read, group="grid", icon="map"), order=200)
    contribute(app, "nav", NavItem("registry.grids", _l("Grids"), read, group="grid", icon="grid-3x3"), order=210)
    contribute(app, "nav", NavItem("registry.workers", _l("Grid workers"), read,
               group="grid", icon="people"), order=220)
    contribute(app, "nav", NavItem("registry.areas", _l("Areas"), read, group="grid", icon="diagram-3"), order=230)
    contribute(app, "nav", NavItem("registry.departments", _l("Departments"), read,
               group="grid", icon="building"), order=240)
    contribute(app, "nav", NavItem("registry.import_page", _l("Import"), (Role.HR,),
               group="grid", icon="upload"), order=250)
    contribute(app, "nav", NavItem("registry.my_record", _l("My worker record"), (Role.TRAINEE,), personal=True,
               group="grid", icon="person-vcard"), order=260)
    contribute(app, "work", WorkCount("registry.awaiting_activation", _l("Workers awaiting activation"), (Role.HR,),
                                      awaiting_activation_tally, group="grid", icon="person-check"), order=255)
    contribute(app, "worker_sections", sections.assignment_section, order=10)
    contribute(app, "worker_sections", sections.status_section, order=900)
    contribute(app, "labels", labels.WORDS)
    contribute(app, "job_kinds", JobKind(jobs.IMPORT_JOB, _l("Registry import")))
    contribute(app, "area_choices", queries.area_choices, order=10)
    contribute(app, "login_names", usernames_for_phone, order=10)
    academy_cli.add_command(import_registry_command)
    academy_cli.add_command(accounts_cli)
