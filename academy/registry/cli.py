"""``flask academy import-registry FILE`` and ``flask academy accounts create-for-workers``: the
same import and account creation as the web pages, from a shell."""
from __future__ import annotations

from pathlib import Path

import click

from academy.extensions import db
from academy.registry.exchange.importer import import_registry
from academy.registry.exchange.reader import FileProblem
from academy.registry.models import WorkerStatus
from academy.registry.operations.logins import create_worker_accounts
from academy.registry.queries import area_by_code, workers_for_accounts


@click.command("import-registry")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report, writing nothing.")
@click.option("--create-logins", is_flag=True, help="Give each worker the file adds a log-in (username: worker number).")
def import_registry_command(path: Path, dry_run: bool, create_logins: bool) -> None:
    """Import areas, grids, workers and assignments from a template .xlsx or .csv file."""
    try:
        result = import_registry(path.name, path.read_bytes(), None, create_logins=create_logins,
                                 progress=lambda percent, message="": click.echo(f"{percent:5.0f}%  {message}", err=True))
    except FileProblem as error:
        raise click.ClickException(str(error)) from error
    if not result.ok:
        db.session.rollback()
        for problem in result.problems:
            click.echo(f"{problem.sheet} row {problem.row or '-'} [{problem.column}]: {problem.message}")
        raise click.ClickException(result.summary())
    if dry_run:
        db.session.rollback()
        click.echo(f"(dry run, nothing written) {result.summary()}")
        return
    db.session.commit()
    click.echo(result.summary())


accounts_cli = click.Group("accounts", help="Log-ins of grid workers.")


@accounts_cli.command("create-for-workers")
@click.option("--area", "area_code", required=True, help="Area code: the workers of this area and below.")
@click.option("--status", type=click.Choice([status.value for status in WorkerStatus]), default=None,
              help="Only workers with this status.")
@click.option("--dry-run", is_flag=True, help="Count what would be created, writing nothing.")
def create_for_workers_command(area_code: str, status: str | None, dry_run: bool) -> None:
    """Create log-ins (username: worker number) for the workers of an area that have none."""
    area = area_by_code(area_code.strip())
    if area is None:
        raise click.ClickException(f"No area with code {area_code!r}.")
    workers = workers_for_accounts(area.code, WorkerStatus(status) if status else None)
    counts = create_worker_accounts(workers, None, dry_run=dry_run)
    if not dry_run:  # a dry run wrote nothing to undo
        db.session.commit()
    click.echo(counts.summary())
