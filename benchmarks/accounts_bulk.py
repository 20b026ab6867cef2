"""Benchmark: log-ins for a whole city's grid workers in one go (issue 16: target < 60 s).

Builds WORKERS workers without log-ins (the issue's 3,500 by default, times ``--scale``), then runs
``create_worker_accounts`` over all of them, as ``flask academy accounts create-for-workers`` does,
commits, and prints wall time, CPU time and peak memory. A second run over the same workers (all
skipped) shows that the idempotent pass is cheap.

It keeps the runner's contract (``benchmarks/README.md``): it works in ``--scratch-url``, else in
``BENCH_DATABASE_URL``, else in SQLite in a temporary folder; with ``--json`` stdout carries only
the result lines. Run:

    .venv/bin/python benchmarks/accounts_bulk.py
    .venv/bin/python benchmarks/accounts_bulk.py --scratch-url postgresql+psycopg://postgres@127.0.0.1:5432/academy_p1_bench
"""
from __future__ import annotations

import os
import resource
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import emit, result, runner_arguments, say  # noqa: E402

FULL_WORKERS = 3500  # the city
TARGET_S = 60.0


def build(db, workers: int) -> None:
    # Imported here: the factories need the app's models, which exist only after create_app.
    from tests.fixtures.registry import create_worker

    for n in range(workers):
        create_worker(("320102001001", "320104001001", "320105")[n % 3])
        if n % 500 == 0:
            db.session.commit()
    db.session.commit()


def timed_creation(db) -> tuple[float, float, str]:
    """Wall and CPU seconds of one bulk creation over the city, and its summary."""
    from academy.registry.operations import create_worker_accounts
    from academy.registry.queries import workers_for_accounts

    wall, cpu = time.perf_counter(), time.process_time()
    counts = create_worker_accounts(workers_for_accounts("3201"), None)
    db.session.commit()
    return time.perf_counter() - wall, time.process_time() - cpu, counts.summary()


def main() -> None:
    from academy import create_app
    from academy.config import TestConfig
    from academy.extensions import db

    parser = runner_arguments(__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, help=f"workers to build (default {FULL_WORKERS:,} x --scale)")
    args, _unknown = parser.parse_known_args()
    workers = args.workers or max(int(FULL_WORKERS * args.scale), 30)
    folder = Path(tempfile.mkdtemp(prefix="accounts-bench-"))
    url = args.scratch_url or os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder / 'bench.db'}"
    if url.startswith("postgresql"):
        from tests.support import ensure_postgres_database  # only for PostgreSQL

        ensure_postgres_database(url)
    # Production password hashing is not involved: these log-ins get no password until activation.
    app = create_app(TestConfig(url, folder, JOB_RUNNER="manual"))
    with app.app_context(), app.test_request_context():
        db.drop_all()
        db.create_all()
        build(db, workers)
        say(f"built {workers} workers")
        wall, cpu, summary = timed_creation(db)
        say(f"first pass: {wall:.1f} s wall, {cpu:.1f} s CPU: {summary}")
        again, _cpu, summary_again = timed_creation(db)
        say(f"second pass: {again:.1f} s wall: {summary_again}")
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        lines = [result(f"log-ins for {workers} workers", f"< {TARGET_S:.0f} s", "s", [wall], limit=TARGET_S,
                        peak_rss_mb=rss, note=f"CPU {cpu:.1f} s; idempotent second pass {again:.1f} s"),]
        db.session.remove()
        db.drop_all()
    emit(lines, args.json)


if __name__ == "__main__":
    main()
