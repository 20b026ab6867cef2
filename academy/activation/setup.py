"""Wire first sign-in and recovery into an application: blueprint, navigation, worker-page section, job."""
from __future__ import annotations

import click
from flask import Flask
from flask_babel import lazy_gettext as _l

from academy.activation import labels, letters, models, purge, sections  # noqa: F401  (models, letters: tables and the job belong to every app)
from academy.activation.views import bp
from academy.cli import academy_cli
from academy.contributions import JobKind, NavItem, contribute
from academy.extensions import db
from academy.permissions import Role


@click.command("letters-purge")
def purge_command() -> None:
    """Delete the PDFs of activation letters whose codes have all expired or been used (cron, nightly)."""
    count = purge.purge_spent_letters()
    db.session.commit()
    click.echo(f"{count} letters jobs: files deleted.")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    contribute(app, "labels", labels.WORDS)
    contribute(app, "job_kinds", JobKind(letters.KIND, _l("Activation letters"), "activation.letters_job"))
    contribute(app, "nav", NavItem("activation.letters_new", _l("Activation letters"), (Role.HR,),
               group="grid", icon="envelope-paper"), order=255)
    contribute(app, "worker_sections", sections.letter_section, order=800)
    academy_cli.add_command(purge_command)
