"""The data package's commands, in the ``flask academy`` group: ``demo`` (the small demo city) and
``bench-data`` (a city of benchmark size), each into an empty database."""
from __future__ import annotations

import time

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from academy.accounts.models import User
from academy.extensions import db
from citydata.bench import BenchDataError, BenchOptions, build_city
from citydata.demo import build_demo


@click.command("demo")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has users.")
@with_appcontext
def load_demo(if_empty: bool) -> None:
    """Load the small demo city (users, registry, syllabus ...) into the database."""
    if db.session.scalar(sa.select(sa.func.count(User.id))):
        if if_empty:
            click.echo("The database has data; the demo city was not loaded.")
            return
        raise click.ClickException("The database is not empty; the demo city needs an empty one.")
    demo = build_demo()
    db.session.commit()
    password = current_app.config["DEMO_PASSWORD"]
    click.echo("Demo city loaded. Log in with any of these users:")
    for username in demo.get("users", {}):
        click.echo(f"  {username:<12} password: {password}")


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
