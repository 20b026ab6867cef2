"""Benchmark of the training effect at city scale: the nightly refresh of its snapshot and the city's
training-effect page read from it (not a test: run it by hand or through ``make bench``).

    .venv/bin/python benchmarks/training_effect.py --scale 0.05          # new city, SQLite in a temp dir
    .venv/bin/python benchmarks/training_effect.py --city-url postgresql+psycopg://postgres@127.0.0.1:5432/academy_bench_city

The city is the indicators benchmark's (``indicators_refresh.city_app``: the one at ``--city-url``, else one
of ``--scale`` built through ``citydata.bench``), with the worker snapshots of the last ``--months`` whole
months refreshed. Its syllabus units name the city's top-level case categories (the demo's syllabus,
``citydata/demo/syllabus.py``), so every completion of a course covering such a unit is measured. Times:
the refresh, courses and trainers (ours: < 60 s) and the city administrator's ``/training/effect``
(the issue: < 1 s; median of 5 requests after a warm-up, test client, logged in, template rendered).
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from academy.extensions import db  # noqa: E402
from benchmarks.common import emit, result, runner_arguments, say  # noqa: E402
from benchmarks.indicators_refresh import city_app, refresh_months, timed  # noqa: E402


def main() -> None:
    from academy.database import utcnow
    from courses.enrollment import effect
    from courses.enrollment.models import TrainerEffect, TrainingEffect
    from tests.support import log_in

    parser = runner_arguments(__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--months", type=int, default=2, help="whole months of snapshots refreshed first")
    args, _unknown = parser.parse_known_args()
    app = city_app(args)
    with app.app_context():
        say(f"courses linked to case categories: {len(effect.course_roots())}")
        refresh_months(utcnow(), max(args.months, 1))
        began = time.perf_counter()
        written = effect.refresh()
        db.session.commit()
        seconds = time.perf_counter() - began
        rows = db.session.scalar(sa.select(sa.func.count(TrainingEffect.id)))
        trainer_rows = db.session.scalar(sa.select(sa.func.count(TrainerEffect.id)))
        code = db.session.scalar(sa.text("SELECT code FROM areas WHERE level = 'city' ORDER BY code LIMIT 1"))
        db.session.rollback()
    say(f"training-effect refresh: {written} rows in {seconds:.1f} s")
    client = app.test_client()
    log_in(client, f"b{code}-admin", app.config["DEMO_PASSWORD"])
    assert client.get("/training/effect").status_code == 200
    page = timed(lambda: client.get("/training/effect"))
    emit([result("training effect: nightly refresh, whole city", "< 60 s (ours)", "s", [seconds], limit=60,
                  note=f"{rows} course rows, {trainer_rows} trainer rows"),
          result("training effect: the city's page", "< 1 s", "ms", page, met=statistics.median(page) < 1000,
                 note="median of 5 requests (test client), from the snapshot")], args.json)


if __name__ == "__main__":
    main()
