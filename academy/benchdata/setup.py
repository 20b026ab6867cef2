"""Wire the benchmark city into an application: the academy's own steps and the CLI command."""
from __future__ import annotations

from flask import Flask

from academy.benchdata import BenchStep, cases, indicators, pages, people, registry
from academy.contributions import contribute


def init_app(app: Flask) -> None:
    """The academy's steps of ``bench_data``; the teaching side adds its own from courses/*/bench.py."""
    from academy.benchdata.cli import bench_data_command
    from academy.cli import academy_cli

    contribute(app, "bench_data", BenchStep("registry", registry.run), order=20)
    contribute(app, "bench_data", BenchStep("staff", people.run_staff), order=25)
    contribute(app, "bench_data", BenchStep("cases", cases.run), order=30)
    contribute(app, "bench_data", BenchStep("indicators", indicators.run), order=90)
    contribute(app, "bench_pages", pages.academy_pages, order=10)
    if "bench-data" not in academy_cli.commands:
        academy_cli.add_command(bench_data_command)
