"""``flask academy bench-data``: build a city of benchmark size in an empty database."""
from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import with_appcontext


@click.command("bench-data")
@click.option("--grids", type=click.IntRange(1), default=3000, show_default=True)
@click.option("--workers", type=click.IntRange(1), default=3500, show_default=True)
@click.option("--cases", type=click.IntRange(0), default=1_000_000, show_default=True)
@click.option("--logs", type=click.IntRange(0), default=3_000_000, show_default=True, help="Patrols and visits, about.")
@click.option("--trainees", type=click.IntRange(0), default=3500, show_default=True, help="Workers with a log-in.")
@click.option("--seed", type=int, default=9, show_default=True)
@click.option("--append", is_flag=True, help="Add a second city (a free city code) to a database that has data.")
@with_appcontext
def bench_data_command(grids, workers, cases, logs, trainees, seed, append) -> None:
    """Build a realistic city through bulk inserts that keep the operations' rules (issue 9).

    Every log-in it makes has the demo password (ACADEMY_DEMO_PASSWORD). A database that has
    data is refused unless --append. A run that fails half-way leaves what it committed: start
    again on a new, empty database.
    """
    from academy.benchdata import BenchDataError, BenchOptions, build_city

    options = BenchOptions(grids=grids, workers=workers, cases=cases, logs=logs, trainees=trainees, seed=seed,
                           append=append, password=current_app.config["DEMO_PASSWORD"])
    began = time.perf_counter()
    try:
        totals = build_city(options, say=click.echo)
    except BenchDataError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"Benchmark city built in {time.perf_counter() - began:.0f} s:")
    for name, value in totals.items():
        click.echo(f"  {name:<20} {value:>12,}")
