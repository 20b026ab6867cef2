"""``flask academy import-registry FILE``: the same import as the web page, from a shell."""
from __future__ import annotations

from pathlib import Path

import click

from academy.extensions import db
from academy.registry.exchange.importer import import_registry
from academy.registry.exchange.reader import FileProblem


@click.command("import-registry")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and report, writing nothing.")
def import_registry_command(path: Path, dry_run: bool) -> None:
    """Import areas, grids, workers and assignments from a template .xlsx or .csv file."""
    try:
        result = import_registry(path.name, path.read_bytes(), None,
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
