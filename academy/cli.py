"""``flask academy ...``: user management and the checks set-up relies on (the demo and benchmark
cities' commands come from ``citydata``, added by the composition root)."""
from __future__ import annotations

import json
import tarfile
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from academy import i18n_tools
from academy.accounts.operations import AccountError, create_user, grant_role
from academy.backup import BackupError, create_backup, restore_backup
from academy.extensions import db
from academy.jobs import recover, sweep_stale_jobs
from academy.permissions import Role
from academy.textrepair import repair_text

academy_cli = AppGroup("academy", help="Grid Academy administration.")


@academy_cli.command("create-user")
@click.argument("username")
@click.option("--role", "roles", multiple=True, help="Role to grant city-wide (repeatable).")
@click.password_option()
def create_user_command(username: str, roles: tuple[str, ...], password: str) -> None:
    """Create a user, e.g. the first administrator of a production site."""
    try:
        user = create_user(username, password, by=None)
        for role in roles:
            grant_role(user, Role(role), by=None)
    except (AccountError, ValueError) as error:
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"User {user.username} created.")



@academy_cli.command("i18n")
@click.option("--translations", "files", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="A JSON file {message id: Chinese text} to write into the zh_CN catalogue (repeatable).")
def update_translations(files: tuple[str, ...]) -> None:
    """Update the catalogues from the code, fill English, write Chinese, and list what is missing."""
    i18n_tools.update()  # first, so that new message ids exist before their Chinese is written
    for path in files:
        with open(path, encoding="utf-8") as handle:
            written = i18n_tools.translate("zh_CN", json.load(handle))
        click.echo(f"{path}: {written} Chinese translations written.")
    for locale in i18n_tools.LOCALES:
        ids = i18n_tools.missing(locale)
        click.echo(f"{locale}: {len(ids)} missing")
        for message_id in ids:
            click.echo(f"  {message_id!r}")


@academy_cli.command("backup")
@click.argument("target", type=click.Path(dir_okay=False, writable=True))
def backup_command(target: str) -> None:
    """Write the database and the files into TARGET (.tar.gz)."""
    manifest = create_backup(Path(target))
    click.echo(f"Backup written to {target}: {sum(manifest['tables'].values())} rows in {len(manifest['tables'])} tables.")


@academy_cli.command("restore")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
def restore_command(source: str) -> None:
    """Load SOURCE (a backup) into this empty, upgraded database and its files folder."""
    try:
        manifest = restore_backup(Path(source))
    except (BackupError, OSError, tarfile.TarError) as error:
        db.session.rollback()
        raise click.ClickException(str(error)) from error
    db.session.commit()
    click.echo(f"Restored {sum(manifest['tables'].values())} rows from {source}.")


@academy_cli.command("jobs-sweep")
def sweep_jobs_command() -> None:
    """Fail jobs whose worker died, and hand the queued jobs nobody will run to a runner again."""
    count = sweep_stale_jobs(current_app.config["JOB_TIMEOUT_SECONDS"])
    db.session.commit()
    click.echo(f"{count} interrupted jobs marked as failed.")
    click.echo(f"{recover(current_app._get_current_object())} queued jobs handed over again.")


@academy_cli.command("repair-text")
@click.option("--dry-run", is_flag=True, help="Only count what would be repaired.")
def repair_text_command(dry_run: bool) -> None:
    """Clean stored text of lone surrogates and control characters (answers saved before the guard)."""
    found = repair_text(dry_run=dry_run)
    if not dry_run:  # a dry run wrote nothing: there is nothing to end
        db.session.commit()
    verb = "would be repaired" if dry_run else "repaired"
    for name, count in sorted(found.items()):
        click.echo(f"{name}: {count} values {verb}")
    click.echo(f"{sum(found.values())} values {verb}.")


def init_app(app: Flask) -> None:
    app.cli.add_command(academy_cli)
