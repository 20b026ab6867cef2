"""Benchmark of the indicators at city scale: a month's refresh of the whole city, a district's
dashboard and a worker's page (not a test: run it by hand or through ``make bench``).

    .venv/bin/python benchmarks/indicators_refresh.py --scale 0.1                # new city, SQLite in a temp dir
    .venv/bin/python benchmarks/indicators_refresh.py --city-url postgresql+psycopg://postgres@127.0.0.1:5432/academy_bench_city
    .venv/bin/python benchmarks/indicators_refresh.py --scale 1 --trend-months 11  # the issue's full city, 12-month trend

With ``--city-url`` it uses the benchmark city already there (``flask academy bench-data``); without,
it builds one of ``--scale`` of the issue's size (3,000 grids, 3,500 workers, 1,000,000 cases,
3,000,000 patrols and visits) through the same generator, in ``--scratch-url`` or a new SQLite file.
Then it times: refreshing the last whole month's snapshots for the whole city (target < 60 s),
a district's dashboard for that month (< 300 ms) and a worker's page (< 50 ms): medians of 5
requests after a warm-up, through the Flask test client, logged in, templates rendered.
"""
from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from academy import create_app  # noqa: E402
from academy.config import TestConfig  # noqa: E402
from academy.extensions import db  # noqa: E402
from benchmarks.common import emit, result, runner_arguments, say  # noqa: E402

FULL = {"grids": 3000, "workers": 3500, "cases": 1_000_000, "logs": 3_000_000, "trainees": 3500}


def timed(fn, repeat: int = 5) -> list[float]:
    """``repeat`` runs in milliseconds, after one warm-up run."""
    fn()
    runs = []
    for _n in range(repeat):
        began = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - began) * 1000)
    return runs


def city_app(args):
    """The application on the city's database, building the city first when there is none."""
    from citydata.bench import BenchOptions, build_city, database_is_empty

    folder = Path(tempfile.mkdtemp(prefix="bench-indicators-"))
    url = args.city_url or args.scratch_url or f"sqlite:///{folder / 'bench.db'}"
    if not args.city_url and url.startswith("postgresql"):
        from tests.support import ensure_postgres_database

        ensure_postgres_database(url)
    app = create_app(TestConfig(url, folder, PASSWORD_HASH_FAST=False))
    with app.app_context():
        db.create_all()
        if database_is_empty():
            sizes = {key: max(int(value * args.scale), 25) for key, value in FULL.items()}
            began = time.perf_counter()
            build_city(BenchOptions(**sizes, seed=args.seed, password=app.config["DEMO_PASSWORD"]), say=say)
            say(f"generated {sizes} in {time.perf_counter() - began:.0f} s")
        db.session.rollback()
    return app


def refresh_months(end, months: int) -> tuple[float, str]:
    """Refresh the last whole month (timed), then ``months - 1`` before it (the trend, untimed)."""
    from academy.indicators.operations import refresh_period
    from academy.indicators.periods import current_month, month

    target = month(current_month(end).first - timedelta(days=1))
    began = time.perf_counter()
    refresh_period(target, as_of=end)
    db.session.commit()
    seconds = time.perf_counter() - began
    period = target
    for _n in range(months - 1):
        period = month(period.first - timedelta(days=1))
        refresh_period(period, as_of=end)
        db.session.commit()
    return seconds, target.key


def main() -> None:
    from academy.audit import AuditEntry
    from academy.database import utcnow

    parser = runner_arguments(__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--trend-months", type=int, default=1, help="months refreshed, the last whole one first")
    args, _unknown = parser.parse_known_args()
    app = city_app(args)
    with app.app_context():
        from academy.cases.models import Case
        from tests.support import log_in

        entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "bench_data.build")
                                  .order_by(AuditEntry.id.desc()).limit(1))
        end = utcnow()
        cases = db.session.scalar(sa.select(sa.func.count(Case.id)))
        seconds, key = refresh_months(end, max(args.trend_months, 1))
        say(f"refresh of {key} for the whole city ({cases:,} cases): {seconds:.1f} s")
        city = entry.after["options"] if entry else {}
        code = db.session.scalar(sa.text("SELECT code FROM areas WHERE level = 'city' ORDER BY code LIMIT 1"))
        district = db.session.scalar(sa.text("SELECT code FROM areas WHERE level = 'district' ORDER BY code LIMIT 1"))
        worker_id = db.session.scalar(sa.text("SELECT MIN(id) FROM workers"))
        db.session.rollback()
    client = app.test_client()
    log_in(client, f"b{code}-admin", app.config["DEMO_PASSWORD"])
    dashboard = timed(lambda: client.get(f"/indicators/areas/{district}?period={key}"))
    worker = timed(lambda: client.get(f"/indicators/workers/{worker_id}?period={key}"))
    size = f"{city.get('grids', '?')} grids, {cases:,} cases"
    emit([result("indicators: month refresh, whole city", "< 60 s", "s", [seconds], limit=60, note=size),
          result("indicators: district dashboard", "< 300 ms", "ms", dashboard, met=statistics.median(dashboard) < 300,
                 note="median of 5 requests (test client)"),
          result("indicators: worker page", "< 50 ms", "ms", worker, met=statistics.median(worker) < 50,
                 note="median of 5 requests (test client)")], args.json)


if __name__ == "__main__":
    main()
