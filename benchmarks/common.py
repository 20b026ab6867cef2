"""What every benchmark script shares: the runner's arguments and the JSON line it prints.

The contract (``benchmarks/README.md``): a script called with ``--json`` prints one JSON object
per scenario per line on stdout and nothing else there (progress goes to stderr), with the keys
``name, target, unit, median, p95, max, rps, peak_rss_mb, met, note``. It accepts the runner's
other arguments and ignores the ones it does not need (``parse_known_args``).
"""
from __future__ import annotations

import argparse
import json
import statistics
import sys
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEYS = ("name", "target", "unit", "median", "p95", "max", "rps", "peak_rss_mb", "met", "note")


def runner_arguments(description: str) -> argparse.ArgumentParser:
    """The arguments ``run_all.py`` passes to every script (each script adds its own)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--json", action="store_true", help="print the results as JSON lines (run_all.py)")
    parser.add_argument("--backend", choices=("postgresql", "sqlite"), default="sqlite")
    parser.add_argument("--city-url", help="the database holding the benchmark city (flask academy bench-data)")
    parser.add_argument("--scratch-url", help="an empty database the script may fill and empty")
    parser.add_argument("--base-url", help="the server running on the city database")
    parser.add_argument("--scale", type=float, default=1.0, help="share of the issue's full city")
    return parser


def quantile(values: list[float], share: float) -> float | None:
    """The ``share`` quantile (0.5 median, 0.95 p95) by the inclusive method; None without values."""
    if not values:
        return None
    if len(values) == 1:
        return values[0]
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return statistics.median(values) if share == 0.5 else cuts[round(share * 100) - 1]


def result(name: str, target: str, unit: str, values: list[float], *, limit: float | None = None,
           rps: float | None = None, peak_rss_mb: float | None = None, met: bool | None = None, note: str = "") -> dict:
    """A scenario's line; ``met`` defaults to p95 below ``limit`` when a limit is given."""
    p95 = quantile(values, 0.95)
    if met is None and limit is not None and p95 is not None:
        met = p95 < limit
    return {"name": name, "target": target, "unit": unit, "median": rounded(quantile(values, 0.5)), "p95": rounded(p95),
            "max": rounded(max(values)) if values else None, "rps": rounded(rps), "peak_rss_mb": rounded(peak_rss_mb),
            "met": met, "note": note}


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def emit(results: list[dict], as_json: bool) -> None:
    """Print the results: JSON lines for the runner, or a readable table for a person."""
    for line in results:
        if as_json:
            print(json.dumps({key: line.get(key) for key in KEYS}, ensure_ascii=False), flush=True)
        else:
            met = {True: "met", False: "MISSED", None: "-"}[line.get("met")]
            print(f"{line['name']:<40} median {line['median']} p95 {line['p95']} max {line['max']} {line['unit']}"
                  f"  rps {line['rps']}  target {line['target']}: {met}  {line.get('note', '')}")


def say(*parts) -> None:
    """Progress for people: stderr, so stdout stays the JSON lines."""
    print(*parts, file=sys.stderr, flush=True)


@contextmanager
def counting(engine):
    """Count the SQL statements run inside the block (``with counting(db.engine) as statements``)."""
    import sqlalchemy as sa  # late: the runner itself runs without the app's libraries loaded

    counter = {"n": 0}

    def count(*_args):
        counter["n"] += 1

    sa.event.listen(engine, "before_cursor_execute", count)
    try:
        yield counter
    finally:
        sa.event.remove(engine, "before_cursor_execute", count)
