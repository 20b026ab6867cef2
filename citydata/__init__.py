"""The demo city and the benchmark city: data built through the app, kept outside it.

``demo/`` fills an empty database with a small city to try the app on (``flask academy demo``);
``bench/`` builds a city of benchmark size (``flask academy bench-data``, used by ``benchmarks/``
and ``make bench``). Both import the domain packages (``academy``, ``courses``) and use their
operations and models; nothing in the domain imports this package, apart from the composition root
(``academy.create_app``), which adds these commands to the ``flask academy`` group.
"""
from __future__ import annotations

from flask import Flask

from academy.cli import academy_cli
from citydata.cli import bench_data_command, load_demo


def init_app(_app: Flask) -> None:
    """Add ``demo`` and ``bench-data`` to the ``flask academy`` group (once: the group is shared)."""
    for command in (load_demo, bench_data_command):
        if command.name not in academy_cli.commands:
            academy_cli.add_command(command)
